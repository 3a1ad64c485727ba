import SluiceEngine
import SluicePostgres

/// How the PostgreSQL sink's batches reach the table: the delivery guarantee's part of the
/// sink, while `PostgresSinkOperator` keeps batching, de-duplication and rate limiting.
///
/// Called on the task thread only, in the order of the operator's lifecycle.
protocol SinkWriter<Record>: SinkWriterLifecycle {
    associatedtype Record

    /// Writes one batch (`RowSinkEncoder` keeps each key at most once in a statement), each row replacing any row of its key already in the table. The
    /// writer encodes the rows (`SinkEncoding`) and keeps their event times until they are
    /// committed, to measure end-to-end latency (`SinkMetrics`).
    func write(_ rows: [Record]) throws
}

/// What every sink writer does besides writing, whatever its records.
protocol SinkWriterLifecycle: AnyObject {
    /// Barrier `checkpointID`: every row before it was written. Returns the state to checkpoint.
    func snapshot(checkpointID: UInt64) throws -> [UInt8]?
    /// Bounded input ended and everything was written: make it visible.
    func finish() throws
    /// Surfaces a failure that happened off the task thread (on a tick, when no rows flow).
    func throwIfFailed() throws
    /// Releases connections; called once, also after failures.
    func close()
}
