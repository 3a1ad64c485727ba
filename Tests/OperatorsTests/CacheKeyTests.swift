@testable import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
@testable import SluiceConnectors
@testable import SluiceEngine
@testable import SluiceLibrary
import SluiceOperators
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

    @Test func inlineKeysSortInByteOrderWithAPrefixFirst() {
        var generator = SystemRandomNumberGenerator()
        var keys: [[UInt8]] = [[], [0], [0, 0], [0, 1], [1], [1, 0], [255], Array(repeating: 255, count: 23), Array(repeating: 0, count: 23)]
        for _ in 0..<300 {
            // Few distinct byte values, so keys often share prefixes and differ only late.
            keys.append((0..<Int.random(in: 0...23, using: &generator)).map { _ in [0, 1, 128, 255].randomElement(using: &generator)! })
        }
        let sorted = keys.map(CacheKey.init(bytes:)).sorted { $0.precedesInByteOrder($1) }.map(\.bytes)
        #expect(sorted == keys.sorted { $0.lexicographicallyPrecedes($1) })
    }
}
