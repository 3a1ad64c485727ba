import SluiceEngine
import SluiceProtocol

/// The checkpoint coordinator's decisions, without I/O: when to trigger, which acknowledgement
/// completes a checkpoint, what times out, what is subsumed.
///
/// A value type driven by `CheckpointCoordinator` under its lock; time comes in as epoch
/// milliseconds. Invariants: checkpoint ids only grow, across attempts and restores; pending
/// checkpoints all belong to the current attempt (starting or stopping aborts the others); at
/// most `maxConcurrent` are pending, except that a final checkpoint waits for all to end.
struct CheckpointCoordinatorState: Sendable {
    /// The running attempt of the job: its tasks (with their TaskManager) and source tasks.
    struct Attempt: Sendable {
        var number: UInt32
        var tasks: [TaskKey: String]
        var sources: Set<TaskKey>
    }

    /// Progress of a stop-with-checkpoint.
    enum FinalRequest: Sendable, Equatable {
        case waiting
        case triggered(UInt64)
        case completed
    }

    let jobID: String
    let settings: CheckpointSettings
    private(set) var attempt: Attempt?
    private(set) var nextCheckpointID: UInt64 = 1
    private(set) var pending: [UInt64: PendingCheckpoint] = [:]
    private(set) var lastTriggerAt: Int64?
    private(set) var lastEndAt: Int64?
    private(set) var finalRequest: FinalRequest?
    /// The requested final checkpoint drains the job (`stop --drain`): sources emit the maximum
    /// watermark before its barrier.
    private(set) var finalDrains = false
    private(set) var store: CompletedCheckpointStore
    private(set) var stats = CheckpointStatsTracker()
    /// Expiries and declines since the last completed checkpoint (or attempt start).
    private(set) var consecutiveFailures = 0

    init(jobID: String, settings: CheckpointSettings) {
        self.jobID = jobID
        self.settings = settings
        store = CompletedCheckpointStore(retained: settings.retained)
    }

    // MARK: attempts

    /// Begins triggering for `attempt`, one interval from `now`. A restore continues the ids
    /// after the restored checkpoint; a restored checkpoint this store does not know yet (a
    /// restarted JobManager) is adopted when `adopt` is true, so it is subsumed in turn.
    mutating func start(attempt: UInt32, tasks: [TaskKey: String], sources: Set<TaskKey>,
                        restoredFrom restored: CompletedCheckpoint?, adopt: Bool, now: Int64) -> [CheckpointDecision.Abort] {
        let aborted = abortAll(reason: "attempt \(attempt) of the job started", now: now)
        self.attempt = Attempt(number: attempt, tasks: tasks, sources: sources)
        consecutiveFailures = 0
        lastTriggerAt = now
        finalRequest = nil
        finalDrains = false
        if let restored {
            nextCheckpointID = max(nextCheckpointID, restored.id + 1)
            stats.restored(restored, at: now)
            if adopt && store.latest == nil { _ = store.add(restored) }
        }
        return aborted
    }

    /// Stops triggering and aborts every pending checkpoint.
    mutating func stop(reason: String, now: Int64) -> [CheckpointDecision.Abort] {
        let aborted = abortAll(reason: reason, now: now)
        attempt = nil
        finalRequest = nil
        finalDrains = false
        return aborted
    }

    // MARK: triggering

    /// Expires checkpoints older than the timeout, then triggers one if it is due.
    mutating func tick(now: Int64, canTrigger: Bool) -> CheckpointDecision.Tick {
        let expired = pending.values.filter { settings.timeoutMillis > 0 && now - $0.triggerTimestamp >= settings.timeoutMillis }.sorted { $0.id < $1.id }
        var decision = CheckpointDecision.Tick()
        for checkpoint in expired {
            let reason = "expired after \(settings.timeoutMillis) ms with \(checkpoint.acknowledged.count) of \(checkpoint.tasks.count) tasks acknowledged; raise checkpoints.timeout-ms in the job spec or look for back-pressure"
            if let abort = abort(checkpoint.id, reason: reason, now: now) { decision.expired.append(counted(abort)) }
        }
        decision.trigger = nextTrigger(now: now, canTrigger: canTrigger)
        return decision
    }

    /// Asks for a final checkpoint (draining the job when `drain`); returns it if it can be
    /// triggered right away, otherwise it is triggered by the first `nextTrigger` after the
    /// pending checkpoints ended.
    mutating func requestFinal(drain: Bool = false, now: Int64, canTrigger: Bool) throws(CheckpointCoordinatorError) -> CheckpointDecision.Trigger? {
        guard attempt != nil else { throw .notRunning }
        guard settings.isEnabled else { throw .checkpointingDisabled }
        guard finalRequest == nil else { throw .finalAlreadyRequested }
        finalRequest = .waiting
        finalDrains = drain
        return nextTrigger(now: now, canTrigger: canTrigger)
    }

    /// The checkpoint to trigger now, if any: a waiting final one once nothing is pending,
    /// otherwise a periodic one when the interval passed, the minimum pause since the last
    /// checkpoint ended passed, and fewer than `maxConcurrent` are pending.
    mutating func nextTrigger(now: Int64, canTrigger: Bool) -> CheckpointDecision.Trigger? {
        guard let attempt, canTrigger, settings.isEnabled else { return nil }
        switch finalRequest {
        case .waiting:
            return pending.isEmpty ? trigger(attempt, isFinal: true, now: now) : nil
        case .triggered, .completed:
            return nil
        case nil:
            guard pending.count < max(settings.maxConcurrent, 1),
                  now >= (lastTriggerAt ?? now) + settings.intervalMillis,
                  lastEndAt.map({ now >= $0 + settings.minPauseMillis }) ?? true else { return nil }
            return trigger(attempt, isFinal: false, now: now)
        }
    }

    private mutating func trigger(_ attempt: Attempt, isFinal: Bool, now: Int64) -> CheckpointDecision.Trigger {
        let id = max(nextCheckpointID, (store.latest?.id ?? 0) + 1)
        nextCheckpointID = id + 1
        let checkpoint = PendingCheckpoint(id: id, attempt: attempt.number, triggerTimestamp: now, isFinal: isFinal, tasks: attempt.tasks)
        pending[id] = checkpoint
        lastTriggerAt = now
        if isFinal { finalRequest = .triggered(id) }
        stats.triggered(checkpoint)
        let sourceTaskManagers = Set(attempt.sources.compactMap { attempt.tasks[$0] }).sorted()
        return .init(checkpointID: id, attempt: attempt.number, timestamp: now, isFinal: isFinal, drain: isFinal && finalDrains,
                     sourceTaskManagers: sourceTaskManagers)
    }

    // MARK: acknowledgements

    /// Records a task's acknowledgement; messages of another job or attempt, unknown or ended
    /// checkpoints, foreign tasks and duplicates are ignored (fencing).
    mutating func acknowledge(_ message: _ProtoAcknowledgeCheckpoint, now: Int64) -> CheckpointDecision.Acknowledgement {
        let task = TaskKey(vertex: message.task.vertexID, subtask: Int(message.task.subtaskIndex))
        if let reason = fencingViolation(message.task, checkpointID: message.checkpointID) { return .ignored(reason: reason) }
        guard var checkpoint = pending[message.checkpointID] else {
            return .ignored(reason: "checkpoint \(message.checkpointID) is not pending (already ended or never triggered)")
        }
        guard checkpoint.acknowledge(task, handles: message.state, reportedSize: message.stateSizeBytes,
                                     uploadedSize: message.uploadedBytes, alignmentMillis: message.alignmentDurationMs,
                                     at: now) else {
            return .ignored(reason: "\(task) is not a task of the attempt or already acknowledged")
        }
        stats.acknowledged(checkpoint)
        guard checkpoint.isComplete else {
            pending[message.checkpointID] = checkpoint
            return .recorded
        }
        pending[message.checkpointID] = nil
        return .complete(checkpoint)
    }

    /// A task declined: abort its checkpoint (if the message passes fencing).
    mutating func decline(_ message: _ProtoDeclineCheckpoint, now: Int64) -> CheckpointDecision.Abort? {
        guard fencingViolation(message.task, checkpointID: message.checkpointID) == nil else { return nil }
        let task = TaskKey(vertex: message.task.vertexID, subtask: Int(message.task.subtaskIndex))
        return abort(message.checkpointID, reason: "\(task) declined: \(message.reason)", now: now).map { counted($0) }
    }

    /// Counts an expiry or a decline towards `tolerable-failures` (a completion resets it; aborts
    /// because the job stops or a newer checkpoint subsumed them do not count).
    private mutating func counted(_ abort: CheckpointDecision.Abort) -> CheckpointDecision.Abort {
        consecutiveFailures += 1
        var abort = abort
        if consecutiveFailures > settings.tolerableFailures {
            abort.exceedsTolerance = true
            abort.reason = "\(consecutiveFailures) checkpoints failed in a row, more than checkpoints.tolerable-failures "
                + "(\(settings.tolerableFailures)); the last: \(abort.reason)"
        }
        return abort
    }

    private func fencingViolation(_ task: _ProtoTaskId, checkpointID: UInt64) -> String? {
        if task.jobID != jobID { return "message of job \(task.jobID)" }
        guard let attempt else { return "no attempt is running" }
        if task.attempt != attempt.number { return "attempt \(task.attempt) is not the current attempt \(attempt.number)" }
        return nil
    }

    // MARK: endings

    /// `checkpoint` (complete, metadata durable at `externalPath`) joins the store; older
    /// pending checkpoints are aborted as subsumed.
    mutating func complete(_ checkpoint: PendingCheckpoint, metadata: CheckpointMetadata, externalPath: String,
                           now: Int64) -> CheckpointDecision.Completion {
        lastEndAt = now
        consecutiveFailures = 0
        let completed = CompletedCheckpoint(metadata: metadata, externalPath: externalPath)
        let subsumed = store.add(completed)
        for old in subsumed { stats.discarded(old.id) }
        let entry = stats.completed(checkpoint, externalPath: externalPath)
        let older = pending.keys.filter { $0 < checkpoint.id }.sorted().compactMap { id in
            abort(id, reason: "subsumed by completed checkpoint \(checkpoint.id)", now: now)
        }
        if checkpoint.isFinal { finalRequest = .completed }
        return .init(checkpoint: completed, attempt: checkpoint.attempt, taskManagers: checkpoint.taskManagers,
                     subsumed: subsumed, abortedOlder: older, retained: store.checkpoints.map(\.metadata),
                     isLatest: store.latest?.id == checkpoint.id, stats: entry)
    }

    /// Ends pending checkpoint `id` as failed; nil if it is not pending. An aborted final
    /// checkpoint ends the stop-with-checkpoint request (the job keeps running).
    mutating func abort(_ id: UInt64, reason: String, now: Int64) -> CheckpointDecision.Abort? {
        guard let checkpoint = pending.removeValue(forKey: id) else { return nil }
        return failed(checkpoint, reason: reason, now: now)
    }

    /// Ends `checkpoint`, no longer pending, as failed: one whose acknowledgements were complete
    /// but whose metadata could not be written, or one `abort` removed.
    mutating func failed(_ checkpoint: PendingCheckpoint, reason: String, now: Int64) -> CheckpointDecision.Abort {
        let id = checkpoint.id
        lastEndAt = now
        if finalRequest == .triggered(id) { finalRequest = nil }
        let entry = stats.failed(checkpoint, reason: reason, at: now)
        return .init(checkpointID: id, attempt: checkpoint.attempt, taskManagers: checkpoint.taskManagers, reason: reason,
                     isFinal: checkpoint.isFinal, stats: entry)
    }

    private mutating func abortAll(reason: String, now: Int64) -> [CheckpointDecision.Abort] {
        pending.keys.sorted().compactMap { abort($0, reason: reason, now: now) }
    }
}
