import Foundation
import Logging
@testable import SluiceJobManager
import SluiceCatalog
import SluiceEngine
import SluicePostgres
import SluiceTestSupport
import Testing

@Suite struct LatestAttributionsReaderTests {
    /// The repository's attribution job, its sink pointed at `url`.
    private func spec(sinkURL url: String?) throws -> JobSpec {
        let yaml = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/checkout-attribution.yaml"), encoding: .utf8)
        var spec = try JobSpecParser.parse(yaml: yaml, catalog: BuiltInKinds.catalog)
        let sink = try #require(spec.vertices.firstIndex { $0.kind == PostgresSinkKind.declaration.name })
        spec.vertices[sink].params["postgres"] = url
        return spec
    }

    private func reader() -> LatestAttributionsReader {
        LatestAttributionsReader(connectors: nil, logger: Logger(label: "test"), cacheFor: .seconds(60))
    }

    @Test func readsTheNewestRowsOfTheSinkTableAndCachesThem() async throws {
        let database = try PostgresServer.start()
        defer { database.stop() }
        let connection = try PostgresConnection.connect(url: database.url)
        _ = try connection.simpleQuery(try RepositoryLayout.schemaSQL())
        // c1 … c12, c12 attributed last; c5 has no click.
        for index in 1...12 {
            _ = try connection.execute("""
                INSERT INTO commerce.attributed_checkouts (checkout_id, click_id, product_id, checkout_time, user_id, attributed_at)
                VALUES ($1, $2, 'P00001', '2026-11-20 10:00:00', 7, now() - make_interval(secs => $3::int))
                """, ["c\(index)", index == 5 ? nil : "k\(index)", "\(100 - index)"])
        }
        let reader = reader()
        let spec = try spec(sinkURL: database.url)
        let latest = await reader.latest(of: spec)
        #expect(latest.error == nil)
        #expect(latest.table == "commerce.attributed_checkouts")
        #expect(latest.rows.map { $0["checkout_id"] ?? nil } == (3...12).reversed().map { "c\($0)" })
        let noClick = try #require(latest.rows.first { $0["checkout_id"] == "c5" })
        #expect(noClick["click_id"] == .some(nil), "SQL NULL stays null")

        _ = try connection.execute("""
            INSERT INTO commerce.attributed_checkouts (checkout_id, product_id, checkout_time, user_id) VALUES ('c13', 'P1', now(), 7)
            """)
        #expect(await reader.latest(of: spec) == latest, "within the cache time the database is not asked again")
    }

    @Test func unreachableDatabaseIsReportedNotThrown() async throws {
        let latest = await reader().latest(of: try spec(sinkURL: "postgresql://sluice@127.0.0.1:1/sluice"))
        #expect(latest.rows.isEmpty)
        #expect(latest.error?.contains("cannot read commerce.attributed_checkouts") == true, "\(latest.error ?? "nil")")
    }

    @Test func jobWithoutPostgresSinkSaysSo() async throws {
        var spec = try spec(sinkURL: nil)
        spec.vertices.removeAll { $0.kind == PostgresSinkKind.declaration.name }
        let latest = await reader().latest(of: spec)
        #expect(latest.rows.isEmpty)
        #expect(latest.error?.contains("no postgres-sink") == true)
    }

    @Test func sinkWithoutAnyPostgresURLSaysWhereToSetOne() async throws {
        let latest = await reader().latest(of: try spec(sinkURL: nil))
        #expect(latest.error?.contains("postgres.url") == true)
    }

    @Test(arguments: [
        ("postgresql://u@h:1/db", "postgresql://u@h:1/db?connect_timeout=2"),
        ("postgresql://u@h:1/db?sslmode=disable", "postgresql://u@h:1/db?sslmode=disable&connect_timeout=2"),
        ("host=h port=1", "host=h port=1 connect_timeout=2"),
        ("postgresql://u@h/db?connect_timeout=9", "postgresql://u@h/db?connect_timeout=9"),
    ])
    func connectTimeoutIsAddedUnlessSet(url: String, expected: String) {
        #expect(LatestAttributionsReader.withConnectTimeout(url) == expected)
    }
}
