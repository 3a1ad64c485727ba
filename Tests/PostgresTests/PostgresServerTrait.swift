import SluicePostgres
import SluiceTestSupport
import Testing

/// Runs a suite against one private PostgreSQL server (started through `cluster/postgres.sh`),
/// stopped when the suite ends, also on failure. Tests read it from `PostgresServerTrait.current`.
struct PostgresServerTrait: SuiteTrait, TestScoping {
    @TaskLocal static var current: PostgresServer?

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let server = try PostgresServer.start()
        defer { server.stop() }
        try await Self.$current.withValue(server) { try await function() }
    }

    /// A new connection to the suite's server.
    static func connect() throws -> PostgresConnection {
        let server = try #require(current, "the suite needs the .postgresServer trait")
        return try PostgresConnection.connect(url: server.url)
    }
}

extension Trait where Self == PostgresServerTrait {
    /// A private PostgreSQL server for the whole suite.
    static var postgresServer: Self { Self() }
}
