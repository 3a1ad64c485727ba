import SluiceEngine
import Logging
import SluiceKafka
import Synchronization

/// Publishes a Kafka source's checkpointed offsets to its consumer group once the checkpoint
/// completed, as Flink's KafkaSource does: lag tools then see the job's progress. The offsets in
/// the checkpoint stay authoritative for restores; the group's are only read by
/// `start: group-offsets` when there is no checkpoint.
///
/// Thread-safe: `checkpointed` runs on the task thread (at the snapshot), `completed` on the
/// TaskManager's connection thread (a completion notice); it never blocks (the commit is
/// asynchronous). Invariant: only offsets of completed checkpoints are committed, newest wins.
final class KafkaOffsetCommitter: Sendable {
    private struct State {
        var consumer: KafkaConsumer?
        /// Next offsets per partition, by checkpoint id, until that checkpoint completes or is subsumed.
        var pending: [UInt64: [Int32: Int64]] = [:]
    }

    private let state: Mutex<State>
    private let topic: String
    private let logger: Logger

    init(consumer: KafkaConsumer, topic: String, logger: Logger) {
        state = Mutex(State(consumer: consumer))
        self.topic = topic
        self.logger = logger
    }

    /// Checkpoint `id` holds these next offsets (partitions with nothing read are left out).
    func checkpointed(_ id: UInt64, nextOffsets: [Int32: Int64]) {
        state.withLock { $0.pending[id] = nextOffsets }
    }

    /// Checkpoint `id` completed: commit its offsets (it subsumes every older pending one).
    func completed(_ id: UInt64) {
        let (consumer, offsets) = state.withLock { state -> (KafkaConsumer?, [Int32: Int64]?) in
            let offsets = state.pending[id]
            state.pending = state.pending.filter { $0.key > id }
            return (state.consumer, offsets)
        }
        guard let consumer, let offsets, !offsets.isEmpty else { return }
        do {
            try consumer.commit(topic: topic, nextOffsets: offsets)
        } catch {
            logger.warning("could not commit the checkpoint's offsets to the consumer group", metadata: [
                "checkpoint": "\(id)", "error": "\(error)"])
        }
    }

    /// The source closed: later notices commit nothing.
    func close() {
        state.withLock { $0 = State(consumer: nil) }
    }
}
