import NIOCore
import SluiceProtocol

/// Splits a data connection's inbound byte stream into `DataFrame`s.
///
/// Runs on the connection's event loop (inside NIO's `ByteToMessageHandler`). BUFFER payloads
/// are forwarded as slices of the received bytes, never copied. Invariants: nothing is consumed
/// until a whole frame is buffered; an oversized length or an unknown kind is refused as soon as
/// its bytes arrive, before the payload is read; any error is final for the connection (the
/// handler after this one logs it and closes the connection).
public struct DataFrameDecoder: LengthPrefixedFrameDecoder {
    public typealias InboundOut = DataFrame

    /// The largest accepted value of the length field (kind byte + payload).
    public let maxFrameBytes: Int

    public init(maxFrameBytes: Int) {
        self.maxFrameBytes = maxFrameBytes
    }

    public static func truncated(bufferedBytes: Int) -> any Error {
        DataFrameError.truncated(bufferedBytes: bufferedBytes)
    }

    /// The pure framing step, shared with tests: consumes one whole frame from `buffer`, or
    /// nothing (returning nil) while the frame is incomplete.
    public static func decodeFrame(from buffer: inout ByteBuffer, maxFrameBytes: Int) throws(DataFrameError) -> DataFrame? {
        let start = buffer.readerIndex
        guard let length = buffer.getInteger(at: start, as: UInt32.self) else { return nil }
        guard length > 0 else { throw .emptyFrame }
        guard Int(length) <= maxFrameBytes else { throw .frameTooLarge(length: length, maximum: maxFrameBytes) }
        guard let rawKind = buffer.getInteger(at: start + 4, as: UInt8.self) else { return nil }
        guard let kind = DataFrame.Kind(rawValue: rawKind) else { throw .unknownKind(rawKind) }
        guard buffer.readableBytes >= DataFrame.lengthFieldBytes + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: DataFrame.lengthFieldBytes + 1)
        // Cannot fail: the whole frame is buffered (checked above).
        guard var payload = buffer.readSlice(length: Int(length) - 1) else { return nil }
        return try parse(kind, payload: &payload)
    }

    private static func parse(_ kind: DataFrame.Kind, payload: inout ByteBuffer) throws(DataFrameError) -> DataFrame {
        func malformed(_ reason: String) -> DataFrameError { .malformed(kind: kind, reason: reason) }
        func exactly<T: FixedWidthInteger>(_ type: T.Type) throws(DataFrameError) -> T {
            guard payload.readableBytes == MemoryLayout<T>.size, let value = payload.readInteger(as: T.self) else {
                throw malformed("payload must be \(MemoryLayout<T>.size) bytes, got \(payload.readableBytes)")
            }
            return value
        }
        switch kind {
        case .envelope:
            let bytes = payload.readBytes(length: payload.readableBytes) ?? []
            do {
                return .envelope(try _ProtoEnvelope(serializedBytes: bytes))
            } catch {
                throw malformed("not a valid Envelope: \(error)")
            }
        case .open:
            guard let jobID = readString(&payload),
                  let attempt = payload.readInteger(as: UInt32.self),
                  let producerVertex = readString(&payload),
                  let producerSubtask = payload.readInteger(as: UInt32.self),
                  let consumerVertex = readString(&payload),
                  let consumerSubtask = payload.readInteger(as: UInt32.self),
                  let initialCredit = payload.readInteger(as: UInt32.self) else {
                throw malformed("payload ends inside a field")
            }
            guard payload.readableBytes == 0 else { throw malformed("\(payload.readableBytes) trailing bytes") }
            let key = ChannelKey(jobID: jobID, attempt: attempt, producerVertex: producerVertex,
                                 producerSubtask: Int(producerSubtask), consumerVertex: consumerVertex,
                                 consumerSubtask: Int(consumerSubtask))
            return .open(key, initialCredit: initialCredit)
        case .buffer:
            guard let recordCount = payload.readInteger(as: UInt32.self) else {
                throw malformed("payload shorter than its 4-byte record count")
            }
            return .buffer(payload, recordCount: recordCount)
        case .watermark:
            return .watermark(try exactly(Int64.self))
        case .watermarkStatus:
            let status = try exactly(UInt8.self)
            guard status <= 1 else { throw malformed("watermark status must be 0 (active) or 1 (idle), got \(status)") }
            return .watermarkStatus(idle: status == 1)
        case .barrier:
            return .barrier(checkpointID: try exactly(UInt64.self))
        case .endOfPartition:
            guard payload.readableBytes == 0 else { throw malformed("payload must be empty, got \(payload.readableBytes) bytes") }
            return .endOfPartition
        case .credit:
            return .credit(try exactly(UInt32.self))
        case .close:
            guard let rawCode = payload.readInteger(as: UInt8.self) else { throw malformed("payload lacks the reason code") }
            guard let code = DataFrame.CloseReason.Code(rawValue: rawCode) else { throw malformed("unknown reason code \(rawCode)") }
            let message = payload.readString(length: payload.readableBytes) ?? ""
            return .close(.init(code, message))
        }
    }

    /// A `u32` length followed by that many UTF-8 bytes.
    private static func readString(_ payload: inout ByteBuffer) -> String? {
        let start = payload.readerIndex
        guard let length = payload.readInteger(as: UInt32.self),
              let string = payload.readString(length: Int(length)) else {
            payload.moveReaderIndex(to: start)
            return nil
        }
        return string
    }
}
