import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import SluiceTestSupport
import Testing

@Suite struct AttributionStateCodecTests {
    private func sampleState() -> AttributionKeyState {
        let pending = [
            AttributedCheckout(checkout: checkout("o2", at: "10:05:00"), clickID: nil, clickTime: nil),
            AttributedCheckout(
                checkout: Checkout(checkoutID: "o1", userID: -42, productID: "prödüct 🚀", paymentMethod: "card",
                                   totalAmount: "1e3", shippingAddress: "Straße 1\nBerlin", billingAddress: "",
                                   userAgent: "Mozilla/5.0", ipAddress: "::1", eventTime: time("1969-12-31 23:59:59.999")),
                clickID: "c1", clickTime: time("1969-12-31 23:30:00")),
        ]
        return AttributionKeyState(
            clicks: [.init(clickID: "c2", time: time("10:00:00")), .init(clickID: "c1", time: time("09:00:00"))],
            pending: pending)
    }

    @Test func emptyStateRoundTrips() throws {
        let bytes = AttributionStateCodec.encode(AttributionKeyState())
        #expect(try AttributionStateCodec.decode(bytes) == AttributionKeyState())
        #expect(bytes.count == 3)
    }

    @Test func stateWithClicksAndPendingCheckoutsRoundTrips() throws {
        let state = sampleState()
        #expect(try AttributionStateCodec.decode(AttributionStateCodec.encode(state)) == state)
    }

    @Test func stateBuiltByTheOperatorRoundTrips() throws {
        var run = AttributionRun(settings(mode: .eager))
        run.feed(click("c1", at: "09:30:00"))
        run.feed(click("c2", at: "09:40:00"))
        run.feed(checkout("o1", at: "10:00:00"))
        run.feed(checkout("o2", at: "10:10:00"))
        #expect(try AttributionStateCodec.decode(AttributionStateCodec.encode(run.state)) == run.state)
    }

    @Test func encodingIsCompact() {
        var run = AttributionRun()
        run.feed(click("8f14e45f-ceea-467f-a0e6-1f3b5c7b9b2e", at: "09:30:00"))
        #expect(AttributionStateCodec.encode(run.state).count < 50)
    }

    @Test func everyTruncationIsRefused() {
        let bytes = AttributionStateCodec.encode(sampleState())
        for length in 0..<bytes.count {
            #expect(throws: AttributionStateCodecError.self, "truncated to \(length) bytes") {
                _ = try AttributionStateCodec.decode(Array(bytes[..<length]))
            }
        }
    }

    @Test func trailingBytesAreRefused() {
        let bytes = AttributionStateCodec.encode(sampleState()) + [0]
        #expect(throws: AttributionStateCodecError.trailingBytes(1)) {
            _ = try AttributionStateCodec.decode(bytes)
        }
    }

    @Test func otherFormatVersionIsRefused() {
        var bytes = AttributionStateCodec.encode(sampleState())
        bytes[0] = 9
        #expect(throws: AttributionStateCodecError.unsupportedVersion(9)) {
            _ = try AttributionStateCodec.decode(bytes)
        }
    }

    @Test func absurdEntryCountIsRefusedWithoutAllocating() {
        let bytes: [UInt8] = [1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0]
        #expect(throws: AttributionStateCodecError.self) {
            _ = try AttributionStateCodec.decode(bytes)
        }
    }

    @Test func randomlyCorruptedBytesNeverCrash() {
        let original = AttributionStateCodec.encode(sampleState())
        var generator = SplitMix64(seed: 0xC0DEC)
        var refused = 0
        for _ in 0..<5_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            // Either refused, or read as some valid state that encodes again without trouble.
            do {
                let state = try AttributionStateCodec.decode(bytes)
                _ = AttributionStateCodec.encode(state)
            } catch {
                refused += 1
            }
        }
        #expect(refused > 0)
    }

    @Test func decodedStateIsInCanonicalOrder() throws {
        var writerState = AttributionKeyState(
            clicks: [.init(clickID: "b", time: 5), .init(clickID: "a", time: 5), .init(clickID: "a", time: 5)],
            pending: [])
        #expect(writerState.clicks.map(\.clickID) == ["a", "b"])
        writerState = try AttributionStateCodec.decode(AttributionStateCodec.encode(writerState))
        #expect(writerState.clicks.map(\.clickID) == ["a", "b"])
    }

    @Test func stateWrittenByAVersion1BuildRestores() throws {
        // Version 1: click ids as bare strings, a pending row's click id as [presence][string].
        var writer = BinaryWriter()
        writer.write(1 as UInt8)
        writer.write(varint: 2)
        writer.write("8f14e45f-ceea-467f-a0e6-1f3b5c7b9b2e")
        writer.write(signed: 7)
        writer.write("c-legacy")
        writer.write(signed: 9)
        writer.write(varint: 1)
        // A row with a text click id is byte-for-byte what version 1 wrote (tag 1 = presence 1).
        var row = BinaryWriter()
        AttributedCheckout(checkout: checkout("o1", at: "10:00:00"), clickID: "c-legacy", clickTime: 9).encode(into: &row)
        let state = try AttributionStateCodec.decode(writer.bytes + row.bytes)
        #expect(state.clicks == [.init(clickID: EventID("8f14e45f-ceea-467f-a0e6-1f3b5c7b9b2e"), time: 7),
                                 .init(clickID: "c-legacy", time: 9)])
        #expect(state.pending.map(\.clickID) == ["c-legacy"])
        if case .text = state.clicks[0].clickID { Issue.record("a version-1 UUID id was not packed") }
    }
}
