import Foundation
@testable import SluiceJobManager
import SluiceCatalog
import SluiceEngine
import SluiceTestSupport
import Testing

@Suite struct JobInsightRoutesTests {
    /// The repository's attribution job: sources `clicks`, `checkouts` (parallelism 2) and the
    /// chain attribution → enrich → sink.
    private func snapshot(_ configure: (inout [TaskKey: Execution]) -> Void) throws -> JobMaster.Snapshot {
        let yaml = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/checkout-attribution.yaml"), encoding: .utf8)
        let spec = try JobSpecParser.parse(yaml: yaml, catalog: BuiltInKinds.catalog)
        let graph = JobGraph(spec: spec)
        var executions: [TaskKey: Execution] = [:]
        for chain in graph.chains {
            for subtask in 0..<chain.parallelism { executions[TaskKey(vertex: chain.id, subtask: subtask)] = Execution() }
        }
        configure(&executions)
        return JobMaster.Snapshot(id: "job1", lineage: "job1", spec: spec, graph: graph, status: .running, attempt: 1, numRestarts: 0,
                                  startTime: 0, endTime: -1, lastModification: 0, statusTimestamps: [:], executions: executions,
                                  failureCause: nil, restoredFrom: nil, exceptions: [])
    }

    private func routes(_ job: JobMaster.Snapshot, latest: LatestAttributions) -> InProcessRouter {
        InProcessRouter { router in
            JobInsightRoutes(lookup: { $0 == job.id ? job : nil }, latest: { _ in latest }).register(on: router)
        }
    }

    @Test func attributionSharesAreSummedOverSubtasks() throws {
        let counts = AttributionCounts(operatorCounters: VertexMetrics.summed([
            ["attribution/attributed": 50, "attribution/unattributed": 10, "sink/rows_written": 50],
            ["attribution/attributed": 37, "attribution/unattributed": 3, "clicks/records_read": 400]]))
        #expect(counts == AttributionCounts(attributed: 87, unattributed: 13))
        #expect(counts.checkouts == 100)
        #expect(counts.attributedShare == 0.87)
    }

    @Test func attributedShareIsZeroBeforeTheFirstCheckout() {
        #expect(AttributionCounts(operatorCounters: [:]).attributedShare == 0)
    }

    @Test func attributionEndpointKeepsTheCountsWhenTheRowsCannotBeRead() async throws {
        let job = try snapshot { executions in
            executions[TaskKey(vertex: "attribution", subtask: 0)]?.operatorCounters = ["attribution/attributed": 3, "attribution/unattributed": 1]
        }
        let body = try await routes(job, latest: .failed("cannot read commerce.attributed_checkouts: connection refused")).send(.get, "/jobs/job1/attribution").json()
        #expect(body["checkouts"] as? Int == 4)
        #expect(body["attributed"] as? Int == 3)
        #expect(body["attributed-share"] as? Double == 0.75)
        #expect((body["latest"] as? [Any])?.isEmpty == true)
        #expect((body["latest-error"] as? String)?.contains("connection refused") == true)
    }

    @Test func attributionEndpointListsTheLatestRows() async throws {
        let job = try snapshot { _ in }
        let rows = LatestAttributions(rows: [["checkout_id": "c9", "click_id": nil]], error: nil, table: "commerce.attributed_checkouts")
        let body = try await routes(job, latest: rows).send(.get, "/jobs/job1/attribution").json()
        let latest = try #require(body["latest"] as? [[String: Any]])
        #expect(latest.count == 1 && latest[0]["checkout_id"] as? String == "c9" && latest[0]["click_id"] is NSNull)
        #expect(body["latest-error"] == nil)
    }

    @Test func backPressureEndpointReportsTheWorstSubtasksLevel() async throws {
        let job = try snapshot { executions in
            executions[TaskKey(vertex: "clicks", subtask: 0)]?.backPressureRatio = 0.05
            executions[TaskKey(vertex: "clicks", subtask: 0)]?.sampledAt = 9_000
            executions[TaskKey(vertex: "clicks", subtask: 1)]?.backPressureRatio = 0.7
            executions[TaskKey(vertex: "clicks", subtask: 1)]?.sampledAt = 9_500
        }
        let body = try await routes(job, latest: .failed("unused")).send(.get, "/jobs/job1/vertices/clicks/backpressure").json()
        #expect(body["status"] as? String == "ok")
        #expect(body["backpressure-level"] as? String == "high")
        #expect(body["end-timestamp"] as? Int == 9_500)
        let subtasks = try #require(body["subtasks"] as? [[String: Any]])
        #expect(subtasks.map { $0["backpressure-level"] as? String } == ["ok", "high"])
        #expect(subtasks.map { $0["ratio"] as? Double } == [0.05, 0.7])
    }

    @Test func unknownJobOrVertexIs404() async throws {
        let router = routes(try snapshot { _ in }, latest: .failed("unused"))
        #expect(try await router.send(.get, "/jobs/nope/attribution").status == .notFound)
        #expect(try await router.send(.get, "/jobs/job1/vertices/nope/backpressure").status == .notFound)
    }
}
