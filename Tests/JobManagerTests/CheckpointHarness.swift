import Foundation
import Logging
import SluiceEngine
import SluiceJobManager
import SluiceProtocol
import SluiceTestSupport
import Synchronization

/// A coordinator of a four-task job over a temporary checkpoint directory, a manual clock and a
/// recording messenger. Tasks: sources `src[0]` on tm-a and `src[1]` on tm-b; sinks `sink[0]`
/// on tm-a and `sink[1]` on tm-c.
final class CheckpointHarness: Sendable {
    static let tasks: [TaskKey: String] = [
        TaskKey(vertex: "src", subtask: 0): "tm-a", TaskKey(vertex: "src", subtask: 1): "tm-b",
        TaskKey(vertex: "sink", subtask: 0): "tm-a", TaskKey(vertex: "sink", subtask: 1): "tm-c",
    ]
    static let sources: Set<TaskKey> = [TaskKey(vertex: "src", subtask: 0), TaskKey(vertex: "src", subtask: 1)]
    static let job = CheckpointJobInfo(jobID: "job-1", lineage: "lineage-1", jobName: "test job", specYAML: "name: test job\n")

    let directory: TemporaryDirectory
    let storage: CheckpointStorage
    let clock: ManualCheckpointClock
    let messenger = RecordingMessenger()
    let coordinator: CheckpointCoordinator
    let settings: CheckpointSettings
    let canTrigger = LockedBox(true)
    /// (checkpoint id, path) of every `onCompleted` call, in order.
    let reported = LockedBox<[(UInt64, String)]>([])
    /// The cause of every `onTooManyFailures` call, in order.
    let tooManyFailures = LockedBox<[String]>([])

    init(settings: CheckpointSettings = CheckpointSettings(intervalMillis: 1_000, timeoutMillis: 10_000),
         tickInterval: Duration? = nil, clock: ManualCheckpointClock? = nil, metrics: CheckpointMetrics? = nil) throws {
        directory = try TemporaryDirectory(prefix: "sluice-checkpoints")
        storage = try CheckpointStorage(root: directory.path + "/lineage-1")
        self.settings = settings
        let clock = clock ?? ManualCheckpointClock(startMillis: SystemCheckpointClock().nowMillis())
        self.clock = clock
        let canTrigger = self.canTrigger
        let reported = self.reported
        let tooManyFailures = self.tooManyFailures
        coordinator = CheckpointCoordinator(
            job: Self.job, settings: settings, storage: storage, messenger: messenger, clock: clock, metrics: metrics,
            tickInterval: tickInterval, logger: Logger(label: "test"),
            canTrigger: { canTrigger.withLock { $0 } },
            onCompleted: { metadata, path in reported.withLock { $0.append((metadata.checkpointID, path)) } },
            onTooManyFailures: { cause in tooManyFailures.withLock { $0.append(cause) } })
    }

    func start(attempt: UInt32 = 1, restoredFrom restored: CompletedCheckpoint? = nil) {
        coordinator.start(attempt: attempt, tasks: Self.tasks, sources: Self.sources, restoredFrom: restored)
    }

    /// Moves the clock one interval on and ticks; returns the id triggered by that tick, if any.
    @discardableResult
    func triggerNext() async -> UInt64? {
        let before = messenger.triggers().count
        clock.advance(byMillis: settings.intervalMillis)
        await coordinator.tick()
        return messenger.triggers().count > before ? messenger.lastTriggeredID : nil
    }

    func acknowledge(_ task: TaskKey, checkpoint: UInt64, attempt: UInt32 = 1, handles: [_ProtoStateHandle] = []) async {
        var message = _ProtoAcknowledgeCheckpoint()
        message.task = Self.taskID(task, attempt: attempt)
        message.checkpointID = checkpoint
        message.state = handles
        message.stateSizeBytes = handles.reduce(0) { $0 + $1.sizeBytes }
        await coordinator.acknowledge(message)
    }

    /// Every task acknowledges `checkpoint`; `handles` gives a task's state handles.
    func acknowledgeAll(_ checkpoint: UInt64, attempt: UInt32 = 1,
                        handles: (TaskKey) -> [_ProtoStateHandle] = { _ in [] }) async {
        for task in Self.tasks.keys.sorted() { await acknowledge(task, checkpoint: checkpoint, attempt: attempt, handles: handles(task)) }
    }

    func decline(_ task: TaskKey, checkpoint: UInt64, attempt: UInt32 = 1, reason: String) async {
        var message = _ProtoDeclineCheckpoint()
        message.task = Self.taskID(task, attempt: attempt)
        message.checkpointID = checkpoint
        message.reason = reason
        await coordinator.decline(message)
    }

    static func taskID(_ task: TaskKey, attempt: UInt32) -> _ProtoTaskId {
        var id = _ProtoTaskId()
        id.jobID = job.jobID
        id.attempt = attempt
        id.vertexID = task.vertex
        id.subtaskIndex = UInt32(task.subtask)
        return id
    }

    /// A keyed-state handle of `task` with private files under `chk-<n>/` and the given shared files.
    static func handle(_ task: TaskKey, checkpoint: UInt64, size: UInt64 = 100, shared: [String] = []) -> _ProtoStateHandle {
        var handle = _ProtoStateHandle()
        handle.operatorID = task.vertex
        handle.kind = "keyed-rocksdb"
        handle.path = "chk-\(checkpoint)/\(task.vertex)-\(task.subtask)/\(task.vertex)"
        handle.sizeBytes = size
        handle.keyGroups.start = UInt32(task.subtask * 64)
        handle.keyGroups.end = UInt32(task.subtask * 64 + 63)
        handle.sharedFiles = shared.map { "\($0).sst=shared/\($0)" }
        handle.subtaskIndex = UInt32(task.subtask)
        return handle
    }

    /// Writes a file as a TaskManager would upload it, with the given modification time.
    func writeFile(_ relative: String, modifiedAtMillis: Int64? = nil) throws {
        let path = "\(storage.root)/\(relative)"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("data of \(relative)".utf8).write(to: URL(fileURLWithPath: path))
        if let modifiedAtMillis {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Double(modifiedAtMillis) / 1000)],
                                                  ofItemAtPath: path)
        }
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(storage.root)/\(relative)")
    }

    func checkpointDirectories() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: storage.root)) ?? []).filter { $0.hasPrefix("chk-") }.sorted()
    }
}
