@testable import SluiceJobManager
import SluiceProtocol
import Testing

@Suite struct BackPressureLevelTests {
    @Test(arguments: [(0.0, BackPressure.Level.ok), (0.10, .ok), (0.11, .low), (0.5, .low), (0.51, .high), (1.0, .high)])
    func levelFollowsFlinksThresholds(ratio: Double, level: BackPressure.Level) {
        #expect(BackPressure.Level(ratio: ratio) == level)
    }

    @Test func ratioIsBlockedTimeOverWallTime() {
        #expect(BackPressure.ratio(blockedBefore: 1_000, blockedNow: 1_250, wallMillis: 1_000) == 0.25)
    }

    @Test func ratioIsClampedToOne() {
        // Two outputs can both wait during the same millisecond.
        #expect(BackPressure.ratio(blockedBefore: 0, blockedNow: 1_800, wallMillis: 1_000) == 1)
    }

    @Test func ratioIsUnknownWithoutElapsedTimeOrWhenTheCounterRestarted() {
        #expect(BackPressure.ratio(blockedBefore: 0, blockedNow: 10, wallMillis: 0) == nil)
        #expect(BackPressure.ratio(blockedBefore: 500, blockedNow: 10, wallMillis: 1_000) == nil)
    }

    @Test func executionComputesTheRatioBetweenItsLastTwoHeartbeats() {
        func status(blocked: UInt64, records: UInt64) -> _ProtoTaskStatus {
            var status = _ProtoTaskStatus()
            status.backPressuredMs = blocked
            status.recordsIn = records
            status.operatorCounters = ["attribution/attributed": records / 2]
            return status
        }
        var execution = Execution()
        execution.record(status(blocked: 100, records: 10), at: 5_000)
        #expect(execution.backPressureRatio == nil, "one heartbeat gives no interval")
        execution.record(status(blocked: 700, records: 30), at: 6_000)
        #expect(execution.backPressureRatio == 0.6)
        #expect(execution.recordsIn == 30)
        #expect(execution.operatorCounters == ["attribution/attributed": 15])
    }
}
