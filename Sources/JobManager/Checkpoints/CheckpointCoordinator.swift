import Logging
import SluiceEngine
import SluiceProtocol
import Synchronization

/// Takes the checkpoints of one job (DESIGN.md §5): triggers them at the sources, collects the
/// tasks' acknowledgements, writes the metadata, keeps the last `retained` and tells the
/// TaskManagers the outcome.
///
/// Thread-safe: `CheckpointCoordinatorState` decides under a lock, this shell performs the
/// decisions (messages, files) outside it; a Task calls `tick()` every `tickInterval` while an
/// attempt runs. Acknowledgements are handled one at a time through the durable part of a
/// completion, so checkpoints complete, and `onCompleted` sees them, in id order; the HA
/// pointer (`onCompleted`) is updated before subsumed checkpoints are deleted.
public final class CheckpointCoordinator: Sendable {
    private struct Locked {
        var machine: CheckpointCoordinatorState
        var finalWaiter: CheckedContinuation<CompletedCheckpoint, any Error>?
        var timer: Task<Void, Never>?
    }

    public let job: CheckpointJobInfo
    public let settings: CheckpointSettings
    public let storage: CheckpointStorage
    let messenger: any CheckpointMessenger
    let clock: any CheckpointClock
    let metrics: CheckpointMetrics?
    let logger: Logger
    private let tickInterval: Duration?
    private let canTrigger: @Sendable () -> Bool
    private let onCompleted: @Sendable (CheckpointMetadata, String) -> Void
    private let onTooManyFailures: @Sendable (String) -> Void
    private let locked: Mutex<Locked>
    private let completionOrder = Mutex(())

    /// - Parameters:
    ///   - tickInterval: how often the timer Task checks for due triggers and timeouts; nil runs
    ///     no timer (tests call `tick()` themselves).
    ///   - canTrigger: whether a checkpoint may be triggered now (the JobMaster answers "job
    ///     RUNNING and every task RUNNING"); called outside the coordinator's lock.
    ///   - onCompleted: the metadata and `chk-<n>` directory of each newly latest completed
    ///     checkpoint, before older ones are deleted (the JobMaster persists it as HA pointer).
    public init(job: CheckpointJobInfo, settings: CheckpointSettings, storage: CheckpointStorage,
                messenger: any CheckpointMessenger, clock: any CheckpointClock = SystemCheckpointClock(),
                metrics: CheckpointMetrics? = nil, tickInterval: Duration? = .milliseconds(100), logger: Logger,
                canTrigger: @escaping @Sendable () -> Bool,
                onCompleted: @escaping @Sendable (CheckpointMetadata, String) -> Void,
                onTooManyFailures: @escaping @Sendable (String) -> Void = { _ in }) {
        self.job = job
        self.settings = settings
        self.storage = storage
        self.messenger = messenger
        self.clock = clock
        self.metrics = metrics
        self.tickInterval = tickInterval
        self.canTrigger = canTrigger
        self.onCompleted = onCompleted
        self.onTooManyFailures = onTooManyFailures
        var logger = logger
        logger[metadataKey: "job"] = "\(job.jobID)"
        self.logger = logger
        locked = Mutex(Locked(machine: CheckpointCoordinatorState(jobID: job.jobID, settings: settings)))
    }

    deinit {
        locked.withLock { $0.timer?.cancel() }
    }

    // MARK: lifecycle

    /// Begins periodic checkpoints of `attempt`, whose tasks run on the given TaskManagers;
    /// triggers go to the TaskManagers of `sources`. After a restore pass the restored
    /// checkpoint: ids continue after it. Pending checkpoints of an earlier attempt are aborted.
    public func start(attempt: UInt32, tasks: [TaskKey: String], sources: Set<TaskKey>, restoredFrom restored: CompletedCheckpoint? = nil) {
        let now = clock.nowMillis()
        let adopt = restored.map { storage.contains($0.externalPath) } ?? false
        let (aborted, waiter) = locked.withLock { state in
            let aborted = state.machine.start(attempt: attempt, tasks: tasks, sources: sources, restoredFrom: restored, adopt: adopt, now: now)
            state.timer?.cancel()
            state.timer = makeTimer()
            let waiter = state.finalWaiter
            state.finalWaiter = nil
            return (aborted, waiter)
        }
        waiter?.resume(throwing: CheckpointCoordinatorError.stopped(reason: "attempt \(attempt) of the job started"))
        logger.info("checkpointing started", metadata: [
            "attempt": "\(attempt)", "tasks": "\(tasks.count)", "restored": "\(restored.map { "\($0.id)" } ?? "none")",
            "interval_ms": "\(settings.intervalMillis)"])
        if !aborted.isEmpty { Task { for abort in aborted { await self.carryOut(abort) } } }
    }

    /// Stops triggering and aborts pending checkpoints (failover, cancel, finish). The state
    /// changes at once; the returned task finishes once the TaskManagers were told.
    @discardableResult
    public func stop(reason: String) -> Task<Void, Never> {
        let now = clock.nowMillis()
        let (aborted, waiter) = locked.withLock { state in
            let aborted = state.machine.stop(reason: reason, now: now)
            state.timer?.cancel()
            state.timer = nil
            let waiter = state.finalWaiter
            state.finalWaiter = nil
            return (aborted, waiter)
        }
        waiter?.resume(throwing: CheckpointCoordinatorError.stopped(reason: reason))
        logger.info("checkpointing stopped", metadata: ["reason": "\(reason)", "aborted": "\(aborted.map(\.checkpointID))"])
        return Task { for abort in aborted { await self.carryOut(abort) } }
    }

    private func makeTimer() -> Task<Void, Never>? {
        guard let tickInterval, settings.isEnabled else { return nil }
        return Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                await self.tick()
                try? await Task.sleep(for: tickInterval)
            }
        }
    }

    // MARK: time

    /// Aborts checkpoints past the timeout, then triggers one if due. The timer calls this;
    /// tests call it after moving their clock.
    public func tick() async {
        let now = clock.nowMillis()
        let canTrigger = canTrigger()
        let decision = locked.withLock { $0.machine.tick(now: now, canTrigger: canTrigger) }
        for abort in decision.expired { await carryOut(abort) }
        if let trigger = decision.trigger { await carryOut(trigger) }
    }

    // MARK: messages from tasks

    /// A task's acknowledgement. Completes the checkpoint when it is the last one: metadata,
    /// store, `onCompleted`, subsumed files, then `NotifyCheckpointComplete`.
    public func acknowledge(_ message: _ProtoAcknowledgeCheckpoint) async {
        let now = clock.nowMillis()
        let outcome = completionOrder.withLock { _ -> AcknowledgementOutcome in
            switch locked.withLock({ $0.machine.acknowledge(message, now: now) }) {
            case .ignored(let reason): return .ignored(reason)
            case .recorded: return .recorded
            case .complete(let checkpoint): return complete(checkpoint, now: now)
            }
        }
        switch outcome {
        case .ignored(let reason):
            logger.debug("acknowledgement ignored", metadata: [
                "checkpoint": "\(message.checkpointID)", "attempt": "\(message.task.attempt)", "reason": "\(reason)"])
        case .recorded:
            break
        case .failed(let abort):
            await carryOut(abort)
        case .completed(let completion):
            await carryOut(completion)
        }
    }

    /// A task could not take its snapshot: the checkpoint is aborted.
    public func decline(_ message: _ProtoDeclineCheckpoint) async {
        let now = clock.nowMillis()
        guard let abort = locked.withLock({ $0.machine.decline(message, now: now) }) else {
            logger.debug("decline ignored", metadata: ["checkpoint": "\(message.checkpointID)", "attempt": "\(message.task.attempt)"])
            return
        }
        await carryOut(abort)
    }

    // MARK: stop with checkpoint

    /// Triggers a final checkpoint (`is_final`: tasks finish after it completes) as soon as no
    /// other is in flight, and returns it once complete. With `drain`, the sources emit the
    /// maximum watermark before its barrier and stop reading after it.
    public func triggerFinal(drain: Bool = false) async throws(CheckpointCoordinatorError) -> CompletedCheckpoint {
        let now = clock.nowMillis()
        let canTrigger = canTrigger()
        do {
            return try await withCheckedThrowingContinuation { continuation in
                let request = locked.withLock { state -> Result<CheckpointDecision.Trigger?, CheckpointCoordinatorError> in
                    do throws(CheckpointCoordinatorError) {
                        let trigger = try state.machine.requestFinal(drain: drain, now: now, canTrigger: canTrigger)
                        state.finalWaiter = continuation
                        return .success(trigger)
                    } catch {
                        return .failure(error)
                    }
                }
                switch request {
                case .failure(let error): continuation.resume(throwing: error)
                case .success(let trigger?): Task { await self.carryOut(trigger) }
                case .success(nil): logger.info("final checkpoint requested; waiting for the checkpoint in flight")
                }
            }
        } catch let error as CheckpointCoordinatorError {
            throw error
        } catch {
            throw .stopped(reason: "\(error)")
        }
    }

    // MARK: REST

    public var latestCompleted: CompletedCheckpoint? { locked.withLock { $0.machine.store.latest } }

    /// True from `triggerFinal` until its checkpoint ended (the job is stopping with a checkpoint).
    public var isFinalCheckpointRequested: Bool {
        locked.withLock { state in
            switch state.machine.finalRequest {
            case .waiting, .triggered: true
            case .completed, nil: false
            }
        }
    }

    public func stats() -> CheckpointStatsSnapshot { locked.withLock { $0.machine.stats.snapshot } }

    // MARK: carrying out decisions

    private enum AcknowledgementOutcome {
        case ignored(String)
        case recorded
        case failed(CheckpointDecision.Abort)
        case completed(CheckpointDecision.Completion)
    }

    /// The durable part of a completion, under `completionOrder`: metadata, store, HA pointer,
    /// then deletion of what the new checkpoint subsumed.
    private func complete(_ checkpoint: PendingCheckpoint, now: Int64) -> AcknowledgementOutcome {
        let metadata = checkpoint.metadata(job: job, completedAt: now)
        let path: String
        do {
            path = try storage.writeMetadata(metadata)
        } catch {
            return .failed(locked.withLock { $0.machine.failed(checkpoint, reason: "\(error)", now: now) })
        }
        let completion = locked.withLock { $0.machine.complete(checkpoint, metadata: metadata, externalPath: path, now: now) }
        if completion.isLatest { onCompleted(metadata, path) }
        for old in completion.subsumed { storage.deleteCheckpointDirectory(old.id, logger: logger) }
        if let newest = completion.retained.last {
            storage.collectSharedGarbage(retained: completion.retained, cutoffMillis: newest.triggerTimestamp, logger: logger)
        }
        return .completed(completion)
    }

    private func carryOut(_ completion: CheckpointDecision.Completion) async {
        let id = completion.checkpoint.id
        metrics?.checkpointCompleted(completion.stats)
        logger.info("checkpoint completed", metadata: [
            "checkpoint": "\(id)", "attempt": "\(completion.attempt)", "size_bytes": "\(completion.stats.stateSize)",
            "duration_ms": "\(completion.stats.endToEndDuration)", "subsumed": "\(completion.subsumed.map(\.id))"])
        await notifyComplete(completion)
        if completion.checkpoint.metadata.isFinal, let waiter = takeFinalWaiter() { waiter.resume(returning: completion.checkpoint) }
        for abort in completion.abortedOlder { await carryOut(abort) }
        await triggerWaitingFinal()
    }

    private func carryOut(_ abort: CheckpointDecision.Abort) async {
        metrics?.checkpointFailed()
        logger.warning("checkpoint aborted", metadata: [
            "checkpoint": "\(abort.checkpointID)", "attempt": "\(abort.attempt)", "reason": "\(abort.reason)"])
        if abort.isFinal, let waiter = takeFinalWaiter() {
            waiter.resume(throwing: CheckpointCoordinatorError.aborted(checkpointID: abort.checkpointID, reason: abort.reason))
        }
        await notifyAborted(abort)
        storage.deleteCheckpointDirectory(abort.checkpointID, logger: logger)
        if abort.exceedsTolerance { onTooManyFailures(abort.reason) }
        await triggerWaitingFinal()
    }

    private func carryOut(_ trigger: CheckpointDecision.Trigger) async {
        logger.info("triggering checkpoint", metadata: [
            "checkpoint": "\(trigger.checkpointID)", "attempt": "\(trigger.attempt)", "final": "\(trigger.isFinal)", "drain": "\(trigger.drain)"])
        if let failure = await sendTrigger(trigger) {
            let now = clock.nowMillis()
            if let abort = locked.withLock({ $0.machine.abort(trigger.checkpointID, reason: failure, now: now) }) { await carryOut(abort) }
        }
    }

    /// Triggers a requested final checkpoint once the checkpoints in flight ended.
    private func triggerWaitingFinal() async {
        guard locked.withLock({ $0.machine.finalRequest == .waiting }) else { return }
        let now = clock.nowMillis()
        let canTrigger = canTrigger()
        if let trigger = locked.withLock({ $0.machine.nextTrigger(now: now, canTrigger: canTrigger) }) { await carryOut(trigger) }
    }

    private func takeFinalWaiter() -> CheckedContinuation<CompletedCheckpoint, any Error>? {
        locked.withLock { state in
            defer { state.finalWaiter = nil }
            return state.finalWaiter
        }
    }
}
