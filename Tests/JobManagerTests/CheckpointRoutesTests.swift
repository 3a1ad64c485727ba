import Foundation
import HTTPTypes
import Hummingbird
import Logging
@testable import SluiceJobManager
import Testing

@Suite struct CheckpointRoutesTests {
    /// A request context that needs no channel, so routes run in-process.
    struct TestContext: RequestContext {
        struct Source: RequestContextSource {
            var logger: Logger
        }
        var coreContext: CoreRequestContextStorage
        init(source: Source) { coreContext = .init(source: source) }
    }

    /// Collects a response body.
    struct BodyCollector: ResponseBodyWriter {
        let bytes = LockedBox(ByteBuffer())
        mutating func write(_ buffer: ByteBuffer) async throws {
            bytes.withLock { collected in
                var buffer = buffer
                collected.writeBuffer(&buffer)
            }
        }
        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    private func get(_ path: String, lookup: @escaping @Sendable (String) -> CheckpointStatsSnapshot?) async throws -> (HTTPResponse.Status, [String: Any]) {
        let router = Router(context: TestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        CheckpointRoutes(lookup: lookup).register(on: router)
        let request = Request(head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: path),
                              body: RequestBody(buffer: ByteBuffer()))
        let context = TestContext(source: .init(logger: Logger(label: "test")))
        let response: Response
        do {
            response = try await router.buildResponder().respond(to: request, context: context)
        } catch let error as RESTError {
            response = try error.response(from: request, context: context)
        }
        let collector = BodyCollector()
        try await response.body.write(collector)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: collector.bytes.withLock { $0 })) as? [String: Any]
        return (response.status, json ?? [:])
    }

    /// Checkpoint 7 completed, 8 failed, 9 in progress; restored from 6.
    private func snapshot() -> CheckpointStatsSnapshot {
        func stats(_ id: UInt64, _ status: CheckpointStats.Status) -> CheckpointStats {
            CheckpointStats(id: id, status: status, isFinal: false, triggerTimestamp: 1_000 * Int64(id),
                            latestAckTimestamp: status == .inProgress ? -1 : 1_000 * Int64(id) + 250, stateSize: 4_096,
                            numSubtasks: 4, numAcknowledgedSubtasks: status == .completed ? 4 : 1,
                            externalPath: status == .completed ? "/cp/lineage/chk-\(id)" : nil, discarded: false,
                            failureTimestamp: status == .failed ? 1_000 * Int64(id) + 500 : nil,
                            failureMessage: status == .failed ? "sink[1] declined: boom" : nil)
        }
        var snapshot = CheckpointStatsSnapshot()
        snapshot.counts = .init(restored: 1, total: 3, inProgress: 1, completed: 1, failed: 1)
        snapshot.stateSize.add(4_096)
        snapshot.endToEndDuration.add(250)
        snapshot.latestCompleted = stats(7, .completed)
        snapshot.latestFailed = stats(8, .failed)
        snapshot.latestRestored = .init(id: 6, restoreTimestamp: 500, externalPath: "/cp/lineage/chk-6")
        snapshot.history = [stats(9, .inProgress), stats(8, .failed), stats(7, .completed)]
        return snapshot
    }

    @Test func checkpointStatisticsUseFlinksFieldNames() async throws {
        let snapshot = snapshot()
        let (status, json) = try await get("/jobs/job-1/checkpoints") { $0 == "job-1" ? snapshot : nil }
        #expect(status == .ok)
        let counts = try #require(json["counts"] as? [String: Int])
        #expect(counts == ["restored": 1, "total": 3, "in_progress": 1, "completed": 1, "failed": 1])
        let summary = try #require(json["summary"] as? [String: [String: Int]])
        #expect(summary["state_size"] == ["min": 4_096, "max": 4_096, "avg": 4_096])
        #expect(summary["end_to_end_duration"] == ["min": 250, "max": 250, "avg": 250])

        let latest = try #require(json["latest"] as? [String: Any])
        #expect(Set(latest.keys) == ["completed", "savepoint", "failed", "restored"])
        #expect(latest["savepoint"] is NSNull)
        #expect((latest["completed"] as? [String: Any])?["external_path"] as? String == "/cp/lineage/chk-7")
        #expect((latest["failed"] as? [String: Any])?["failure_message"] as? String == "sink[1] declined: boom")
        #expect((latest["restored"] as? [String: Any])?["id"] as? Int == 6)

        let history = try #require(json["history"] as? [[String: Any]])
        #expect(history.map { $0["id"] as? Int } == [9, 8, 7])
        #expect(history.map { $0["status"] as? String } == ["IN_PROGRESS", "FAILED", "COMPLETED"])
        let completed = history[2]
        for key in ["is_savepoint", "trigger_timestamp", "latest_ack_timestamp", "state_size", "end_to_end_duration",
                    "num_subtasks", "num_acknowledged_subtasks", "external_path"] {
            #expect(completed[key] != nil, "history entry lacks \(key)")
        }
        #expect(completed["is_savepoint"] as? Bool == false)
        #expect(completed["end_to_end_duration"] as? Int == 250)
        #expect(history[1]["failure_message"] as? String == "sink[1] declined: boom")
        #expect(history[0]["external_path"] == nil)
    }

    @Test func emptyStatisticsRenderNullLatestEntries() async throws {
        let (status, json) = try await get("/jobs/job-1/checkpoints") { _ in CheckpointStatsSnapshot() }
        #expect(status == .ok)
        let latest = try #require(json["latest"] as? [String: Any])
        #expect(latest.values.allSatisfy { $0 is NSNull })
        #expect((json["history"] as? [Any])?.isEmpty == true)
    }

    @Test func unknownJobIsNotFoundInTheJSONErrorShape() async throws {
        let (status, json) = try await get("/jobs/nope/checkpoints") { _ in nil }
        #expect(status == .notFound)
        let errors = try #require(json["errors"] as? [String])
        #expect(errors.first?.contains("nope") == true)
    }
}
