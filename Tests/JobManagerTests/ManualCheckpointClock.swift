import SluiceJobManager
import Synchronization

/// A clock tests move by hand, so triggers and timeouts happen exactly when the test says.
final class ManualCheckpointClock: CheckpointClock {
    private let now: Mutex<Int64>

    init(startMillis: Int64) {
        now = Mutex(startMillis)
    }

    func nowMillis() -> Int64 { now.withLock { $0 } }

    func advance(byMillis millis: Int64) {
        now.withLock { $0 += millis }
    }
}
