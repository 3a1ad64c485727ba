import SluiceTestSupport
import Testing

/// Runs a suite against one dev broker (started through `cluster/devbroker.sh`), stopped when
/// the suite ends, also on failure. Tests read it from `DevBrokerTrait.current`.
struct DevBrokerTrait: SuiteTrait, TestScoping {
    let topics: [String]
    let checkIntervalSeconds: Int

    @TaskLocal static var current: DevBrokerServer?

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let broker = try DevBrokerServer.start(topics: topics, checkIntervalSeconds: checkIntervalSeconds)
        defer { broker.stop() }
        try await Self.$current.withValue(broker) { try await function() }
    }

    /// The broker of the running suite.
    static func broker() throws -> DevBrokerServer {
        try #require(current, "the suite needs the .devBroker(...) trait")
    }
}

extension Trait where Self == DevBrokerTrait {
    /// A dev broker with `topics` (`NAME:PARTITIONS`) for the whole suite.
    static func devBroker(topics: [String], checkIntervalSeconds: Int = 5) -> Self {
        DevBrokerTrait(topics: topics, checkIntervalSeconds: checkIntervalSeconds)
    }
}
