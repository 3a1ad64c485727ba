@testable import SluiceOperators
import Testing

/// `CacheKey` packs short keys into words: it must still be exactly the bytes it was made from.
@Suite struct CacheKeyTests {
    @Test func bytesRoundTripInlineAndSpilled() {
        for length in 0...40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 1) }
            #expect(CacheKey(bytes: bytes).bytes == bytes, "length \(length)")
        }
    }

    @Test func keysDifferingOnlyInTrailingZerosOrLengthDiffer() {
        let keys: [[UInt8]] = [[], [0], [0, 0], Array(repeating: 0, count: 23), Array(repeating: 0, count: 24), [1], [1, 0]]
        let packed = keys.map(CacheKey.init(bytes:))
        #expect(Set(packed).count == keys.count)
        for (index, key) in packed.enumerated() {
            #expect(packed.filter { $0 == key }.count == 1, "key \(keys[index])")
        }
    }
}
