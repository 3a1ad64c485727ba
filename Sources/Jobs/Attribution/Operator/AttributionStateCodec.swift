import SluiceEngine
/// The binary form of `AttributionKeyState` stored as the value of the key's RocksDB entry (and
/// thus in checkpoints).
///
/// Layout (version 2): `[version u8]`, then the clicks as `[count varint]` + per click
/// `[click id][time: zig-zag varint]`, then the pending checkouts as `[count varint]` + per
/// checkout its ten fields in `Checkout` declaration order (strings length-prefixed, integers
/// zig-zag varints), the click id, the click time as `[presence u8][zig-zag varint]`, and the
/// user name as an optional string. Click ids are `EventID`s as `BinaryWriter.write(_: EventID?)`
/// writes them (17 bytes for a UUID). A key with two UUID clicks and no checkout takes ~40 bytes.
///
/// Version 1 (before click ids were `EventID`s) wrote each click's id as a bare length-prefixed
/// string and a pending row's click id as `[presence u8][string]`, which reads as an `EventID`'s
/// text form; it is still decoded, so state written by an older build restores.
///
/// Decoding never traps: truncated, over-long or otherwise corrupt input throws. The encoder
/// writes the state's canonical order; the decoder restores it if the bytes hold another.
/// Stateless; safe from any thread.
public enum AttributionStateCodec {
    /// Bump when the layout changes; decoding refuses other versions rather than misreading them.
    public static let formatVersion: UInt8 = 2
    /// The oldest layout `decode` still reads.
    static let oldestReadableVersion: UInt8 = 1

    public static func encode(_ state: AttributionKeyState) -> [UInt8] {
        var writer = BinaryWriter(capacity: 16 + 24 * state.clicks.count + 160 * state.pending.count)
        encode(state, into: &writer)
        return writer.bytes
    }

    /// Appends `state` to `writer` (for callers that reuse one writer across keys).
    public static func encode(_ state: AttributionKeyState, into writer: inout BinaryWriter) {
        writer.write(formatVersion)
        writer.write(varint: UInt64(state.clicks.count))
        for click in state.clicks {
            writer.write(click.clickID)
            writer.write(signed: click.time)
        }
        writer.write(varint: UInt64(state.pending.count))
        for row in state.pending {
            row.encode(into: &writer)
        }
    }

    public static func decode(_ bytes: [UInt8]) throws(AttributionStateCodecError) -> AttributionKeyState {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(AttributionStateCodecError) -> AttributionKeyState in try decode(raw) }
        }.get()
    }

    public static func decode(_ raw: UnsafeRawBufferPointer) throws(AttributionStateCodecError) -> AttributionKeyState {
        guard !raw.isEmpty else { throw .empty }
        var reader = BinaryReader(raw)
        do {
            let version = try reader.readByte()
            guard (oldestReadableVersion...formatVersion).contains(version) else {
                throw AttributionStateCodecError.unsupportedVersion(version)
            }

            let clickCount = try count(&reader, minimumEntryBytes: 2, what: "click")
            var clicks: [AttributionKeyState.StoredClick] = []
            clicks.reserveCapacity(clickCount)
            for _ in 0..<clickCount {
                let id = version == 1 ? EventID(try reader.readString()) : try reader.readEventID()
                clicks.append(.init(clickID: id, time: try reader.readSigned()))
            }

            let pendingCount = try count(&reader, minimumEntryBytes: 13, what: "checkout")
            var pending: [AttributedCheckout] = []
            pending.reserveCapacity(pendingCount)
            var builder = RowBuilder(AttributionInputRows.checkoutLayout)
            for _ in 0..<pendingCount {
                let row = try AttributedCheckout.decode(from: &reader, builder: &builder)
                guard (row.clickID == nil) == (row.clickTime == nil) else {
                    throw AttributionStateCodecError.corrupt("checkout \(row.checkout.checkoutID) has a click id without a time or vice versa")
                }
                pending.append(row)
            }
            guard reader.isAtEnd else { throw AttributionStateCodecError.trailingBytes(reader.remaining) }
            return AttributionKeyState(clicks: clicks, pending: pending)
        } catch let error as AttributionStateCodecError {
            throw error
        } catch {
            throw .corrupt("\(error)")
        }
    }

    /// An entry count, refused if the remaining bytes cannot possibly hold that many entries
    /// (so a corrupt count cannot make us reserve gigabytes).
    private static func count(_ reader: inout BinaryReader, minimumEntryBytes: Int, what: String) throws -> Int {
        let count = try reader.readVarint()
        guard count <= UInt64(reader.remaining / minimumEntryBytes) else {
            throw AttributionStateCodecError.corrupt("\(count) \(what) entries cannot fit in the remaining \(reader.remaining) bytes")
        }
        return Int(count)
    }
}
