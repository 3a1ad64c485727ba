import SluiceEngine
import SluiceProtocol

/// Turns a job graph and a slot placement into the `DeployTask` message of every subtask.
///
/// Pure. Edges: a forward edge connects producer i only to consumer i; hash and rebalance
/// edges connect every producer to every consumer. Each subtask of a keyed chain owns the
/// key-group range `KeyGroupRange.forSubtask`.
public struct DeploymentPlanner {
    public struct Host: Sendable {
        public var taskManager: String
        public var host: String
        public var dataPort: Int

        public init(taskManager: String, host: String, dataPort: Int) {
            self.taskManager = taskManager
            self.host = host
            self.dataPort = dataPort
        }
    }

    public let jobID: String
    public let spec: JobSpec
    public let graph: JobGraph
    public let attempt: UInt32
    /// Index = shared slot = subtask index; the TaskManager hosting it.
    public let slots: [Host]
    public var lineage: String
    /// The job's checkpoint directory; empty when the job takes no checkpoints.
    public var checkpointStorage: String
    public var restore: RestorePoint?

    public init(jobID: String, spec: JobSpec, graph: JobGraph, attempt: UInt32, slots: [Host], lineage: String? = nil,
                checkpointStorage: String = "", restore: RestorePoint? = nil) {
        self.jobID = jobID
        self.spec = spec
        self.graph = graph
        self.attempt = attempt
        self.slots = slots
        self.lineage = lineage ?? jobID
        self.checkpointStorage = checkpointStorage
        self.restore = restore
    }

    public func deployments() -> [(key: TaskKey, taskManager: String, message: _ProtoDeployTask)] {
        graph.chains.flatMap { chain in
            (0..<chain.parallelism).map { subtask in
                (TaskKey(vertex: chain.id, subtask: subtask), slots[subtask].taskManager, deployment(chain, subtask))
            }
        }
    }

    func deployment(_ chain: JobGraph.Chain, _ subtask: Int) -> _ProtoDeployTask {
        var message = _ProtoDeployTask()
        message.task.jobID = jobID
        message.task.attempt = attempt
        message.task.vertexID = chain.id
        message.task.subtaskIndex = UInt32(subtask)
        message.parallelism = UInt32(chain.parallelism)
        message.maxParallelism = UInt32(graph.maxParallelism)
        message.jobName = spec.name
        message.chain = chain.operators.map { vertex in
            var op = _ProtoOperatorSpec()
            op.id = vertex.id
            op.kind = vertex.kind
            op.name = vertex.name
            op.params = vertex.params
            op.inputSchemas = vertex.inputs.compactMap { spec.vertex($0)?.schema }.map(_ProtoRowSchema.init)
            if let schema = vertex.schema { op.outputSchema = _ProtoRowSchema(schema) }
            op.keyBy = vertex.keyBy
            return op
        }
        let range = KeyGroupRange.forSubtask(subtask, parallelism: chain.parallelism, maxParallelism: graph.maxParallelism)
        message.keyGroups.start = UInt32(range.start)
        message.keyGroups.end = UInt32(range.end)
        message.outOfOrdernessMs = spec.eventTime.outOfOrdernessMillis
        message.idleTimeoutMs = spec.eventTime.idleTimeoutMillis
        message.allowedLatenessMs = spec.eventTime.allowedLatenessMillis
        message.lineage = lineage
        message.checkpointing = spec.checkpoints.isEnabled && !checkpointStorage.isEmpty
        message.checkpointStorage = checkpointStorage
        if let restore {
            message.restoreCheckpointID = restore.checkpointID
            message.restore = restore.handles(for: Set(chain.operators.map(\.id)))
        }
        message.inputs = chain.inputs.map { input in
            var edge = _ProtoInputEdge()
            edge.sourceVertexID = input.chainID
            edge.inputIndex = UInt32(input.inputIndex)
            let producer = graph.chain(input.chainID)!
            let producers = input.partitioning == .forward ? [subtask] : Array(0..<producer.parallelism)
            edge.producers = producers.map { address(vertex: producer.id, subtask: $0, inputIndex: input.inputIndex) }
            return edge
        }
        message.outputs = graph.consumers(of: chain.id).map { consumer, input in
            var edge = _ProtoOutputEdge()
            edge.targetVertexID = consumer.id
            edge.partitioning = input.partitioning
            edge.keyBy = input.keyBy
            let targets = input.partitioning == .forward ? [subtask] : Array(0..<consumer.parallelism)
            edge.consumers = targets.map { address(vertex: consumer.id, subtask: $0, inputIndex: input.inputIndex) }
            return edge
        }
        return message
    }

    private func address(vertex: String, subtask: Int, inputIndex: Int) -> _ProtoChannelAddress {
        var address = _ProtoChannelAddress()
        address.vertexID = vertex
        address.subtaskIndex = UInt32(subtask)
        address.taskManagerID = slots[subtask].taskManager
        address.host = slots[subtask].host
        address.dataPort = UInt32(slots[subtask].dataPort)
        address.inputIndex = UInt32(inputIndex)
        return address
    }
}
