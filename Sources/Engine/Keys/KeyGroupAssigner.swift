/// Maps keys to key groups (murmur3 of the key bytes) and key groups to subtasks.
///
/// Pure and deterministic across processes and runs: every TaskManager must route a key to the
/// same subtask, and a restored job must find its state under the same key group.
public struct KeyGroupAssigner: Sendable, Hashable {
    public let maxParallelism: Int

    public init(maxParallelism: Int = 128) {
        precondition((1...32_768).contains(maxParallelism))
        self.maxParallelism = maxParallelism
    }

    // Inlinable: the record writer (another module) calls this for every record, and an
    // unspecialized generic walks the bytes through protocol witnesses, one call per byte.
    @inlinable
    public func keyGroup<Bytes: Collection>(forKey key: Bytes) -> Int where Bytes.Element == UInt8 {
        Int(Murmur3.hash32(key) % UInt32(maxParallelism))
    }

    /// The subtask owning `keyGroup` at `parallelism`; the inverse of `KeyGroupRange.forSubtask`.
    public func subtask(forKeyGroup keyGroup: Int, parallelism: Int) -> Int {
        keyGroup * parallelism / maxParallelism
    }
}

/// MurmurHash3 x86 32-bit, seed 0 (public domain algorithm by Austin Appleby).
@usableFromInline
enum Murmur3 {
    @inlinable
    static func hash32<Bytes: Collection>(_ bytes: Bytes, seed: UInt32 = 0) -> UInt32 where Bytes.Element == UInt8 {
        let c1: UInt32 = 0xcc9e_2d51, c2: UInt32 = 0x1b87_3593
        var h = seed
        var block: UInt32 = 0
        var shift: UInt32 = 0
        var length: UInt32 = 0
        for byte in bytes {
            block |= UInt32(byte) << shift
            shift += 8
            length &+= 1
            if shift == 32 {
                var k = block &* c1
                k = (k << 15) | (k >> 17)
                k = k &* c2
                h ^= k
                h = (h << 13) | (h >> 19)
                h = h &* 5 &+ 0xe654_6b64
                block = 0
                shift = 0
            }
        }
        if shift > 0 {
            var k = block &* c1
            k = (k << 15) | (k >> 17)
            k = k &* c2
            h ^= k
        }
        h ^= length
        h ^= h >> 16
        h = h &* 0x85eb_ca6b
        h ^= h >> 13
        h = h &* 0xc2b2_ae35
        h ^= h >> 16
        return h
    }
}
