/// A named, typed column of a schema.
public struct Column: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var type: ColumnType
    /// Whether rows may hold NULL here.
    public var nullable: Bool

    public init(_ name: String, _ type: ColumnType, nullable: Bool = false) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }

    /// `name type` or `name type?` for a nullable column, as error messages and `sluice kinds` print it.
    public var description: String { "\(name) \(type)\(nullable ? "?" : "")" }
}
