import SluiceEngine
/// The binary form of the exactly-once sink's checkpointed state: the gids of its prepared
/// transactions not yet known to be committed, oldest first.
///
/// Layout (version 1): `[version u8][count varint]` then per transaction its gid as
/// `[varint length + UTF-8]`. A subtask usually holds one or two entries (~60 bytes each).
///
/// Decoding never traps and accepts only gids `SinkTransactionID` can parse: the bytes come from
/// checkpoint storage, and a gid ends up inside a `COMMIT PREPARED` statement. Stateless; safe
/// from any thread.
enum SinkStateCodec {
    /// Bump when the layout changes; decoding refuses other versions rather than misreading them.
    static let formatVersion: UInt8 = 1

    static func encode(_ transactions: [SinkTransactionID]) -> [UInt8] {
        var writer = BinaryWriter(capacity: 2 + 64 * transactions.count)
        writer.write(formatVersion)
        writer.write(varint: UInt64(transactions.count))
        for transaction in transactions { writer.write(transaction.gid) }
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(ExactlyOnceSinkError) -> [SinkTransactionID] {
        let decoded = bytes.withUnsafeBytes { raw in
            Result { () throws(ExactlyOnceSinkError) -> [SinkTransactionID] in try decode(raw) }
        }
        return try decoded.get()
    }

    private static func decode(_ raw: UnsafeRawBufferPointer) throws(ExactlyOnceSinkError) -> [SinkTransactionID] {
        var reader = BinaryReader(raw)
        do {
            let version = try reader.readByte()
            guard version == formatVersion else {
                throw ExactlyOnceSinkError.corruptState("format version \(version), this build reads \(formatVersion)")
            }
            let count = try reader.readVarint()
            // Every entry takes at least one byte: a larger count is corruption, not a reason to allocate.
            guard count <= UInt64(reader.remaining) else {
                throw ExactlyOnceSinkError.corruptState("\(count) transactions announced in \(reader.remaining) bytes")
            }
            var transactions: [SinkTransactionID] = []
            for index in 0..<Int(count) {
                let gid = try reader.readString()
                guard let transaction = SinkTransactionID(gid: gid) else {
                    throw ExactlyOnceSinkError.corruptState("entry \(index) is not a sink transaction id: '\(gid.prefix(200))'")
                }
                transactions.append(transaction)
            }
            guard reader.isAtEnd else { throw ExactlyOnceSinkError.corruptState("\(reader.remaining) bytes after the last entry") }
            return transactions
        } catch let failure as BinaryReader.Failure {
            throw .corruptState(failure.description)
        } catch let error as ExactlyOnceSinkError {
            throw error
        } catch {
            throw .corruptState("\(error)")
        }
    }
}
