import Foundation
import HTTPTypes
import Hummingbird
import Logging
@testable import SluiceJobManager
import Testing

/// `GET /prometheus/targets` answers in Prometheus's http_sd shape, in-process (no sockets).
@Suite struct PrometheusTargetsRouteTests {
    private typealias Context = CheckpointRoutesTests.TestContext

    /// Serves one GET through a router holding only the targets route; `host` is the Host header.
    private func get(host: String?, taskManagers: [TaskManagerInfo]) async throws -> (HTTPResponse, [[String: Any]]) {
        let router = Router(context: Context.self)
        PrometheusTargetsRoute(taskManagers: { taskManagers }).register(on: router)
        let request = Request(head: HTTPRequest(method: .get, scheme: "http", authority: host, path: "/prometheus/targets"),
                              body: RequestBody(buffer: ByteBuffer()))
        let response = try await router.buildResponder()
            .respond(to: request, context: Context(source: .init(logger: Logger(label: "test"))))
        let collector = CheckpointRoutesTests.BodyCollector()
        try await response.body.write(collector)
        let body = Data(buffer: collector.bytes.withLock { $0 })
        let groups = try #require(try JSONSerialization.jsonObject(with: body) as? [[String: Any]], "\(String(decoding: body, as: UTF8.self))")
        return (response.head, groups)
    }

    private func tm(_ id: String, host: String = "127.0.0.1", metricsPort: Int) -> TaskManagerInfo {
        TaskManagerInfo(id: id, host: host, dataPort: 7000, metricsPort: metricsPort, slots: 2)
    }

    @Test func everyTaskManagerIsATargetOnItsMetricsPortAndTheJobManagerWhereItWasReached() async throws {
        let (head, groups) = try await get(host: "127.0.0.1:8081",
                                           taskManagers: [tm("tm-a", metricsPort: 9101), tm("tm-b", host: "10.0.0.7", metricsPort: 9102)])
        #expect(head.status == .ok)
        // Prometheus refuses any other content type for http_sd.
        #expect(head.headerFields[.contentType]?.hasPrefix("application/json") == true)
        #expect(groups.map { $0["targets"] as? [String] } == [["127.0.0.1:9101"], ["10.0.0.7:9102"], ["127.0.0.1:8081"]])
        #expect(groups.map { $0["labels"] as? [String: String] } == [
            ["taskmanager": "tm-a", "role": "taskmanager"],
            ["taskmanager": "tm-b", "role": "taskmanager"],
            ["role": "jobmanager"],
        ])
    }

    @Test func taskManagerWithoutAMetricsPortIsLeftOut() async throws {
        let (_, groups) = try await get(host: "jm.example:8081", taskManagers: [tm("old", metricsPort: 0), tm("new", metricsPort: 9200)])
        #expect(groups.compactMap { $0["targets"] as? [String] } == [["127.0.0.1:9200"], ["jm.example:8081"]])
    }

    @Test func emptyClusterStillListsTheJobManager() async throws {
        let (_, groups) = try await get(host: "127.0.0.1:8081", taskManagers: [])
        #expect(groups.count == 1)
        #expect(groups.first?["labels"] as? [String: String] == ["role": "jobmanager"])
    }

    @Test func requestWithoutHostHeaderListsOnlyTheTaskManagers() async throws {
        let (head, groups) = try await get(host: nil, taskManagers: [tm("tm-a", metricsPort: 9101)])
        #expect(head.status == .ok)
        #expect(groups.compactMap { $0["targets"] as? [String] } == [["127.0.0.1:9101"]])
    }

    @Test func ipv6TaskManagerAddressIsBracketed() {
        let groups = PrometheusTargetsRoute<Context>.targetGroups(taskManagers: [tm("v6", host: "::1", metricsPort: 9300)], jobManager: nil)
        #expect(groups == [.init(targets: ["[::1]:9300"], labels: ["taskmanager": "v6", "role": "taskmanager"])])
    }
}
