import Foundation
import Logging
@testable import SluiceJobManager
import SluiceCatalog
import SluiceEngine
import SluicePostgres
import SluiceTestSupport
import Testing

@Suite struct SinkPreviewReaderTests {
    /// The repository's attribution job, its sink pointed at `url`.
    private func spec(sinkURL url: String?) throws -> JobSpec {
        let yaml = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/checkout-attribution.yaml"), encoding: .utf8)
        var spec = try JobSpecParser.parse(yaml: yaml, catalog: BuiltInKinds.catalog)
        let sink = try #require(spec.vertices.firstIndex { $0.kind == PostgresSinkKind.declaration.name })
        spec.vertices[sink].params["postgres"] = url
        return spec
    }

    private func reader() -> SinkPreviewReader {
        SinkPreviewReader(catalog: BuiltInKinds.catalog, connectors: nil, logger: Logger(label: "test"), cacheFor: .seconds(60))
    }

    @Test func readsTheNewestRowsOfTheSinkTableByItsEventTimeAndCachesThem() async throws {
        let database = try PostgresServer.start()
        defer { database.stop() }
        let connection = try PostgresConnection.connect(url: database.url)
        _ = try connection.simpleQuery(try RepositoryLayout.schemaSQL())
        // c1 … c12, c12 the newest checkout; c5 has no click.
        for index in 1...12 {
            _ = try connection.execute("""
                INSERT INTO commerce.attributed_checkouts (checkout_id, click_id, product_id, checkout_time, user_id)
                VALUES ($1, $2, 'P00001', '2026-11-20 10:00:00'::timestamp + make_interval(secs => $3::int), 7)
                """, ["c\(index)", index == 5 ? nil : "k\(index)", "\(index)"])
        }
        let reader = reader()
        let spec = try spec(sinkURL: database.url)
        let previews = await reader.previews(of: spec)
        let latest = try #require(previews.first)
        #expect(previews.count == 1 && latest.error == nil)
        #expect(latest.table == "commerce.attributed_checkouts" && latest.orderBy == "checkout_time" && latest.vertex == "sink")
        let id = try #require(latest.columns.firstIndex(of: "checkout_id")), click = try #require(latest.columns.firstIndex(of: "click_id"))
        #expect(latest.rows.map { $0[id] } == (3...12).reversed().map { "c\($0)" })
        let noClick = try #require(latest.rows.first { $0[id] == "c5" })
        #expect(noClick[click] == nil, "SQL NULL stays null")

        _ = try connection.execute("""
            INSERT INTO commerce.attributed_checkouts (checkout_id, product_id, checkout_time, user_id) VALUES ('c13', 'P1', now(), 7)
            """)
        #expect(await reader.previews(of: spec) == previews, "within the cache time the database is not asked again")
    }

    @Test func unreachableDatabaseIsReportedNotThrown() async throws {
        let latest = try #require(await reader().previews(of: try spec(sinkURL: "postgresql://sluice@127.0.0.1:1/sluice")).first)
        #expect(latest.rows.isEmpty)
        #expect(latest.error?.contains("cannot read commerce.attributed_checkouts") == true, "\(latest.error ?? "nil")")
    }

    @Test func aJobWithoutPreviewableSinksHasNoPreview() async throws {
        var spec = try spec(sinkURL: nil)
        spec.vertices.removeAll { $0.kind == PostgresSinkKind.declaration.name }
        #expect(await reader().previews(of: spec).isEmpty)
    }

    @Test func aLibraryJobsSinkIsPreviewedByItsWindowEnd() async throws {
        let yaml = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/product-revenue.yaml"), encoding: .utf8)
        let spec = try JobSpecParser.parse(yaml: yaml, catalog: BuiltInKinds.catalog)
        let latest = try #require(await reader().previews(of: spec).first)
        #expect(latest.table == "commerce.product_revenue_minutely" && latest.orderBy == "window_end")
    }

    @Test func sinkWithoutAnyPostgresURLSaysWhereToSetOne() async throws {
        let latest = try #require(await reader().previews(of: try spec(sinkURL: nil)).first)
        #expect(latest.error?.contains("postgres.url") == true)
    }

    @Test(arguments: [
        ("postgresql://u@h:1/db", "postgresql://u@h:1/db?connect_timeout=2"),
        ("postgresql://u@h:1/db?sslmode=disable", "postgresql://u@h:1/db?sslmode=disable&connect_timeout=2"),
        ("host=h port=1", "host=h port=1 connect_timeout=2"),
        ("postgresql://u@h/db?connect_timeout=9", "postgresql://u@h/db?connect_timeout=9"),
    ])
    func connectTimeoutIsAddedUnlessSet(url: String, expected: String) {
        #expect(SinkPreviewReader.withConnectTimeout(url) == expected)
    }
}
