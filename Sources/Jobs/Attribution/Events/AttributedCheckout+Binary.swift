import SluiceEngine
/// The binary form of an attributed checkout in attribution state (`AttributionStateCodec`):
/// the checkout's fields (`Checkout+Binary`), the click id (`EventID?`), the click time
/// as `[presence u8][zig-zag varint]` and the user name as an optional string. Kept byte for
/// byte as it was when it was also the data plane's form, so older state restores.
extension AttributedCheckout {
    public func encode(into writer: inout BinaryWriter) {
        checkout.encode(into: &writer)
        writer.write(clickID)
        if let time = clickTime {
            writer.write(1)
            writer.write(signed: time)
        } else {
            writer.write(0)
        }
        writer.write(optional: userName)
    }

    static func decode(from reader: inout BinaryReader, builder: inout RowBuilder) throws(BinaryReader.Failure) -> AttributedCheckout {
        let checkout = try Checkout.decode(from: &reader, builder: &builder)
        let clickID = try reader.readOptionalEventID()
        let clickTime: Int64?
        switch try reader.readByte() {
        case 0: clickTime = nil
        case 1: clickTime = try reader.readSigned()
        case let tag: throw .malformed("click time presence byte \(tag)")
        }
        let userName = try reader.readOptionalString()
        return AttributedCheckout(checkout: checkout, clickID: clickID, clickTime: clickTime, userName: userName)
    }
}
