import Foundation
import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceEngine
@testable import SluiceJobManager
import SluiceLibrary
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

    private func routes(_ job: JobMaster.Snapshot, previews: [SinkPreviewTable] = []) -> InProcessRouter {
        InProcessRouter { router in
            JobInsightRoutes(lookup: { $0 == job.id ? job : nil }, previews: { _ in previews }).register(on: router)
        }
    }

    @Test func countersAreSummedOverSubtasksPerOperatorAndEvent() async throws {
        let job = try snapshot { executions in
            executions[TaskKey(vertex: "attribution", subtask: 0)]?.operatorCounters = ["attribution/attributed": 50, "sink/rows_written": 50]
            executions[TaskKey(vertex: "attribution", subtask: 1)]?.operatorCounters = ["attribution/attributed": 37, "attribution/unattributed": 3]
        }
        let body = try await routes(job).send(.get, "/jobs/job1/sink-preview").json()
        let counters = try #require(body["counters"] as? [[String: Any]])
        #expect(counters.map { "\($0["operator"] ?? "")/\($0["event"] ?? "")=\($0["value"] ?? "")" }
                == ["attribution/attributed=87", "attribution/unattributed=3", "sink/rows_written=50"])
    }

    @Test func thePreviewKeepsTheCountersWhenTheRowsCannotBeRead() async throws {
        let job = try snapshot { executions in
            executions[TaskKey(vertex: "attribution", subtask: 0)]?.operatorCounters = ["attribution/attributed": 3]
        }
        let failed = SinkPreviewTable.failed("cannot read commerce.attributed_checkouts: connection refused", vertex: "sink",
                                             table: "commerce.attributed_checkouts", orderBy: "checkout_time")
        let body = try await routes(job, previews: [failed]).send(.get, "/jobs/job1/sink-preview").json()
        #expect((body["counters"] as? [Any])?.count == 1)
        let sink = try #require((body["sinks"] as? [[String: Any]])?.first)
        #expect((sink["rows"] as? [Any])?.isEmpty == true)
        #expect((sink["error"] as? String)?.contains("connection refused") == true)
    }

    @Test func thePreviewListsRowsWithNullsAsNull() async throws {
        let table = SinkPreviewTable(vertex: "sink", table: "commerce.attributed_checkouts", orderBy: "checkout_time",
                                     columns: ["checkout_id", "click_id"], rows: [["c9", nil]], error: nil)
        let body = try await routes(try snapshot { _ in }, previews: [table]).send(.get, "/jobs/job1/sink-preview").json()
        let sink = try #require((body["sinks"] as? [[String: Any]])?.first)
        let rows = try #require(sink["rows"] as? [[Any]])
        #expect(rows.count == 1 && rows[0][0] as? String == "c9" && rows[0][1] is NSNull)
        #expect(sink["error"] is NSNull && sink["order-by"] as? String == "checkout_time")
    }

    @Test func backPressureEndpointReportsTheWorstSubtasksLevel() async throws {
        let job = try snapshot { executions in
            executions[TaskKey(vertex: "clicks", subtask: 0)]?.backPressureRatio = 0.05
            executions[TaskKey(vertex: "clicks", subtask: 0)]?.sampledAt = 9_000
            executions[TaskKey(vertex: "clicks", subtask: 1)]?.backPressureRatio = 0.7
            executions[TaskKey(vertex: "clicks", subtask: 1)]?.sampledAt = 9_500
        }
        let body = try await routes(job).send(.get, "/jobs/job1/vertices/clicks/backpressure").json()
        #expect(body["status"] as? String == "ok")
        #expect(body["backpressure-level"] as? String == "high")
        #expect(body["end-timestamp"] as? Int == 9_500)
        let subtasks = try #require(body["subtasks"] as? [[String: Any]])
        #expect(subtasks.map { $0["backpressure-level"] as? String } == ["ok", "high"])
        #expect(subtasks.map { $0["ratio"] as? Double } == [0.05, 0.7])
    }

    @Test func unknownJobOrVertexIs404() async throws {
        let router = routes(try snapshot { _ in })
        #expect(try await router.send(.get, "/jobs/nope/sink-preview").status == .notFound)
        #expect(try await router.send(.get, "/jobs/job1/vertices/nope/backpressure").status == .notFound)
    }
}
