/// A RocksDB key as a dictionary key. Swift hashes `[UInt8]` one element at a time, which
/// made hashing the hottest part of the state cache; this hashes the bytes in one call.
struct StateKey: Hashable {
    var bytes: [UInt8]

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
