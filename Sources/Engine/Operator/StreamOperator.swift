/// Where an operator's results go: the next operator of its chain, or the task's record writer.
///
/// Called only on the task's own thread.
public protocol RecordOutput: AnyObject {
    func emit(_ record: StreamRecord) throws
}

/// A transforming or sink operator of a chain.
///
/// All methods run on the owning subtask's mailbox thread, one at a time, so implementations
/// need no locks. Watermarks are forwarded by the runtime after `processWatermark` returns.
public protocol StreamOperator: AnyObject {
    func open(context: OperatorContext) throws
    /// `input` is the logical input index (0 for single-input operators).
    func processRecord(_ record: StreamRecord, input: Int, output: any RecordOutput) throws
    /// Event time advanced to `watermark` on all inputs; fire timers, emit what became final.
    func processWatermark(_ watermark: Int64, output: any RecordOutput) throws
    /// All inputs ended (bounded job): emit and flush everything still pending.
    func finish(output: any RecordOutput) throws
    /// Called every few milliseconds of processing time, so operators that batch (sinks,
    /// lookups) can flush when the stream pauses; most operators need nothing here.
    func onTick(output: any RecordOutput) throws
    /// Checkpoint `checkpointID` is about to be taken (its barrier reached the task): emit what
    /// is buffered (pending lookups, batches), so it belongs to this checkpoint's epoch. Called
    /// in chain order, before any operator's `CheckpointedOperator.snapshotState`.
    func prepareSnapshot(checkpointID: UInt64, output: any RecordOutput) throws
    /// Release resources; called once, also after failures.
    func close()
}

extension StreamOperator {
    public func onTick(output: any RecordOutput) throws {}
    public func prepareSnapshot(checkpointID: UInt64, output: any RecordOutput) throws {}
}

/// What a source's `poll` found.
public enum SourceStatus: Sendable, Equatable {
    /// Records were emitted (or may be available right away): poll again.
    case more
    /// Nothing available now; the runtime may wait a little before polling again.
    case idle
    /// A bounded source reached its end; it has emitted its final watermark.
    case finished
}

/// The output of a source: records plus the watermarks it generates.
public protocol SourceOutput: RecordOutput {
    func emitWatermark(_ watermark: Int64) throws
    /// The source has nothing to read (`true`: every partition idle, or none assigned) or reads
    /// again (`false`, before its next record): consumers leave an idle input out of their
    /// watermark (Flink's watermark status). Repeats are harmless.
    func emitIdle(_ idle: Bool) throws
}

/// The head of a source chain: reads from outside (Kafka, a file), assigns event time and
/// generates watermarks.
public protocol SourceOperator: AnyObject {
    func open(context: OperatorContext) throws
    func poll(output: any SourceOutput, maxRecords: Int) throws -> SourceStatus
    func close()
}
