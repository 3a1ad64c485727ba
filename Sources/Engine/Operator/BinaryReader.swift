/// Reads what `BinaryWriter` wrote, from borrowed bytes; throws on truncated or corrupt input
/// instead of trapping, because the bytes come from the network or from disk. The caller keeps
/// the buffer alive while the reader is in use (it is only used inside `withUnsafeReadableBytes`).
public struct BinaryReader {
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case truncated(offset: Int)
        case malformed(String)

        public var description: String {
            switch self {
            case .truncated(let offset): return "record bytes end early at offset \(offset)"
            case .malformed(let what): return "malformed record bytes: \(what)"
            }
        }
    }

    private let buffer: UnsafeRawBufferPointer
    public private(set) var offset: Int

    public init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    public var isAtEnd: Bool { offset >= buffer.count }
    public var remaining: Int { buffer.count - offset }

    public mutating func readByte() throws(Failure) -> UInt8 {
        guard offset < buffer.count else { throw .truncated(offset: offset) }
        defer { offset += 1 }
        return buffer[offset]
    }

    public mutating func readVarint() throws(Failure) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            guard shift < 64 else { throw .malformed("varint longer than 10 bytes") }
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    public mutating func readSigned() throws(Failure) -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// What `BinaryWriter.write(fixed64:)` wrote.
    public mutating func readFixed64() throws(Failure) -> UInt64 {
        guard remaining >= 8 else { throw .truncated(offset: offset) }
        var value: UInt64 = 0
        for index in offset..<offset + 8 { value = value << 8 | UInt64(buffer[index]) }
        offset += 8
        return value
    }

    public mutating func readString() throws(Failure) -> String {
        let length = try readLength()
        let string = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + length]), as: UTF8.self)
        offset += length
        return string
    }

    public mutating func readOptionalString() throws(Failure) -> String? {
        switch try readByte() {
        case 0: return nil
        case 1: return try readString()
        case let tag: throw .malformed("optional tag \(tag)")
        }
    }

    public mutating func readBytes() throws(Failure) -> [UInt8] {
        let length = try readLength()
        defer { offset += length }
        return Array(buffer[offset..<offset + length])
    }

    private mutating func readLength() throws(Failure) -> Int {
        let length = try readVarint()
        guard length <= UInt64(remaining) else { throw .truncated(offset: offset) }
        return Int(length)
    }
}
