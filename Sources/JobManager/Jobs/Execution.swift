import SluiceProtocol

/// What the JobManager knows of one subtask's current attempt.
public struct Execution: Sendable {
    public var state: _ProtoExecutionState = .created
    public var taskManager: String?
    public var startTime: Int64 = -1
    public var endTime: Int64 = -1
    public var failureCause: String?
    public var recordsIn: UInt64 = 0
    public var recordsOut: UInt64 = 0
    public var bytesIn: UInt64 = 0
    public var bytesOut: UInt64 = 0
    public var watermark: Int64 = .min
}
