import SluiceOperators
import Testing

@Suite struct RecordCodecTests {
    private let samples: [StreamRecord] = [
        .click(Click(clickID: "c-1ü", userID: 42, productID: "p-9", eventTime: 1_795_000_000_123)),
        .checkout(Checkout(checkoutID: "o-1", userID: -7, productID: "", paymentMethod: "card", totalAmount: "5",
                           shippingAddress: "a\nb", billingAddress: "", userAgent: "", ipAddress: "", eventTime: -5)),
        .attributed(AttributedCheckout(checkout: Checkout(checkoutID: "o-2", userID: 1, productID: "p", eventTime: 0),
                                       clickID: "c-2", clickTime: -1, userName: "ann")),
        .attributed(AttributedCheckout(checkout: Checkout(checkoutID: "o-3", userID: 1, productID: "p", eventTime: 0),
                                       clickID: nil, clickTime: nil, userName: nil)),
    ]

    @Test func everyRecordKindRoundTrips() throws {
        var writer = BinaryWriter()
        for record in samples { RecordCodec.encode(record, into: &writer) }
        let decoded = try writer.bytes.withUnsafeBytes { bytes in
            var reader = BinaryReader(bytes)
            var records: [StreamRecord] = []
            while !reader.isAtEnd { records.append(try RecordCodec.decode(from: &reader)) }
            return records
        }
        #expect(decoded == samples)
    }

    @Test func truncatedBytesThrowInsteadOfTrapping() {
        var writer = BinaryWriter()
        RecordCodec.encode(samples[0], into: &writer)
        for cut in 0..<writer.bytes.count {
            let prefix = Array(writer.bytes.prefix(cut))
            #expect(throws: BinaryReader.Failure.self) {
                try prefix.withUnsafeBytes { bytes in
                    var reader = BinaryReader(bytes)
                    _ = try RecordCodec.decode(from: &reader)
                }
            }
        }
    }

    @Test func keyBytesSeparateUserAndProduct() {
        var a: [UInt8] = [], b: [UInt8] = []
        RecordKey.write(.click(Click(clickID: "x", userID: 1, productID: "23", eventTime: 0)), fields: ["user_id", "product_id"], into: &a)
        RecordKey.write(.checkout(Checkout(checkoutID: "y", userID: 1, productID: "23", eventTime: 5)), fields: ["user_id", "product_id"], into: &b)
        #expect(a == b, "a click and a checkout of the same user and product share a key")
        RecordKey.write(.click(Click(clickID: "x", userID: 12, productID: "3", eventTime: 0)), fields: ["user_id", "product_id"], into: &b)
        #expect(a != b)
    }
}
