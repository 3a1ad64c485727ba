/// Why a job spec was refused; `field` is the path to the offending field (`operators[0].inputs`).
public struct JobSpecError: Error, CustomStringConvertible, Equatable, Sendable {
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
