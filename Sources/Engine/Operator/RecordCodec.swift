
/// The binary form of records on the data plane (never JSON): one tag byte, the event time as a
/// zig-zag varint, then the row's bytes (varint length + the row format, `RowLayout`).
///
/// The tag stays so a future record kind (or a peer of another build) is refused by name
/// rather than misread; tags 1–3 were the attribution job's typed records before they became
/// rows. Stable within one protocol version; both ends of a channel run the same build.
public enum RecordCodec {
    private static let rowTag: UInt8 = 4

    public static func encode(_ record: StreamRecord, into writer: inout BinaryWriter) {
        writer.write(rowTag)
        writer.write(signed: record.eventTime)
        writer.write(bytes: record.row.bytes)
    }

    /// One record, checked against `layout`, the layout of the input it arrived on (bytes that
    /// are not a row of it are refused, never trusted).
    public static func decode(from reader: inout BinaryReader, rows layout: RowLayout?) throws(BinaryReader.Failure) -> StreamRecord {
        let tag = try reader.readByte()
        guard tag == rowTag else { throw .malformed("unknown record tag \(tag)") }
        let eventTime = try reader.readSigned()
        let bytes = try reader.readBytes()
        guard let layout else { throw .malformed("a row arrived on an input without a row schema") }
        do {
            return RowRecord(row: try Row(validating: bytes, layout: layout), eventTime: eventTime)
        } catch {
            throw .malformed("\(error)")
        }
    }
}
