import SluiceEngine

/// Rows kept for a while (the exactly-once sink's rows to redo as upserts), stored back to back
/// in one byte buffer instead of one allocation per row: ten thousand rows held for an epoch
/// among millions of short-lived allocations fragment the heap (measured: ~35 MB more peak RSS
/// per run of the attribution benchmark than this buffer).
///
/// A value owned by one thread. `rows` rebuilds the records (the rare redo path).
struct RowRecordBuffer {
    private var bytes: [UInt8] = []
    /// Where each row's bytes end in `bytes`.
    private var ends: [Int] = []
    private var eventTimes: [Int64] = []

    var count: Int { ends.count }

    mutating func append(contentsOf rows: some Sequence<RowRecord>) {
        for record in rows {
            bytes.append(contentsOf: record.row.bytes)
            ends.append(bytes.count)
            eventTimes.append(record.eventTime)
        }
    }

    mutating func removeAll(keepingCapacity: Bool = false) {
        bytes.removeAll(keepingCapacity: keepingCapacity)
        ends.removeAll(keepingCapacity: keepingCapacity)
        eventTimes.removeAll(keepingCapacity: keepingCapacity)
    }

    /// The rows, in the order they were appended (the same bytes: they were rows already).
    var rows: [RowRecord] {
        var start = 0
        return ends.indices.map { index in
            defer { start = ends[index] }
            return RowRecord(row: Row(laidOut: Array(bytes[start..<ends[index]])), eventTime: eventTimes[index])
        }
    }
}
