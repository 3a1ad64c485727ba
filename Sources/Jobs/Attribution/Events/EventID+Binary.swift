import SluiceEngine
/// The binary form of an optional `EventID` on the data plane and in keyed state: one tag byte
/// (0 none, 1 text, 2 UUID), then the text as a length-prefixed string or the UUID's two halves
/// as fixed 8-byte integers (17 bytes instead of the text's 37).
extension BinaryWriter {
    private static let noID: UInt8 = 0
    private static let textID: UInt8 = 1
    private static let uuidID: UInt8 = 2

    public mutating func write(_ id: EventID?) {
        switch id {
        case nil:
            write(Self.noID)
        case .text(let text)?:
            write(Self.textID)
            write(text)
        case .uuid(let high, let low)?:
            write(Self.uuidID)
            write(fixed64: high)
            write(fixed64: low)
        }
    }
}

extension BinaryReader {
    public mutating func readOptionalEventID() throws(Failure) -> EventID? {
        switch try readByte() {
        case 0: return nil
        // Through `init(_:)`, so even bytes from another writer come out canonical.
        case 1: return EventID(try readString())
        case 2: return .uuid(high: try readFixed64(), low: try readFixed64())
        case let tag: throw .malformed("event id tag \(tag)")
        }
    }

    public mutating func readEventID() throws(Failure) -> EventID {
        guard let id = try readOptionalEventID() else { throw .malformed("missing event id") }
        return id
    }
}
