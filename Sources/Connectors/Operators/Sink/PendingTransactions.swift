import SluiceEngine
import Synchronization

/// The sink's prepared transactions not yet known to be committed, oldest first: the hand-over
/// between the task thread (which appends at each barrier and snapshots the list into the
/// checkpoint) and the committer's queue (which removes what it committed).
///
/// Thread-safe (one mutex). Invariants: ordered by checkpoint id, each transaction at most
/// once. A transaction stays listed until `COMMIT PREPARED` succeeded or found it gone, so a
/// checkpoint taken meanwhile still names it; committing it twice is harmless (the second
/// finds nothing).
final class PendingTransactions: Sendable {
    private let transactions = Mutex<[SinkTransactionID]>([])

    init() {}

    func append(_ transaction: SinkTransactionID) {
        transactions.withLock { list in
            guard !list.contains(transaction) else { return }
            list.append(transaction)
        }
    }

    /// Everything still pending, oldest first (what a checkpoint stores).
    var all: [SinkTransactionID] { transactions.withLock { $0 } }

    /// The transactions of checkpoints up to and including `checkpointID`: those a completion
    /// notice for it commits (an aborted checkpoint's transaction goes with the next one).
    func through(checkpointID: UInt64) -> [SinkTransactionID] {
        transactions.withLock { list in list.filter { $0.checkpointID <= checkpointID } }
    }

    func remove(_ transaction: SinkTransactionID) {
        transactions.withLock { list in list.removeAll { $0 == transaction } }
    }
}
