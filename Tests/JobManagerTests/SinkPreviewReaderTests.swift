import Foundation
import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceEngine
@testable import SluiceJobManager
import SluiceLibrary
import SluiceProtocol
import SluiceTestSupport
import Synchronization
import Testing

/// The JobManager's side of the sink preview: what it asks the TaskManagers (the reading itself
/// is `SinkPreviewQueryTests`, against a real PostgreSQL), how answers become the REST table,
/// the cache, and what it says when no TaskManager answers.
@Suite struct SinkPreviewReaderTests {
    /// The repository's attribution job as a snapshot, its sink pointed at `url`, its tasks on `running`.
    private func job(sinkURL url: String?, spec name: String = "checkout-attribution", running: String? = nil) throws -> JobMaster.Snapshot {
        let yaml = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/\(name).yaml"), encoding: .utf8)
        var spec = try JobSpecParser.parse(yaml: yaml, catalog: BuiltInKinds.catalog)
        if let sink = spec.vertices.firstIndex(where: { $0.kind == PostgresSinkKind.declaration.name }) {
            spec.vertices[sink].params["postgres"] = url
        }
        var execution = Execution()
        execution.taskManager = running
        return JobMaster.Snapshot(id: "job1", lineage: "job1", spec: spec, graph: JobGraph(spec: spec), status: .running, attempt: 1,
                                  numRestarts: 0, startTime: 0, endTime: -1, lastModification: 0, statusTimestamps: [:],
                                  executions: running == nil ? [:] : [TaskKey(vertex: "sink", subtask: 0): execution],
                                  failureCause: nil, restoredFrom: nil, exceptions: [])
    }

    private static func reply(columns: [String], rows: [[String?]]) -> _ProtoSinkPreviewReply {
        var reply = _ProtoSinkPreviewReply()
        reply.columns = columns
        reply.rows = rows.map { values in
            var row = _ProtoSinkPreviewRow()
            row.values = values.map { $0 ?? "" }
            row.nulls = values.map { $0 == nil }
            return row
        }
        return reply
    }

    @Test func asksATaskManagerRunningTheJobForTheNewestRowsByEventTimeAndCaches() async throws {
        let asked = Mutex<[(String, _ProtoSinkPreviewRequest)]>([])
        let reader = SinkPreviewReader(catalog: BuiltInKinds.catalog, ask: { taskManager, request in
            asked.withLock { $0.append((taskManager, request)) }
            return Self.reply(columns: ["checkout_id", "click_id"], rows: [["c12", "k12"], ["c5", nil]])
        }, taskManagers: { ["tm-a", "tm-b"] }, cacheFor: .seconds(60))
        let job = try job(sinkURL: "postgresql://u@h:1/db", running: "tm-b")
        let previews = await reader.previews(of: job)
        let latest = try #require(previews.first)
        #expect(previews.count == 1 && latest.error == nil)
        #expect(latest.table == "commerce.attributed_checkouts" && latest.orderBy == "checkout_time" && latest.vertex == "sink")
        #expect(latest.columns == ["checkout_id", "click_id"] && latest.rows == [["c12", "k12"], ["c5", nil]], "SQL NULL stays null")
        let requests = asked.withLock { $0 }
        #expect(requests.count == 1 && requests[0].0 == "tm-b", "the TaskManager that runs the job is asked first")
        #expect(requests[0].1.table == "commerce.attributed_checkouts" && requests[0].1.orderBy == "checkout_time"
                && requests[0].1.limit == 10 && requests[0].1.postgresURL == "postgresql://u@h:1/db")
        #expect(await reader.previews(of: job) == previews && asked.withLock { $0.count } == 1,
                "within the cache time no TaskManager is asked again")
    }

    @Test func aTaskManagerThatDoesNotAnswerIsSkippedForTheNext() async throws {
        let reader = SinkPreviewReader(catalog: BuiltInKinds.catalog, ask: { taskManager, _ in
            taskManager == "tm-a" ? nil : Self.reply(columns: ["checkout_id"], rows: [["c1"]])
        }, taskManagers: { ["tm-a", "tm-b"] })
        let latest = try #require(await reader.previews(of: try job(sinkURL: nil)).first)
        #expect(latest.error == nil && latest.rows == [["c1"]])
    }

    @Test func theTaskManagersErrorAndMissingTaskManagersAreReportedNotThrown() async throws {
        let failing = { () -> _ProtoSinkPreviewReply in
            var reply = _ProtoSinkPreviewReply()
            reply.error = "cannot read commerce.attributed_checkouts: connection refused"
            return reply
        }()
        let answered = SinkPreviewReader(catalog: BuiltInKinds.catalog, ask: { _, _ in failing }, taskManagers: { ["tm-a"] })
        let failed = try #require(await answered.previews(of: try job(sinkURL: nil)).first)
        #expect(failed.rows.isEmpty && failed.error == failing.error)

        let silent = SinkPreviewReader(catalog: BuiltInKinds.catalog, ask: { _, _ in nil }, taskManagers: { ["tm-a"] })
        #expect(try #require(await silent.previews(of: try job(sinkURL: nil)).first).error?.contains("did not answer") == true)
        let none = SinkPreviewReader(catalog: BuiltInKinds.catalog, ask: { _, _ in nil }, taskManagers: { [] })
        #expect(try #require(await none.previews(of: try job(sinkURL: nil)).first).error?.contains("no TaskManager is registered") == true)
    }

    @Test func aJobWithoutPreviewableSinksHasNoPreview() async throws {
        var snapshot = try job(sinkURL: nil)
        snapshot.spec.vertices.removeAll { $0.kind == PostgresSinkKind.declaration.name }
        let reader = SinkPreviewReader(catalog: BuiltInKinds.catalog, ask: { _, _ in nil }, taskManagers: { ["tm-a"] })
        #expect(await reader.previews(of: snapshot).isEmpty)
    }

    @Test func aLibraryJobsSinkIsPreviewedByItsWindowEnd() async throws {
        let asked = Mutex<[_ProtoSinkPreviewRequest]>([])
        let reader = SinkPreviewReader(catalog: BuiltInKinds.catalog, ask: { _, request in
            asked.withLock { $0.append(request) }
            return Self.reply(columns: [], rows: [])
        }, taskManagers: { ["tm-a"] })
        let latest = try #require(await reader.previews(of: try job(sinkURL: nil, spec: "product-revenue")).first)
        #expect(latest.table == "commerce.product_revenue_minutely" && latest.orderBy == "window_end")
        #expect(asked.withLock { $0.first?.postgresURL } == "", "no URL of its own: the TaskManager's postgres.url")
    }
}
