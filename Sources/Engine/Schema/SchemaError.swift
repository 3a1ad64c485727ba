/// A schema that cannot be: duplicate columns, an unknown type, a bad event-time column.
public struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
