@testable import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
@testable import SluiceConnectors
@testable import SluiceEngine
@testable import SluiceLibrary
import SluiceOperators
import SluicePostgres
import SluiceTestSupport
import Testing

/// The generic sink checks its table in PostgreSQL's catalog before writing a row: each mismatch
/// is refused with the column and the statement that fixes it.
@Suite(.postgresServer) struct PostgresTableCheckTests {
    private static let schema = Schema(name: "revenue", columns: [
        Column("product_id", .string), Column("window_start", .timestamp), Column("revenue", .decimal(precision: 18, scale: 2)),
        Column("note", .string, nullable: true),
    ])

    /// Creates `ddl` as `sink_check.t<n>` and runs the check of `schema` keyed by product and window.
    private func check(_ table: String, _ ddl: String?, renames: [String: String] = [:]) throws -> String? {
        let connection = try PostgresServerTrait.connect()
        _ = try connection.simpleQuery("CREATE SCHEMA IF NOT EXISTS sink_check")
        if let ddl { _ = try connection.simpleQuery("CREATE TABLE sink_check.\(table) (\(ddl))") }
        do {
            try PostgresTableCheck(table: "sink_check.\(table)", schema: Self.schema, key: ["product_id", "window_start"],
                                   renames: renames).run(on: connection)
            return nil
        } catch let error as SinkTableError {
            return error.description
        }
    }

    @Test func aTableThatFitsPasses() throws {
        #expect(try check("fits", """
            product_id TEXT, window_start TIMESTAMP(3), revenue NUMERIC(18,2), note VARCHAR(20), extra INT,
            PRIMARY KEY (product_id, window_start)
            """) == nil)
    }

    @Test func aMissingTableSaysWhatToCreate() throws {
        let error = try check("absent", nil)
        #expect(error?.contains("does not exist") == true && error?.contains("revenue decimal(18,2)") == true, "\(error ?? "nil")")
    }

    @Test func aMissingColumnSaysWhichAndHowToAddIt() throws {
        let error = try check("lacks", "product_id TEXT, window_start TIMESTAMP, note TEXT, PRIMARY KEY (product_id, window_start)")
        #expect(error?.contains("no column revenue") == true && error?.contains("ADD COLUMN revenue NUMERIC(18, 2)") == true, "\(error ?? "nil")")
    }

    @Test func aColumnOfAnotherTypeIsRefused() throws {
        let error = try check("typed", "product_id TEXT, window_start TIMESTAMP, revenue INTEGER, note TEXT, PRIMARY KEY (product_id, window_start)")
        #expect(error?.contains("revenue is integer") == true, "\(error ?? "nil")")
    }

    @Test func aNullableColumnIntoANotNullOneIsRefused() throws {
        let error = try check("strict", """
            product_id TEXT, window_start TIMESTAMP, revenue NUMERIC, note TEXT NOT NULL, PRIMARY KEY (product_id, window_start)
            """)
        #expect(error?.contains("note is NOT NULL") == true, "\(error ?? "nil")")
    }

    @Test func aKeyWithoutAUniqueIndexIsRefused() throws {
        let error = try check("unkeyed", "product_id TEXT PRIMARY KEY, window_start TIMESTAMP, revenue NUMERIC, note TEXT")
        #expect(error?.contains("no primary key or unique index on exactly (product_id, window_start)") == true, "\(error ?? "nil")")
    }

    @Test func renamedColumnsAreCheckedUnderTheirTableNames() throws {
        #expect(try check("renamed", """
            product TEXT, minute TIMESTAMP, revenue NUMERIC(18,2), note TEXT, PRIMARY KEY (product, minute)
            """, renames: ["product_id": "product", "window_start": "minute"]) == nil)
    }
}
