import Foundation
import SluicePostgres

/// Applies `cluster/schema.sql` (idempotent DDL) and checks that the tables a tool needs exist.
public enum SchemaLoader {
    /// Runs every statement of the schema file at `path` in one round trip.
    public static func apply(path: String, on connection: PostgresConnection) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DatagenError.unreadableSchema(path: path, reason: error.localizedDescription)
        }
        try connection.simpleQuery(text)
        connection.logger.info("applied schema", metadata: ["schema": "\(path)"])
    }

    /// Whether the (possibly schema-qualified) table exists.
    public static func tableExists(_ table: String, on connection: PostgresConnection) throws -> Bool {
        let result = try connection.execute("SELECT to_regclass($1) IS NOT NULL", [PostgresConnection.quoteQualifiedName(table)])
        return result.value(row: 0, column: 0) == "t"
    }
}
