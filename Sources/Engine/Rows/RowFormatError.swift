/// Bytes that are not a row of the expected layout (a corrupt frame, a state entry written by
/// another schema). Carries what was wrong, for the failure cause; never a crash.
public struct RowFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { "malformed row: \(message)" }
}
