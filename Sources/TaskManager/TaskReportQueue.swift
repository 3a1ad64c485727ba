import SluiceProtocol

/// Task state changes on their way to the JobManager, in order.
///
/// Filled from task threads; drained by whichever JobManager session is live, so reports made
/// while the JobManager is unreachable are delivered after reconnecting (heartbeats also carry
/// the full task list, so the JobManager can reconcile even if the buffer overflowed).
public final class TaskReportQueue: Sendable {
    let stream: AsyncStream<_ProtoEnvelope>
    private let continuation: AsyncStream<_ProtoEnvelope>.Continuation

    public init(capacity: Int = 10_000) {
        (stream, continuation) = AsyncStream.makeStream(of: _ProtoEnvelope.self, bufferingPolicy: .bufferingNewest(capacity))
    }

    /// Queues a message for the JobManager (task state changes, checkpoint acks and declines).
    public func send(_ envelope: _ProtoEnvelope) {
        continuation.yield(envelope)
    }
}
