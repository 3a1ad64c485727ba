import Logging
import SluicePostgres
import SluiceProtocol
@testable import SluiceTaskManager
import SluiceTestSupport
import Testing

/// The TaskManager reads the newest rows of a sink table for the JobManager's sink preview,
/// against a real PostgreSQL.
@Suite struct SinkPreviewQueryTests {
    private func request(table: String = "commerce.attributed_checkouts", orderBy: String = "checkout_time",
                         url: String = "") -> _ProtoSinkPreviewRequest {
        var request = _ProtoSinkPreviewRequest()
        request.requestID = 7
        request.table = table
        request.orderBy = orderBy
        request.limit = 10
        request.postgresURL = url
        return request
    }

    @Test func readsTheNewestRowsByTheOrderColumnWithNullsMarked() throws {
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
        // The TaskManager's own URL unless the request names the sink's.
        let reply = SinkPreviewQuery.answer(request(), defaultURL: database.url, logger: Logger(label: "test"))
        #expect(reply.requestID == 7 && reply.error.isEmpty, "\(reply.error)")
        let id = try #require(reply.columns.firstIndex(of: "checkout_id")), click = try #require(reply.columns.firstIndex(of: "click_id"))
        #expect(reply.rows.map { $0.values[id] } == (3...12).reversed().map { "c\($0)" })
        let noClick = try #require(reply.rows.first { $0.values[id] == "c5" })
        #expect(noClick.nulls[click] && !noClick.nulls[id], "SQL NULL is marked, not an empty string")
        let own = SinkPreviewQuery.answer(request(url: database.url), defaultURL: nil, logger: Logger(label: "test"))
        #expect(own.error.isEmpty && own.rows.count == 10)
    }

    @Test func anUnreachableDatabaseOrNoURLIsAnAnswerWithTheReason() {
        let unreachable = SinkPreviewQuery.answer(request(url: "postgresql://sluice@127.0.0.1:1/sluice"), defaultURL: nil,
                                                  logger: Logger(label: "test"))
        #expect(unreachable.rows.isEmpty && unreachable.error.contains("cannot read commerce.attributed_checkouts"), "\(unreachable.error)")
        let noURL = SinkPreviewQuery.answer(request(), defaultURL: nil, logger: Logger(label: "test"))
        #expect(noURL.error.contains("postgres.url"), "\(noURL.error)")
    }

    @Test(arguments: [
        ("postgresql://u@h:1/db", "postgresql://u@h:1/db?connect_timeout=2"),
        ("postgresql://u@h:1/db?sslmode=disable", "postgresql://u@h:1/db?sslmode=disable&connect_timeout=2"),
        ("host=h port=1", "host=h port=1 connect_timeout=2"),
        ("postgresql://u@h/db?connect_timeout=9", "postgresql://u@h/db?connect_timeout=9"),
    ])
    func connectTimeoutIsAddedUnlessSet(url: String, expected: String) {
        #expect(SinkPreviewQuery.withConnectTimeout(url) == expected)
    }
}
