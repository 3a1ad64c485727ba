import Dispatch
import Foundation
import Logging
import SluiceCore
import SluiceEngine
import SluiceProtocol

/// A subtask's part of a checkpoint: snapshot at the barrier, barrier downstream, upload, ack.
///
/// `checkpoint` runs on the task thread when barrier n is aligned (or, in a source task, when
/// the JobManager triggers n): operators first emit what they buffered, then every operator's non-keyed state and the RocksDB checkpoint of the
/// keyed state are taken synchronously — nothing else runs on the task meanwhile, so they are
/// consistent with the barrier — then barrier n goes downstream. Uploading the keyed state and
/// acknowledging run on `uploads`, a serial queue of this task, so checkpoints upload in order
/// and the task keeps processing. A failed upload declines the checkpoint; it does not fail the
/// task (the next checkpoint retries).
final class TaskCheckpointer {
    /// The keyed state of the chain and what snapshots it.
    struct Keyed {
        var backend: RocksDBStateBackend
        var operatorID: String
        var snapshotter: KeyedStateSnapshotter
        var scratchDirectory: String
    }

    private let task: _ProtoTaskId
    private let operators: [(id: String, instance: any CheckpointedOperator)]
    private let keyed: Keyed?
    private let chain: OperatorChain
    private let uploads: DispatchQueue
    private let send: @Sendable (_ProtoEnvelope) -> Void
    private let logger: Logger
    /// Told of every acknowledged checkpoint (on the upload queue); set before the task runs.
    var metrics: TaskMetrics?

    init(task: _ProtoTaskId, operators: [(id: String, instance: any CheckpointedOperator)], keyed: Keyed?, chain: OperatorChain,
         send: @escaping @Sendable (_ProtoEnvelope) -> Void, logger: Logger) {
        self.task = task
        self.operators = operators
        self.keyed = keyed
        self.chain = chain
        self.uploads = DispatchQueue(label: "sluice.checkpoint-upload.\(task.vertexID).\(task.subtaskIndex)")
        self.send = send
        self.logger = logger
    }

    /// Task thread. Throws when the synchronous part fails (the task then fails and restarts
    /// from the last completed checkpoint: its operators may be half-way through a snapshot).
    func checkpoint(_ id: UInt64, alignment: Duration) throws {
        let started = ContinuousClock.now
        try chain.prepareSnapshot(id)
        var handles: [_ProtoStateHandle] = []
        for (operatorID, instance) in operators {
            guard let bytes = try instance.snapshotState(checkpointID: id) else { continue }
            var handle = _ProtoStateHandle()
            handle.operatorID = operatorID
            handle.kind = StateHandleKind.operatorState
            handle.inlineData = Data(bytes)
            handle.sizeBytes = UInt64(bytes.count)
            handle.subtaskIndex = task.subtaskIndex
            handles.append(handle)
        }
        let pending = try keyed.map { keyed in
            try keyed.snapshotter.snapshotSynchronously(keyed.backend, checkpointID: id, operatorID: keyed.operatorID,
                                                        scratchDirectory: keyed.scratchDirectory)
        }
        try chain.writer.emitBarrier(id)
        let synchronous = ContinuousClock.now - started
        let task = self.task
        let operatorHandles = handles
        let send = self.send
        let logger = self.logger
        let metrics = self.metrics
        uploads.async {
            let uploadStarted = ContinuousClock.now
            var ack = _ProtoAcknowledgeCheckpoint()
            ack.task = task
            ack.checkpointID = id
            ack.state = operatorHandles
            ack.stateSizeBytes = operatorHandles.reduce(0) { $0 + $1.sizeBytes }
            ack.uploadedBytes = ack.stateSizeBytes
            if let pending {
                do {
                    let result = try pending.upload()
                    ack.state.append(result.handle)
                    ack.stateSizeBytes += result.stateSize
                    ack.uploadedBytes += result.uploadedBytes
                } catch {
                    logger.warning("checkpoint upload failed; declining", metadata: ["checkpoint": "\(id)", "error": "\(error)"])
                    var decline = _ProtoDeclineCheckpoint()
                    decline.task = task
                    decline.checkpointID = id
                    decline.reason = "upload of keyed state failed: \(error)"
                    send(.with(.declineCheckpoint(decline)))
                    return
                }
            }
            ack.alignmentDurationMs = UInt64(alignment.milliseconds)
            ack.syncDurationMs = UInt64(synchronous.milliseconds)
            ack.asyncDurationMs = UInt64((ContinuousClock.now - uploadStarted).milliseconds)
            send(.with(.acknowledgeCheckpoint(ack)))
            metrics?.checkpointAcknowledged(id: id, alignment: alignment, synchronous: synchronous,
                                            asynchronous: ContinuousClock.now - uploadStarted, stateBytes: ack.stateSizeBytes)
        }
    }
}

/// The `kind` values of state handles (DESIGN.md §5).
enum StateHandleKind {
    /// Keyed state of a subtask: a RocksDB checkpoint, SST files shared between checkpoints.
    static let keyedRocksDB = "keyed-rocksdb"
    /// An operator's own state (`CheckpointedOperator.snapshotState`), inline in the metadata.
    static let operatorState = "operator"
}
