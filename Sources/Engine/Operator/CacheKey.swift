/// A state key's bytes as a dictionary key of `KeyedStateCache`, held inline when short.
///
/// Keys of up to 23 bytes (an attribution key is 15: user id, product id, separator) live in
/// three words with the length in the last byte, so hashing and comparing them touch no other
/// memory: with a few hundred thousand keys, every pointer followed is a likely cache miss.
/// Longer keys keep their bytes in an array. A value type, safe anywhere.
struct CacheKey: Hashable {
    private static let inlineCapacity = 23
    private var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
    private var spilled: [UInt8]?

    init(bytes: [UInt8]) {
        guard bytes.count <= Self.inlineCapacity else {
            spilled = bytes
            return
        }
        withUnsafeMutableBytes(of: &words) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
            raw[Self.inlineCapacity] = UInt8(bytes.count)
        }
    }

    var bytes: [UInt8] {
        if let spilled { return spilled }
        return withUnsafeBytes(of: words) { raw in Array(raw[0..<Int(raw[Self.inlineCapacity])]) }
    }

    static func == (lhs: CacheKey, rhs: CacheKey) -> Bool {
        lhs.words == rhs.words && lhs.spilled == rhs.spilled
    }

    func hash(into hasher: inout Hasher) {
        if let spilled {
            spilled.withUnsafeBytes { hasher.combine(bytes: $0) }  // in one call, not per element
        } else {
            hasher.combine(words.0)
            hasher.combine(words.1)
            hasher.combine(words.2)
        }
    }

    /// Byte order (a prefix first) for inline keys, which are compared as big-endian words with
    /// the length last; a longer key compares after every inline one. Only sync order depends
    /// on it, never correctness, so the mixed case need not be exact.
    func precedesInByteOrder(_ other: CacheKey) -> Bool {
        switch (spilled, other.spilled) {
        case (nil, nil):
            if words.0 != other.words.0 { return UInt64(bigEndian: words.0) < UInt64(bigEndian: other.words.0) }
            if words.1 != other.words.1 { return UInt64(bigEndian: words.1) < UInt64(bigEndian: other.words.1) }
            return UInt64(bigEndian: words.2) < UInt64(bigEndian: other.words.2)
        case (nil, _?): return true
        case (_?, nil): return false
        case let (left?, right?): return left.lexicographicallyPrecedes(right)
        }
    }
}
