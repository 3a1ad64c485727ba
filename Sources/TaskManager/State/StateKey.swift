import Foundation

/// A RocksDB key as a dictionary key. Swift hashes `[UInt8]` one element at a time, which
/// made hashing the hottest part of the state cache; this hashes the bytes in one call.
///
/// Ordered as RocksDB's default comparator orders keys (bytewise, a prefix first), so a write
/// batch can be sorted into the order the memtable inserts fastest.
struct StateKey: Hashable, Comparable {
    var bytes: [UInt8]

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func < (lhs: StateKey, rhs: StateKey) -> Bool {
        lhs.bytes.withUnsafeBytes { left in
            rhs.bytes.withUnsafeBytes { right in
                let common = min(left.count, right.count)
                let order = common == 0 ? 0 : memcmp(left.baseAddress!, right.baseAddress!, common)
                return order != 0 ? order < 0 : left.count < right.count
            }
        }
    }
}
