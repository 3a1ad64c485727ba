import NIOCore
import SluiceProtocol
import Testing

@Suite struct FrameDecoderTests {
    private func heartbeat(_ id: String) -> _ProtoEnvelope {
        var heartbeat = _ProtoHeartbeat()
        heartbeat.taskManagerID = id
        heartbeat.freeSlots = 3
        return .with(.heartbeat(heartbeat))
    }

    private func framed(_ envelopes: [_ProtoEnvelope]) throws -> [UInt8] {
        var buffer = ByteBuffer()
        for envelope in envelopes { try FrameEncoder.encodeFrame(envelope, into: &buffer) }
        return Array(buffer.readableBytesView)
    }

    /// Feeds `bytes` cut at `cuts` and collects every frame decoded along the way.
    private func decode(_ bytes: [UInt8], cuts: [Int], max: Int = 1024) throws -> [_ProtoEnvelope] {
        var buffer = ByteBuffer()
        var decoded: [_ProtoEnvelope] = []
        var start = 0
        for end in cuts + [bytes.count] {
            buffer.writeBytes(bytes[start..<end])
            start = end
            while let envelope = try FrameDecoder.decodeFrame(from: &buffer, maxFrameBytes: max) {
                decoded.append(envelope)
            }
        }
        #expect(buffer.readableBytes == 0)
        return decoded
    }

    @Test func everySplitOfTheStreamYieldsTheSameFrames() throws {
        let expected = [heartbeat("tm-1"), heartbeat("tm-2"), .with(.clusterStatusRequest(.init()))]
        let bytes = try framed(expected)
        for cut in 0...bytes.count {
            #expect(try decode(bytes, cuts: [cut]) == expected, "split at \(cut)")
        }
        for first in stride(from: 0, through: bytes.count, by: 3) {
            for second in stride(from: first, through: bytes.count, by: 5) {
                #expect(try decode(bytes, cuts: [first, second]) == expected)
            }
        }
    }

    @Test func byteByByteDeliveryYieldsTheSameFrames() throws {
        let expected = [heartbeat("a"), heartbeat("b")]
        let bytes = try framed(expected)
        #expect(try decode(bytes, cuts: Array(1..<bytes.count)) == expected)
    }

    @Test func oversizedLengthPrefixIsRefusedBeforeThePayloadArrives() {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(2_000), endianness: .big)
        #expect(throws: FrameError.frameTooLarge(length: 2_000, maximum: 1024)) {
            _ = try FrameDecoder.decodeFrame(from: &buffer, maxFrameBytes: 1024)
        }
    }

    @Test func garbagePayloadIsUndecodable() {
        var buffer = ByteBuffer()
        let garbage: [UInt8] = [0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]
        buffer.writeInteger(UInt32(garbage.count), endianness: .big)
        buffer.writeBytes(garbage)
        #expect {
            _ = try FrameDecoder.decodeFrame(from: &buffer, maxFrameBytes: 1024)
        } throws: { error in
            guard case FrameError.undecodable(let length, _) = error else { return false }
            return length == garbage.count
        }
    }

    @Test func incompleteFrameWaitsForMoreBytes() throws {
        let bytes = try framed([heartbeat("tm")])
        var buffer = ByteBuffer(bytes: bytes.dropLast())
        #expect(try FrameDecoder.decodeFrame(from: &buffer, maxFrameBytes: 1024) == nil)
        #expect(buffer.readableBytes == bytes.count - 1, "nothing consumed until the frame is whole")
    }
}
