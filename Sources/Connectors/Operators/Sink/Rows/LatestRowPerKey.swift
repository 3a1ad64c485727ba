import SluiceEngine

/// Finds the last row of each key in a batch: one statement may not touch a table row twice (a
/// window that fired again, an eager-mode correction), and the last version is the one to keep.
///
/// The common batch has distinct keys: that is checked with one hash per row and no allocation.
/// Only when two hashes meet are the key bytes compared. Owns its buffers (reused batch after
/// batch); used on the task thread only.
struct LatestRowPerKey {
    let key: RowKeyColumns
    private var keyBytes: [UInt8] = []
    private var hashes: Set<Int> = []
    private var seen: Set<[UInt8]> = []
    /// After `mark`: empty when all keys are distinct, else `keepFromEnd[i]` says whether the
    /// i-th row from the end is its key's last.
    private(set) var keepFromEnd: [Bool] = []

    init(key: RowKeyColumns) {
        self.key = key
    }

    /// Marks the rows to keep; false when every row is kept.
    @discardableResult
    mutating func mark(_ rows: some BidirectionalCollection<RowRecord>) -> Bool {
        keepFromEnd.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        var distinct = true
        for record in rows {
            key.write(record.row, into: &keyBytes)
            guard hashes.insert(keyBytes.hashValue).inserted else {
                distinct = false
                break
            }
        }
        if distinct { return false }
        // Newest first: a row is kept when no later row has its key.
        seen.removeAll(keepingCapacity: true)
        for record in rows.reversed() {
            key.write(record.row, into: &keyBytes)
            keepFromEnd.append(seen.insert(keyBytes).inserted)
        }
        return true
    }

    /// Whether row `index` (from the start) of the batch last marked is kept.
    func keeps(_ index: Int) -> Bool {
        keepFromEnd.isEmpty || keepFromEnd[keepFromEnd.count - 1 - index]
    }

    /// Removes every row but the last of its key from `rows`, keeping their order.
    mutating func reduce(_ rows: inout [RowRecord]) {
        guard mark(rows) else { return }
        var index = 0
        rows.removeAll { _ in
            defer { index += 1 }
            return !keeps(index)
        }
    }
}
