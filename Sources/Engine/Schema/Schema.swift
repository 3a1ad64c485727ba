/// The shape of the rows on an edge: named, typed columns, and which column is event time.
///
/// A value type; submission derives one per vertex output from the kinds' declarations
/// (`OperatorKindDeclaration.outputSchema`), so every edge of an accepted job has a known schema.
/// Invariants: column names are unique; `eventTime`, when set, names a `timestamp` column.
public struct Schema: Sendable, Hashable, CustomStringConvertible {
    /// A short name for messages ("click", "attributed checkout"); not part of equality.
    public var name: String
    public private(set) var columns: [Column]
    public private(set) var eventTime: String?

    public init(name: String, columns: [Column], eventTime: String? = nil) {
        precondition(Set(columns.map(\.name)).count == columns.count, "duplicate column in schema \(name)")
        if let eventTime {
            precondition(columns.first { $0.name == eventTime }?.type == .timestamp, "event time of \(name) is not a timestamp column")
        }
        self.name = name
        self.columns = columns
        self.eventTime = eventTime
    }

    /// A schema from data that may be wrong (a deployment message, a spec parameter): refuses
    /// duplicate columns and an event time that is not a timestamp column instead of trapping.
    public init(checking name: String, columns: [Column], eventTime: String?) throws(SchemaError) {
        var seen: Set<String> = []
        for column in columns where !seen.insert(column.name).inserted {
            throw SchemaError("column '\(column.name)' appears twice")
        }
        if let eventTime {
            guard let column = columns.first(where: { $0.name == eventTime }) else {
                throw SchemaError("event time '\(eventTime)' is not a column; columns: \(columns.map(\.name).joined(separator: ", "))")
            }
            guard column.type == .timestamp, !column.nullable else {
                throw SchemaError("event time '\(eventTime)' must be a non-null timestamp column, not \(column)")
            }
        }
        self.init(name: name, columns: columns, eventTime: eventTime)
    }

    public func column(_ name: String) -> Column? { columns.first { $0.name == name } }

    public func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }

    public var columnNames: [String] { columns.map(\.name) }

    /// This schema with `extra` appended (names must be new), keeping the event time.
    public func appending(_ extra: [Column], name: String) -> Schema {
        Schema(name: name, columns: columns + extra, eventTime: eventTime)
    }

    /// `name(col type, …)`.
    public var description: String { "\(name)(\(columns.map(\.description).joined(separator: ", ")))" }

    public static func == (lhs: Schema, rhs: Schema) -> Bool { lhs.columns == rhs.columns && lhs.eventTime == rhs.eventTime }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(columns)
        hasher.combine(eventTime)
    }

    /// The first column of `required` this schema lacks or types differently, as a message
    /// (`"lacks column user_id int64"`, `"has product_id int64, not string"`); nil when all match.
    /// Nullability: a required non-null column is satisfied only by a non-null one.
    public func mismatch(against required: [Column]) -> String? {
        for wanted in required {
            guard let have = column(wanted.name) else { return "lacks column \(wanted)" }
            if have.type != wanted.type { return "has \(have), not \(wanted.type)" }
            if have.nullable && !wanted.nullable { return "has \(have) (nullable), but a non-null \(wanted.type) is needed" }
        }
        return nil
    }
}
