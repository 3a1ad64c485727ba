import NIOCore
import SluiceProtocol
import Testing
@testable import SluiceTaskManager

@Suite struct DataFrameCodecTests {
    /// One frame of every kind.
    private static let everyKind: [DataFrame] = {
        var offer = _ProtoHandshakeOffer()
        offer.clusterID = "test-cluster"
        offer.role = .dataChannel
        offer.peerName = "tm-consumer"
        var records = ByteBuffer()
        records.writeString("three records")
        return [
            .envelope(.with(.handshakeOffer(offer))),
            .open(ChannelKey(jobID: "job-1", attempt: 3, producerVertex: "source", producerSubtask: 1,
                             consumerVertex: "attribution", consumerSubtask: 7), initialCredit: 4),
            .buffer(records, recordCount: 3),
            .watermark(-15_000),
            .watermarkStatus(idle: true),
            .watermarkStatus(idle: false),
            .barrier(checkpointID: 42),
            .endOfPartition,
            .credit(9),
            .close(.init(.fenced, "attempt 3 is fenced")),
        ]
    }()

    private func encode(_ frames: [DataFrame]) throws -> [UInt8] {
        var buffer = ByteBuffer()
        for frame in frames { try DataFrameEncoder.encodeFrame(frame, into: &buffer) }
        return Array(buffer.readableBytesView)
    }

    /// Feeds `bytes` cut at `cuts` and collects every frame decoded along the way.
    private func decode(_ bytes: [UInt8], cuts: [Int], max: Int = 1024) throws -> [DataFrame] {
        var buffer = ByteBuffer()
        var frames: [DataFrame] = []
        var start = 0
        for end in cuts + [bytes.count] {
            buffer.writeBytes(bytes[start..<end])
            start = end
            while let frame = try DataFrameDecoder.decodeFrame(from: &buffer, maxFrameBytes: max) {
                frames.append(frame)
            }
        }
        #expect(buffer.readableBytes == 0)
        return frames
    }

    private func decodeOne(_ bytes: [UInt8], max: Int = 1024) throws -> DataFrame? {
        var buffer = ByteBuffer(bytes: bytes)
        return try DataFrameDecoder.decodeFrame(from: &buffer, maxFrameBytes: max)
    }

    @Test func everySplitOfAMultiFrameStreamYieldsTheSameFrames() throws {
        let bytes = try encode(Self.everyKind)
        for cut in 0...bytes.count {
            #expect(try decode(bytes, cuts: [cut]) == Self.everyKind, "split at \(cut)")
        }
        for first in stride(from: 0, through: bytes.count, by: 3) {
            for second in stride(from: first, through: bytes.count, by: 7) {
                #expect(try decode(bytes, cuts: [first, second]) == Self.everyKind, "split at \(first), \(second)")
            }
        }
    }

    @Test func byteByByteDeliveryYieldsTheSameFrames() throws {
        let bytes = try encode(Self.everyKind)
        #expect(try decode(bytes, cuts: Array(1..<bytes.count)) == Self.everyKind)
    }

    @Test func oversizedLengthIsRefusedBeforeThePayloadArrives() {
        #expect(throws: DataFrameError.frameTooLarge(length: 2_000, maximum: 1024)) {
            try decodeOne([0, 0, 0x07, 0xD0])
        }
    }

    @Test func unknownKindIsRefusedBeforeThePayloadArrives() {
        #expect(throws: DataFrameError.unknownKind(99)) {
            try decodeOne([0, 0, 0, 10, 99])
        }
    }

    @Test func zeroLengthFrameIsRefused() {
        #expect(throws: DataFrameError.emptyFrame) {
            try decodeOne([0, 0, 0, 0])
        }
    }

    @Test(arguments: [
        ([0, 0, 0, 4, 3, 1, 2, 3], DataFrame.Kind.watermark),   // watermark needs 8 bytes
        ([0, 0, 0, 2, 5, 0], .endOfPartition),                  // END_OF_PARTITION carries nothing
        ([0, 0, 0, 2, 8, 2], .watermarkStatus),                 // status is 0 or 1
        ([0, 0, 0, 1, 8], .watermarkStatus),                    // status byte missing
        ([0, 0, 0, 3, 6, 0, 1], .credit),                       // credit needs 4 bytes
        ([0, 0, 0, 3, 2, 0, 1], .buffer),                       // record count cut short
        ([0, 0, 0, 2, 7, 99], .close),                          // unknown close code
        ([0, 0, 0, 5, 1, 0, 0, 0, 9], .open),                   // job id longer than the frame
        ([0, 0, 0, 3, 0, 0xFF, 0xFF], .envelope),               // not protobuf
    ] as [([UInt8], DataFrame.Kind)])
    func malformedPayloadIsRefused(bytes: [UInt8], kind: DataFrame.Kind) {
        #expect {
            try decodeOne(bytes)
        } throws: { error in
            guard case DataFrameError.malformed(let refusedKind, _) = error else { return false }
            return refusedKind == kind
        }
    }

    @Test func incompleteFrameConsumesNothing() throws {
        let bytes = try encode([.watermark(7)])
        var buffer = ByteBuffer(bytes: bytes.dropLast())
        #expect(try DataFrameDecoder.decodeFrame(from: &buffer, maxFrameBytes: 1024) == nil)
        #expect(buffer.readableBytes == bytes.count - 1)
    }

    @Test func bufferFrameLayoutIsLengthKindCountBytes() throws {
        var records = ByteBuffer()
        records.writeBytes([0xAA, 0xBB])
        #expect(try encode([.buffer(records, recordCount: 2)]) == [0, 0, 0, 7, 2, 0, 0, 0, 2, 0xAA, 0xBB])
    }

    @Test func openWithSubtaskOutsideU32IsNotEncoded() {
        let key = ChannelKey(jobID: "j", attempt: 1, producerVertex: "p", producerSubtask: -1,
                             consumerVertex: "c", consumerSubtask: 0)
        var buffer = ByteBuffer()
        #expect(throws: DataFrameError.self) { try DataFrameEncoder.encodeFrame(.open(key, initialCredit: 1), into: &buffer) }
        #expect(buffer.readableBytes == 0)
    }
}
