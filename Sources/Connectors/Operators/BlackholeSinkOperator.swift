import SluiceEngine
/// Accepts records and discards them (like Flink's BlackHole connector): the sink of
/// benchmark jobs that measure everything but the external write.
public final class BlackholeSinkOperator: StreamOperator {
    public private(set) var records: UInt64 = 0

    public init() {}
    public func open(context: OperatorContext) throws {}
    public func processRecord(_ record: StreamRecord, input: Int, output: any RecordOutput) throws { records += 1 }
    public func processWatermark(_ watermark: Int64, output: any RecordOutput) throws {}
    public func finish(output: any RecordOutput) throws {}
    public func close() {}
}
