import SluiceEngine
/// An event's id (a click's `click_id`), held without a heap allocation when it is a canonical
/// lowercase UUID — the form most producers (and `sluice datagen`) write.
///
/// Why: every click's id is copied from the record into the attribution state and kept there
/// for the attribution window. As a `String`, a 36-byte UUID is a heap object per click: an
/// allocation where it is decoded (in the source and again after the exchange), a
/// reference-count touch wherever it is copied, a cache miss and a `free` when it expires. As
/// two integers it is none of that, and 16 bytes on the wire instead of 37.
///
/// Invariants:
/// - the representation is canonical: `init(_:)` packs every text that is a canonical lowercase
///   UUID, so two ids are equal exactly when their texts are (the synthesized `==`/`hash` are
///   therefore the texts' equality);
/// - `<` is the UTF-8 byte order of the texts (what `COLLATE "C"` does) for any mix of cases:
///   for canonical UUIDs that order is the order of the packed integers, because hex digits
///   `0-9a-f` are increasing byte values and the dashes sit at the same places.
///
/// A plain value; safe from any thread.
public enum EventID: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// A canonical UUID `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (lowercase hex): its first 16
    /// hex digits in `high`, the last 16 in `low`, most significant digit first.
    case uuid(high: UInt64, low: UInt64)
    /// Any other id, as its text.
    case text(String)

    /// Bytes of a canonical UUID's text.
    static let uuidLength = 36
    /// Where a canonical UUID's text has its dashes.
    private static func isDash(_ offset: Int) -> Bool { offset == 8 || offset == 13 || offset == 18 || offset == 23 }

    public init(_ text: String) {
        var text = text
        if let packed = text.withUTF8({ Self.packUUID(UnsafeRawBufferPointer($0)) }) {
            self = packed
        } else {
            self = .text(text)
        }
    }

    /// The id whose text is the UTF-8 bytes `utf8` (the caller has checked they are valid UTF-8).
    public init(validUTF8 utf8: UnsafeRawBufferPointer) {
        self = Self.packUUID(utf8) ?? .text(String(decoding: utf8, as: UTF8.self))
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public var description: String {
        switch self {
        case .text(let text): return text
        case .uuid: return withUTF8 { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Calls `body` with the id's text as UTF-8 bytes, without allocating for a UUID.
    public func withUTF8<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        switch self {
        case .text(let text):
            var text = text
            return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        case .uuid(let high, let low):
            return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.uuidLength) { buffer in
                var digit = 0
                for offset in 0..<Self.uuidLength {
                    if Self.isDash(offset) {
                        buffer[offset] = UInt8(ascii: "-")
                        continue
                    }
                    let word = digit < 16 ? high : low
                    let nibble = UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * (digit % 16))) & 0xf
                    buffer[offset] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                    digit += 1
                }
                return try body(UnsafeRawBufferPointer(buffer))
            }
        }
    }

    public static func < (lhs: EventID, rhs: EventID) -> Bool {
        if case .uuid(let lhsHigh, let lhsLow) = lhs, case .uuid(let rhsHigh, let rhsLow) = rhs {
            return lhsHigh != rhsHigh ? lhsHigh < rhsHigh : lhsLow < rhsLow
        }
        return lhs.withUTF8 { left in rhs.withUTF8 { right in left.lexicographicallyPrecedes(right) } }
    }

    /// The packed form of `utf8` if it is a canonical lowercase UUID, else nil.
    static func packUUID(_ utf8: UnsafeRawBufferPointer) -> EventID? {
        guard utf8.count == uuidLength else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digit = 0
        for offset in 0..<uuidLength {
            let byte = utf8[offset]
            if isDash(offset) {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            default: return nil  // uppercase or not hex: kept as text, so its order stays the text's
            }
            if digit < 16 { high = high << 4 | UInt64(nibble) } else { low = low << 4 | UInt64(nibble) }
            digit += 1
        }
        return .uuid(high: high, low: low)
    }
}
