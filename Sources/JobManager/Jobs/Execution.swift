import SluiceProtocol

/// What the JobManager knows of one subtask's current attempt.
///
/// A value kept inside `JobMaster`'s lock. Counters are the task's totals as of its latest
/// heartbeat; `backPressureRatio` compares the latest two heartbeats, so it is nil until the
/// second one arrived.
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
    /// Total time the task's outputs waited for credit.
    public var backPressuredMillis: UInt64 = 0
    /// Operator counters, key `"<operatorID>/<event>"`.
    public var operatorCounters: [String: UInt64] = [:]
    /// Records a source task has not read yet (Kafka lag), nil when not a source or unknown.
    public var pendingRecords: UInt64?
    /// Share of wall time the task was back-pressured between its last two heartbeats.
    public var backPressureRatio: Double?
    /// When the latest heartbeat sample arrived (epoch ms), -1 before the first.
    public var sampledAt: Int64 = -1

    public init() {}

    /// Takes the counters of a heartbeat's task status that arrived at `now` (epoch ms).
    public mutating func record(_ status: _ProtoTaskStatus, at now: Int64) {
        if sampledAt >= 0 {
            backPressureRatio = BackPressure.ratio(blockedBefore: backPressuredMillis, blockedNow: status.backPressuredMs,
                                                   wallMillis: now - sampledAt) ?? backPressureRatio
        }
        sampledAt = now
        recordsIn = status.recordsIn
        recordsOut = status.recordsOut
        bytesIn = status.bytesIn
        bytesOut = status.bytesOut
        watermark = status.watermarkMs
        backPressuredMillis = status.backPressuredMs
        operatorCounters = status.operatorCounters
        pendingRecords = status.pendingRecordsKnown ? status.pendingRecords : nil
    }
}
