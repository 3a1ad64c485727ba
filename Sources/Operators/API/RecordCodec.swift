import SluiceEngine

/// The compact binary form of `StreamRecord`s on the data plane (never JSON).
///
/// Layout: one tag byte, then the fields in declaration order — strings as varint length +
/// UTF-8, integers as zig-zag varints, optionals with a presence byte, click ids as
/// `BinaryWriter.write(_: EventID?)` writes them. Stable within one
/// protocol version; both ends of a channel run the same build.
public enum RecordCodec {
    private static let clickTag: UInt8 = 1
    private static let checkoutTag: UInt8 = 2
    private static let attributedTag: UInt8 = 3
    /// A row: event time (zig-zag varint), then its bytes (varint length + the row format).
    private static let rowTag: UInt8 = 4

    public static func encode(_ record: StreamRecord, into writer: inout BinaryWriter) {
        switch record {
        case .click(let click):
            writer.write(clickTag)
            encode(click, into: &writer)
        case .checkout(let checkout):
            writer.write(checkoutTag)
            encode(checkout, into: &writer)
        case .attributed(let row):
            writer.write(attributedTag)
            encode(row, into: &writer)
        case .row(let record):
            writer.write(rowTag)
            writer.write(signed: record.eventTime)
            writer.write(bytes: record.row.bytes)
        }
    }

    /// An attributed checkout's fields (also the pending checkouts of attribution state).
    static func encode(_ row: AttributedCheckout, into writer: inout BinaryWriter) {
        encode(row.checkout, into: &writer)
        writer.write(row.clickID)
        if let time = row.clickTime {
            writer.write(1)
            writer.write(signed: time)
        } else {
            writer.write(0)
        }
        writer.write(optional: row.userName)
    }

    static func decodeAttributed(from reader: inout BinaryReader) throws(BinaryReader.Failure) -> AttributedCheckout {
        let checkout = try decodeCheckout(from: &reader)
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

    /// One record; a row is checked against `rows`, the layout of the input it arrived on
    /// (bytes that are not a row of it are refused, never trusted).
    public static func decode(from reader: inout BinaryReader, rows layout: RowLayout? = nil) throws(BinaryReader.Failure) -> StreamRecord {
        switch try reader.readByte() {
        case rowTag:
            let eventTime = try reader.readSigned()
            let bytes = try reader.readBytes()
            guard let layout else { throw .malformed("a row arrived on an input without a row schema") }
            do {
                return .row(RowRecord(row: try Row(validating: bytes, layout: layout), eventTime: eventTime))
            } catch {
                throw .malformed("\(error)")
            }
        case clickTag:
            return .click(try decodeClick(from: &reader))
        case checkoutTag:
            return .checkout(try decodeCheckout(from: &reader))
        case attributedTag:
            return .attributed(try decodeAttributed(from: &reader))
        case let tag:
            throw .malformed("unknown record tag \(tag)")
        }
    }

    private static func encode(_ click: Click, into writer: inout BinaryWriter) {
        writer.write(click.clickID)
        writer.write(signed: click.userID)
        writer.write(click.productID)
        writer.write(signed: click.eventTime)
    }

    private static func encode(_ checkout: Checkout, into writer: inout BinaryWriter) {
        writer.write(checkout.checkoutID)
        writer.write(signed: checkout.userID)
        writer.write(checkout.productID)
        writer.write(checkout.paymentMethod)
        writer.write(checkout.totalAmount)
        writer.write(checkout.shippingAddress)
        writer.write(checkout.billingAddress)
        writer.write(checkout.userAgent)
        writer.write(checkout.ipAddress)
        writer.write(signed: checkout.eventTime)
    }

    private static func decodeClick(from reader: inout BinaryReader) throws(BinaryReader.Failure) -> Click {
        Click(clickID: try reader.readEventID(), userID: try reader.readSigned(), productID: try reader.readString(),
              eventTime: try reader.readSigned())
    }

    private static func decodeCheckout(from reader: inout BinaryReader) throws(BinaryReader.Failure) -> Checkout {
        Checkout(checkoutID: try reader.readString(), userID: try reader.readSigned(), productID: try reader.readString(),
                 paymentMethod: try reader.readString(), totalAmount: try reader.readString(),
                 shippingAddress: try reader.readString(), billingAddress: try reader.readString(),
                 userAgent: try reader.readString(), ipAddress: try reader.readString(), eventTime: try reader.readSigned())
    }
}
