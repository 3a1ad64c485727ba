import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import SluiceTestSupport
import Testing

@Suite struct EventIDTests {
    private let canonical = "8f14e45f-ceea-467f-a0e6-1f3b5c7b9b2e"

    @Test func canonicalUUIDIsPackedAndPrintsBack() {
        let id = EventID(canonical)
        guard case .uuid(let high, let low) = id else {
            Issue.record("\(canonical) was not packed: \(id)")
            return
        }
        #expect(high == 0x8f14_e45f_ceea_467f)
        #expect(low == 0xa0e6_1f3b_5c7b_9b2e)
        #expect(id.description == canonical)
    }

    @Test(arguments: [
        "8F14E45F-CEEA-467F-A0E6-1F3B5C7B9B2E",  // uppercase: packing would change its order against text ids
        "8f14e45f-ceea-467f-a0e6-1f3b5c7b9b2",  // one digit short
        "8f14e45f-ceea-467f-a0e6-1f3b5c7b9b2e0",  // one digit long
        "8f14e45fceea-467f-a0e6-1f3b5c7b9b2e-",  // dash in the wrong place
        "8f14e45f-ceea-467f-a0e6-1f3b5c7b9b2g",  // not hex
        "click-1", "", "ünïcödé-🚀",
    ])
    func otherTextStaysText(_ text: String) {
        #expect(EventID(text) == .text(text))
        #expect(EventID(text).description == text)
    }

    @Test func equalTextsGiveEqualIDsWhicheverInitializerMadeThem() {
        var bytes = Array(canonical.utf8)
        let fromBytes = bytes.withUnsafeMutableBytes { EventID(validUTF8: UnsafeRawBufferPointer($0)) }
        #expect(fromBytes == EventID(canonical))
        #expect(fromBytes.hashValue == EventID(canonical).hashValue)
        #expect(EventID(validUTF8: UnsafeRawBufferPointer(start: nil, count: 0)) == .text(""))
    }

    @Test func orderIsTheTextsByteOrderForAnyMixOfForms() {
        var random = SplitMix64(seed: 0xE1D)
        var texts: [String] = ["", "0", "a", "click-9", "ffffffff-ffff-ffff-ffff-ffffffffffff", "00000000-0000-0000-0000-000000000000"]
        for _ in 0..<200 {
            let uuid = randomUUID(using: &random)
            texts.append(uuid)
            texts.append(uuid.uppercased())
            texts.append(String(uuid.prefix(Int.random(in: 0...36, using: &random))))
        }
        let ids = texts.map { EventID($0) }
        for (left, leftID) in zip(texts, ids) {
            for (right, rightID) in zip(texts, ids) {
                #expect((leftID < rightID) == left.utf8.lexicographicallyPrecedes(right.utf8), "\(left) < \(right)")
                #expect((leftID == rightID) == (left == right), "\(left) == \(right)")
            }
        }
    }

    @Test func binaryFormRoundTripsAndUUIDsAreSmall() throws {
        let ids: [EventID?] = [nil, EventID(canonical), "click-1", "", EventID(canonical.uppercased())]
        var writer = BinaryWriter()
        for id in ids { writer.write(id) }
        #expect(writer.count == 1 + 17 + (2 + 7) + 2 + (2 + 36))
        let decoded = try writer.bytes.withUnsafeBytes { raw in
            var reader = BinaryReader(raw)
            return try ids.map { _ in try reader.readOptionalEventID() }
        }
        #expect(decoded == ids)
    }

    @Test func textThatIsAUUIDDecodesPacked() throws {
        var writer = BinaryWriter()
        writer.write(1 as UInt8)  // a text id, as a writer that never packs would send it
        writer.write(canonical)
        let decoded = try writer.bytes.withUnsafeBytes { raw in
            var reader = BinaryReader(raw)
            return try reader.readEventID()
        }
        #expect(decoded == EventID(canonical))
        if case .text = decoded { Issue.record("decoded as text: canonical form lost") }
    }

    @Test func unknownTagAndMissingIDAreRefused() {
        for bytes: [UInt8] in [[3], [0], [2, 1, 2, 3]] {
            #expect(throws: BinaryReader.Failure.self, "\(bytes)") {
                try bytes.withUnsafeBytes { raw in
                    var reader = BinaryReader(raw)
                    _ = try reader.readEventID()
                }
            }
        }
    }
}
