/// A one-dimensional array parameter in PostgreSQL's binary format (what the server's
/// `array_recv` reads), for `PostgresConnection.execute(_:binary:)`. The element bytes are
/// written by the typed `append`s (`PostgresTextArray`, `PostgresInt8Array`,
/// `PostgresTimestampArray`); this type keeps the framing.
///
/// Layout, all integers big-endian: a 20-byte header — int32 ndim = 1, int32 has-null flag,
/// uint32 element OID, int32 element count, int32 lower bound = 1 — then per element an int32
/// byte count (−1 for NULL, no bytes) followed by that many bytes. An array without elements
/// is just ndim = 0, the flag and the OID (12 bytes): PostgreSQL wants no dimension for it.
///
/// Owns one growing byte buffer that `removeAll()` keeps, so refilling it for the next batch
/// allocates nothing once it is large enough. A value type with one owner, used on the owner's
/// thread. Invariants: `storage` always starts with the 20-byte header; `count` and `hasNull`
/// describe the elements after it and reach the header only in `parameter()`.
public struct PostgresArrayParameter<Element: PostgresArrayElement> {
    private var storage: [UInt8] = []
    /// Number of elements appended since the last `removeAll()`.
    public private(set) var count = 0
    private var hasNull = false

    public init() {
        writeHeader()
    }

    public static var arrayOID: UInt32 { Element.arrayOID }

    /// Forgets the elements, keeping the buffer's capacity for the next batch.
    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        count = 0
        hasNull = false
        writeHeader()
    }

    /// The array as a statement parameter: completes the header in place and shares the buffer
    /// with the returned value (no copy). Throws if it has more elements than an int32 counts.
    public mutating func parameter() throws -> PostgresBinaryValue {
        guard count > 0 else {
            var empty: [UInt8] = []
            for field in [0, 0, Element.elementOID] { withUnsafeBytes(of: field.bigEndian) { empty.append(contentsOf: $0) } }
            return PostgresBinaryValue(typeOID: Element.arrayOID, bytes: empty)
        }
        guard let elements = Int32(exactly: count) else {
            throw PostgresError.clientError(message: "an array parameter may hold at most \(Int32.max) elements, not \(count): send fewer rows per statement",
                                            context: "binary array parameter (OID \(Element.arrayOID))")
        }
        overwrite(Int32(hasNull ? 1 : 0), at: 4)
        overwrite(elements, at: 12)
        return PostgresBinaryValue(typeOID: Element.arrayOID, bytes: storage)
    }

    // MARK: For the typed appends

    mutating func appendNull() {
        appendInteger(Int32(-1))
        count += 1
        hasNull = true
    }

    /// Starts a non-NULL element of `byteCount` bytes; the caller appends exactly those bytes next.
    mutating func beginElement(byteCount: Int32) {
        appendInteger(byteCount)
        count += 1
    }

    mutating func appendInteger<Integer: FixedWidthInteger>(_ value: Integer) {
        withUnsafeBytes(of: value.bigEndian) { storage.append(contentsOf: $0) }
    }

    mutating func appendBytes(_ bytes: String.UTF8View) {
        storage.append(contentsOf: bytes)
    }

    mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        storage.append(contentsOf: bytes)
    }

    // MARK: Internals

    private mutating func writeHeader() {
        appendInteger(Int32(1))  // ndim
        appendInteger(Int32(0))  // has-null flag, set by `parameter()`
        appendInteger(Element.elementOID)
        appendInteger(Int32(0))  // element count, set by `parameter()`
        appendInteger(Int32(1))  // lower bound
    }

    private mutating func overwrite(_ value: Int32, at offset: Int) {
        withUnsafeBytes(of: value.bigEndian) { bytes in
            storage.replaceSubrange(offset..<offset + 4, with: bytes)
        }
    }
}
