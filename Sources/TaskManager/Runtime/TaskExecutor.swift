import CMalloc
import Foundation
import Logging
import SluiceCore
import SluiceEngine
import SluiceOperators
import SluiceProtocol
import Synchronization

/// Runs the subtasks the JobManager deploys to this TaskManager.
///
/// Thread-safe: deploy/cancel/checkpoint messages arrive from the JobManager connection's task;
/// each subtask then runs on its own thread. Sends every state change and checkpoint ack through
/// `send` (the connector forwards it to the JobManager; heartbeats carry the full task list, so a
/// change lost with a connection is reconciled). Invariant: a task is reported exactly once as
/// FINISHED, CANCELED or FAILED; checkpoint messages reach only tasks of the attempt they name.
public final class TaskExecutor: Sendable {
    private struct Running {
        var task: StreamTask?
        var state: _ProtoExecutionState
        var listeners: CheckpointListeners
        var isSource: Bool
        var descriptor: TaskDescriptor
        /// The counters as the task left them, kept after it ended.
        var finalCounters: _ProtoTaskStatus?
    }

    private let dataPlane: DataPlane
    private let workDirectory: String
    private let connectors: SluiceConfig.Connectors
    private let slots: Int
    private let logger: Logger
    private let send: @Sendable (_ProtoEnvelope) -> Void
    private let metrics: TaskManagerMetrics?
    private let tasks = Mutex<[String: Running]>([:])

    public init(dataPlane: DataPlane, workDirectory: String, connectors: SluiceConfig.Connectors, slots: Int, logger: Logger,
                metrics: TaskManagerMetrics? = nil, send: @escaping @Sendable (_ProtoEnvelope) -> Void) {
        self.metrics = metrics
        self.dataPlane = dataPlane
        self.workDirectory = workDirectory
        self.connectors = connectors
        self.slots = slots
        self.logger = logger
        self.send = send
    }

    /// Slots not used by a running job: with slot sharing, subtask i of every chain of a job
    /// shares one slot, so a slot is one (job, attempt, subtask index).
    public var freeSlots: Int {
        let used = tasks.withLock { running in
            Set(running.values.filter { !Self.isTerminal($0.state) }.map { "\($0.descriptor.jobID)/\($0.descriptor.attempt)/\($0.descriptor.subtask)" }).count
        }
        return max(0, slots - used)
    }

    public func statuses() -> [_ProtoTaskStatus] {
        tasks.withLock { running in
            running.values.map { entry in
                var status = entry.task.map { Self.counters(of: $0) } ?? entry.finalCounters ?? _ProtoTaskStatus()
                status.task = entry.descriptor.protoID
                status.state = entry.state
                return status
            }
        }
    }

    public func deploy(_ deploy: _ProtoDeployTask) async {
        let eventTime = JobSpec.EventTime(outOfOrdernessMillis: deploy.outOfOrdernessMs, idleTimeoutMillis: deploy.idleTimeoutMs,
                                          allowedLatenessMillis: deploy.allowedLatenessMs)
        let descriptor: TaskDescriptor
        do {
            descriptor = try TaskDescriptor(deploy, eventTime: eventTime)
        } catch {
            var metadata = TaskLogMetadata.of(job: deploy.task.jobID, vertex: deploy.task.vertexID,
                                              subtask: Int(deploy.task.subtaskIndex), attempt: deploy.task.attempt)
            metadata["error"] = "\(error)"
            logger.error("refusing a deployment", metadata: metadata)
            var message = _ProtoTaskStateChanged()
            message.task = deploy.task
            message.state = .failed
            message.failureCause = "\(error)"
            message.timestampMs = UInt64(Date().timeIntervalSince1970 * 1000)
            send(.with(.taskStateChanged(message)))
            return
        }
        let logger = TaskLogMetadata.logger(self.logger, job: descriptor.jobID, vertex: descriptor.vertexID,
                                            subtask: descriptor.subtask, attempt: descriptor.attempt)
        let listeners = CheckpointListeners()
        let isSource = descriptor.chain.first.flatMap { BuiltInOperators.factory($0.kind) }?.declaration.role == .source
        tasks.withLock {
            $0[descriptor.name] = Running(task: nil, state: .deploying, listeners: listeners, isSource: isSource,
                                          descriptor: descriptor, finalCounters: nil)
        }
        setState(descriptor, .deploying, logger: logger)
        do {
            let task = try makeTask(descriptor, listeners: listeners, logger: logger)
            tasks.withLock { $0[descriptor.name]?.task = task }
            try await connectInputs(of: task, descriptor: descriptor)
            let stateDirectory = self.stateDirectory(descriptor)
            let thread = Thread { [self, logger] in
                let outcome = task.run(onRunning: {
                    self.setState(descriptor, .running, logger: logger)
                })
                // run() closed the operators and with them the RocksDB instance. The local copy has
                // no later use (a restart restores from checkpoint storage); keeping it would fill the disk.
                try? FileManager.default.removeItem(atPath: stateDirectory)
                try? FileManager.default.removeItem(atPath: stateDirectory + ".checkpoints")
                switch outcome {
                case .finished: self.setState(descriptor, .finished, logger: logger)
                case .cancelled: self.setState(descriptor, .canceled, logger: logger)
                case .failed(let cause, let followOn): self.setState(descriptor, .failed, cause: cause, followOn: followOn, logger: logger)
                }
            }
            thread.name = "task \(descriptor.name)"
            thread.stackSize = 4 << 20
            thread.start()
        } catch {
            logger.error("task deployment failed", metadata: ["error": "\(error)"])
            setState(descriptor, .failed, cause: "deployment failed: \(error)", logger: logger)
        }
    }

    public func cancel(_ message: _ProtoCancelTask) {
        let name = TaskDescriptor.name(job: message.task.jobID, vertex: message.task.vertexID, subtask: Int(message.task.subtaskIndex),
                                       attempt: message.task.attempt)
        let task = tasks.withLock { $0[name]?.task }
        task?.cancel(reason: message.reason.isEmpty ? "cancelled by the JobManager" : message.reason)
    }

    /// Cancels every task of `jobID` (all attempts) and releases their channels.
    public func cancelJob(_ jobID: String, reason: String) {
        let running = tasks.withLock { $0.values.filter { $0.descriptor.jobID == jobID }.compactMap(\.task) }
        for task in running { task.cancel(reason: reason) }
    }

    /// Cancels every task: the JobManager that deployed them is gone, and the one that comes back
    /// redeploys its jobs from their checkpoints as a new attempt (DESIGN.md §6), so these could
    /// only waste slots.
    public func cancelAll(reason: String) {
        let running = tasks.withLock { $0.values.compactMap(\.task) }
        if !running.isEmpty { logger.warning("cancelling all tasks", metadata: ["tasks": "\(running.count)", "reason": "\(reason)"]) }
        for task in running { task.cancel(reason: reason) }
    }

    /// The PostgreSQL URL this TaskManager's sinks use unless a spec names its own (`postgres.url(-file)`).
    public var postgresURL: String? { connectors.resolvedPostgresURL() }

    /// Starts checkpoint `message.checkpointID` in every source task of the job attempt here.
    public func triggerCheckpoint(_ message: _ProtoTriggerCheckpoint) {
        let sources = tasks.withLock { running in
            running.values.filter { $0.isSource && $0.descriptor.jobID == message.jobID && $0.descriptor.attempt == message.attempt }
                .compactMap(\.task)
        }
        let drain = message.isFinal && message.drain
        for task in sources {
            task.mailbox.put(.triggerCheckpoint(id: message.checkpointID, timestampMillis: message.timestampMs, drain: drain))
        }
    }

    /// Tells the operators of the job attempt's tasks that a checkpoint completed (off their threads,
    /// see `CheckpointListeners`).
    public func checkpointCompleted(_ message: _ProtoNotifyCheckpointComplete) {
        let listeners = tasks.withLock { running in
            running.values.filter { $0.descriptor.jobID == message.jobID && $0.descriptor.attempt == message.attempt }.map(\.listeners)
        }
        for listener in listeners { listener.checkpointCompleted(message.checkpointID) }
    }

    private func makeTask(_ descriptor: TaskDescriptor, listeners: CheckpointListeners, logger: Logger) throws -> StreamTask {
        var source: (any SourceOperator)?
        var operators: [any StreamOperator] = []
        let environment = OperatorEnvironment(kafkaBootstrap: connectors.resolvedKafkaBootstrap(),
                                              postgresURL: connectors.resolvedPostgresURL())
        let sideOutputs = BuiltInOperators.sideOutputs(environment, logger: logger)
        var stateBackend: RocksDBStateBackend?
        var keyedOperatorID: String?
        var reusable: [String: String] = [:]
        var contexts: [(OperatorContext, Any)] = []
        var instances: [(id: String, instance: AnyObject, metrics: [OperatorKindDeclaration.Metric])] = []
        var checkpointed: [(id: String, instance: any CheckpointedOperator)] = []
        for (position, spec) in descriptor.chain.enumerated() {
            guard let factory = BuiltInOperators.factory(spec.kind) else {
                throw OperatorError.configuration(spec.id, "unknown operator kind '\(spec.kind)'")
            }
            let instance = factory.make()
            let keyed = factory.declaration.keying.isKeyed
            if keyed, stateBackend == nil {
                let path = stateDirectory(descriptor)
                try? FileManager.default.removeItem(atPath: path)
                let handles = descriptor.keyedRestoreHandles
                if handles.isEmpty {
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                } else {
                    reusable = try KeyedStateRestore.restore(handles: handles, jobRoot: descriptor.checkpointStorage, into: path,
                                                             keyGroups: descriptor.keyGroups, logger: logger)
                }
                stateBackend = try RocksDBStateBackend(path: path, keyGroups: descriptor.keyGroups)
                keyedOperatorID = spec.id
            }
            var operatorLogger = logger
            operatorLogger[metadataKey: "operator"] = "\(spec.id)"
            let context = OperatorContext(
                jobID: descriptor.jobID, jobName: descriptor.jobName, attempt: descriptor.attempt, vertexID: descriptor.vertexID,
                operatorID: spec.id, subtask: descriptor.subtask, parallelism: descriptor.parallelism,
                maxParallelism: descriptor.maxParallelism, keyGroups: descriptor.keyGroups, eventTime: descriptor.eventTime,
                params: spec.params, keyedState: keyed ? stateBackend : nil, sideOutputs: sideOutputs,
                environment: environment, logger: operatorLogger, lineage: descriptor.lineage,
                checkpointing: descriptor.checkpointing, restored: descriptor.restoredState(of: spec.id),
                checkpointListeners: listeners, inputSchemas: descriptor.schemas[position].inputs,
                outputSchema: descriptor.schemas[position].output, keyBy: spec.keyBy)
            switch instance {
            case .source(let op):
                source = op
                contexts.append((context, op))
                instances.append((spec.id, op, factory.declaration.metrics))
            case .operator(let op):
                operators.append(op)
                contexts.append((context, op))
                instances.append((spec.id, op, factory.declaration.metrics))
            }
            if let op = instance.checkpointed { checkpointed.append((spec.id, op)) }
        }
        var rowKeys: [RowKeyColumns?] = []
        let edges = try descriptor.outputs.map { edge -> RecordWriter.Edge in
            let channels = edge.consumers.sorted { $0.subtaskIndex < $1.subtaskIndex }.map { consumer in
                dataPlane.outputChannel(for: ChannelKey(
                    jobID: descriptor.jobID, attempt: descriptor.attempt, producerVertex: descriptor.vertexID,
                    producerSubtask: descriptor.subtask, consumerVertex: consumer.vertexID, consumerSubtask: Int(consumer.subtaskIndex)))
            }
            guard !channels.isEmpty else { throw OperatorError.configuration(descriptor.vertexID, "output edge without consumers") }
            var rowKey: RowKeyColumns?
            if edge.partitioning == .hash, let schema = descriptor.outputSchema, !edge.keyBy.isEmpty {
                do {
                    rowKey = try RowKeyColumns(edge.keyBy, in: RowLayout(schema))
                } catch {
                    throw OperatorError.configuration(descriptor.vertexID, "output edge to \(edge.targetVertexID): \(error)")
                }
            }
            rowKeys.append(rowKey)
            return RecordWriter.Edge(partitioning: edge.partitioning, keyBy: edge.keyBy, channels: channels)
        }
        let writer = RecordWriter(edges: edges, rowKeys: rowKeys, subtask: descriptor.subtask, maxParallelism: descriptor.maxParallelism)
        let chain = OperatorChain(source: source, operators: operators, writer: writer)
        let task = StreamTask(descriptor: descriptor, chain: chain, logger: logger)
        if descriptor.checkpointing {
            var keyed: TaskCheckpointer.Keyed?
            if let stateBackend, let keyedOperatorID {
                let snapshotter = KeyedStateSnapshotter(jobRoot: descriptor.checkpointStorage, taskName: descriptor.storageName,
                                                        subtask: descriptor.subtask, reusable: reusable, logger: logger)
                let scratch = stateDirectory(descriptor) + ".checkpoints"
                try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
                keyed = .init(backend: stateBackend, operatorID: keyedOperatorID, snapshotter: snapshotter, scratchDirectory: scratch)
                // SST files of a checkpoint are referenced by later ones only once it completed (an
                // aborted checkpoint's files may be deleted by the JobManager).
                listeners.onComplete { snapshotter.checkpointCompleted($0) }
            }
            task.checkpointer = TaskCheckpointer(task: descriptor.protoID, operators: checkpointed, keyed: keyed,
                                                 chain: chain, send: send, logger: logger)
        }
        registerMetrics(of: task, descriptor: descriptor, instances: instances, outputs: edges.flatMap(\.channels))
        task.openOperators = {
            for (context, instance) in contexts {
                if let op = instance as? any SourceOperator { try op.open(context: context) }
                if let op = instance as? any StreamOperator { try op.open(context: context) }
            }
        }
        return task
    }

    /// Series of the task, fed from its atomics at scrape time (nothing per record).
    private func registerMetrics(of task: StreamTask, descriptor: TaskDescriptor, instances: [(id: String, instance: AnyObject, metrics: [OperatorKindDeclaration.Metric])],
                                 outputs: [OutputChannel]) {
        // Heartbeats report the operator counters and back-pressure too, with or without a /metrics endpoint.
        let counters = OperatorCounters(operators: instances)
        task.operatorCounters = counters
        task.backPressuredNanos = { outputs.reduce(0) { $0 + $1.backPressuredNanos.load(ordering: .relaxed) } }
        guard let metrics else { return }
        let sources = TaskMetrics.Sources(
            recordsIn: { task.recordsIn.load(ordering: .relaxed) },
            recordsOut: { task.recordsOutCount.load(ordering: .relaxed) },
            bytesIn: { task.bytesIn.load(ordering: .relaxed) },
            bytesOut: { task.bytesOutCount.load(ordering: .relaxed) },
            watermarkMillis: { task.watermark.load(ordering: .relaxed) },
            backPressuredNanos: task.backPressuredNanos,
            operatorFigures: counters.snapshot)
        let taskMetrics = metrics.register(name: descriptor.name, job: descriptor.jobID, vertex: descriptor.vertexID,
                                           subtask: descriptor.subtask, sources: sources)
        task.checkpointer?.metrics = taskMetrics
    }

    private func stateDirectory(_ descriptor: TaskDescriptor) -> String {
        "\(workDirectory)/\(descriptor.jobID)/\(descriptor.vertexID)-\(descriptor.subtask)-\(descriptor.attempt)"
    }

    private func connectInputs(of task: StreamTask, descriptor: TaskDescriptor) async throws {
        var index = 0
        for edge in descriptor.inputs {
            for producer in edge.producers.sorted(by: { $0.subtaskIndex < $1.subtaskIndex }) {
                let key = ChannelKey(jobID: descriptor.jobID, attempt: descriptor.attempt, producerVertex: producer.vertexID,
                                     producerSubtask: Int(producer.subtaskIndex), consumerVertex: descriptor.vertexID,
                                     consumerSubtask: descriptor.subtask)
                let local = producer.host == dataPlane.advertisedHost && Int(producer.dataPort) == dataPlane.port
                let channel = try await dataPlane.connectInput(
                    key: key, index: index, producer: local ? nil : (producer.host, Int(producer.dataPort)),
                    sink: task.mailbox, initialCredits: 8, timeout: .seconds(60))
                task.addInput(channel, logicalInput: Int(edge.inputIndex))
                index += 1
            }
        }
    }

    private func setState(_ descriptor: TaskDescriptor, _ state: _ProtoExecutionState, cause: String = "", followOn: Bool = false,
                          logger: Logger) {
        let finalCounters = tasks.withLock { running -> _ProtoTaskStatus? in
            running[descriptor.name]?.state = state
            if Self.isTerminal(state) { metrics?.forget(name: descriptor.name) }
            guard Self.isTerminal(state), let task = running[descriptor.name]?.task else { return nil }
            let counters = Self.counters(of: task)
            running[descriptor.name]?.finalCounters = counters
            running[descriptor.name]?.task = nil
            return counters
        }
        logger.info("task \(Self.name(of: state))", metadata: cause.isEmpty ? [:] : ["cause": "\(cause)"])
        var message = _ProtoTaskStateChanged()
        message.task = descriptor.protoID
        message.state = state
        message.failureCause = cause
        message.followOn = followOn
        if var finalCounters {
            finalCounters.task = descriptor.protoID
            finalCounters.state = state
            message.finalCounters = finalCounters
        }
        message.timestampMs = UInt64(Date().timeIntervalSince1970 * 1000)
        send(.with(.taskStateChanged(message)))
        if state == .canceled || state == .failed {
            // Finished channels are closed by their consumers after END; a cancelled or failed
            // attempt may leave senders blocked on credit, so tear its channels down.
            releaseIfAttemptEnded(descriptor)
        }
        if Self.isTerminal(state) {
            forgetLater(descriptor)
            // Give the memory of a finished task back to the OS instead of keeping it in malloc's free lists.
            malloc_trim(0)
        }
    }

    /// Once every task of a job attempt on this TaskManager ended, its channels are torn down.
    private func releaseIfAttemptEnded(_ descriptor: TaskDescriptor) {
        let active = tasks.withLock { running in
            running.values.contains {
                $0.descriptor.jobID == descriptor.jobID && $0.descriptor.attempt == descriptor.attempt && !Self.isTerminal($0.state)
            }
        }
        if !active { dataPlane.release(jobID: descriptor.jobID, attempt: descriptor.attempt) }
    }

    /// Keeps a terminal task listed for a while so heartbeats still report it, then drops it.
    private func forgetLater(_ descriptor: TaskDescriptor) {
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { [self] in
            tasks.withLock { running in
                if let entry = running[descriptor.name], Self.isTerminal(entry.state) { running[descriptor.name] = nil }
            }
        }
    }

    private static func counters(of task: StreamTask) -> _ProtoTaskStatus {
        var status = _ProtoTaskStatus()
        status.recordsIn = task.recordsIn.load(ordering: .relaxed)
        status.recordsOut = task.recordsOutCount.load(ordering: .relaxed)
        status.bytesIn = task.bytesIn.load(ordering: .relaxed)
        status.bytesOut = task.bytesOutCount.load(ordering: .relaxed)
        status.watermarkMs = task.watermark.load(ordering: .relaxed)
        status.backPressuredMs = task.backPressuredNanos() / 1_000_000
        guard let figures = task.operatorCounters?.snapshot() else { return status }
        for (key, value) in figures.counters {
            status.operatorCounters["\(key.operatorID)/\(key.event)"] = value
        }
        if let backlog = figures.backlog {
            status.pendingRecords = UInt64(clamping: backlog)
            status.pendingRecordsKnown = true
        }
        return status
    }

    static func isTerminal(_ state: _ProtoExecutionState) -> Bool {
        state == .finished || state == .canceled || state == .failed
    }

    static func name(of state: _ProtoExecutionState) -> String {
        switch state {
        case .created: "created"
        case .scheduled: "scheduled"
        case .deploying: "deploying"
        case .initializing: "initializing"
        case .running: "running"
        case .finished: "finished"
        case .canceling: "canceling"
        case .canceled: "canceled"
        case .failed: "failed"
        default: "unknown"
        }
    }
}
