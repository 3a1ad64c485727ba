import NIOCore
import SluiceProtocol

/// Writes each outbound `DataFrame` as `u32 length` + `u8 kind` + payload.
///
/// Runs on the connection's event loop (inside NIO's `MessageToByteHandler`, which reuses one
/// output buffer). A BUFFER's bytes are written straight from the producer's `ByteBuffer` into
/// that output buffer; no intermediate array. It does not enforce the frame maximum: producers
/// check buffer sizes before sending (`OutputChannel.send`).
public struct DataFrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = DataFrame

    public init() {}

    public func encode(data: DataFrame, out: inout ByteBuffer) throws {
        try Self.encodeFrame(data, into: &out)
    }

    /// The pure encoding step, shared with tests. On error nothing is written.
    public static func encodeFrame(_ frame: DataFrame, into out: inout ByteBuffer) throws(DataFrameError) {
        let start = out.writerIndex
        out.writeInteger(UInt32(0))  // the length, patched below
        out.writeInteger(frame.kind.rawValue)
        do {
            try writePayload(of: frame, into: &out)
        } catch {
            out.moveWriterIndex(to: start)
            throw error
        }
        let length = out.writerIndex - start - DataFrame.lengthFieldBytes
        guard let wireLength = UInt32(exactly: length) else {
            out.moveWriterIndex(to: start)
            throw .unencodable("frame of \(length) bytes does not fit a u32 length")
        }
        out.setInteger(wireLength, at: start)
    }

    private static func writePayload(of frame: DataFrame, into out: inout ByteBuffer) throws(DataFrameError) {
        switch frame {
        case .envelope(let envelope):
            do {
                let bytes: [UInt8] = try envelope.serializedBytes()
                out.writeBytes(bytes)
            } catch {
                throw .unencodable("envelope: \(error)")
            }
        case .open(let key, let initialCredit):
            guard key.isEncodable else { throw .unencodable("subtask index out of u32 range in \(key)") }
            writeString(key.jobID, into: &out)
            out.writeInteger(key.attempt)
            writeString(key.producerVertex, into: &out)
            out.writeInteger(UInt32(key.producerSubtask))
            writeString(key.consumerVertex, into: &out)
            out.writeInteger(UInt32(key.consumerSubtask))
            out.writeInteger(initialCredit)
        case .buffer(let bytes, let recordCount):
            out.writeInteger(recordCount)
            out.writeImmutableBuffer(bytes)
        case .watermark(let timestamp):
            out.writeInteger(timestamp)
        case .watermarkStatus(let idle):
            out.writeInteger(UInt8(idle ? 1 : 0))
        case .barrier(let checkpointID):
            out.writeInteger(checkpointID)
        case .endOfPartition:
            break
        case .credit(let credit):
            out.writeInteger(credit)
        case .close(let reason):
            out.writeInteger(reason.code.rawValue)
            out.writeString(reason.message)
        }
    }

    private static func writeString(_ string: String, into out: inout ByteBuffer) {
        out.writeInteger(UInt32(string.utf8.count))
        out.writeString(string)
    }
}
