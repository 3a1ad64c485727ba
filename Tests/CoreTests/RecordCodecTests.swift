import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import Testing

@Suite struct RecordCodecTests {
    private let samples: [StreamRecord] = {
        let rows = AttributionInputRows()
        return [
            rows.row(Click(clickID: "c-1ü", userID: 42, productID: "p-9", eventTime: 1_795_000_000_123)),
            rows.row(Click(clickID: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", userID: -7, productID: "", eventTime: -5)),
            rows.row(Click(clickID: "c-2", userID: .max, productID: String(repeating: "long ", count: 40), eventTime: .min)),
        ]
    }()

    @Test func rowsRoundTripAndAreCheckedAgainstTheirLayout() throws {
        var writer = BinaryWriter()
        for record in samples { RecordCodec.encode(record, into: &writer) }
        let decoded = try writer.bytes.withUnsafeBytes { bytes in
            var reader = BinaryReader(bytes)
            var records: [StreamRecord] = []
            while !reader.isAtEnd { records.append(try RecordCodec.decode(from: &reader, rows: AttributionInputRows.clickLayout)) }
            return records
        }
        #expect(decoded == samples)
        #expect(decoded.map { Click(row: $0.row).clickID } == ["c-1ü", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "c-2"])
        // A click row is no checkout row: refused, not read out of bounds.
        #expect(throws: BinaryReader.Failure.self) {
            try writer.bytes.withUnsafeBytes { bytes in
                var reader = BinaryReader(bytes)
                _ = try RecordCodec.decode(from: &reader, rows: AttributionInputRows.checkoutLayout)
            }
        }
    }

    @Test func truncatedBytesThrowInsteadOfTrapping() {
        var writer = BinaryWriter()
        RecordCodec.encode(samples[0], into: &writer)
        for cut in 0..<writer.bytes.count {
            let prefix = Array(writer.bytes.prefix(cut))
            #expect(throws: BinaryReader.Failure.self) {
                try prefix.withUnsafeBytes { bytes in
                    var reader = BinaryReader(bytes)
                    _ = try RecordCodec.decode(from: &reader, rows: AttributionInputRows.clickLayout)
                }
            }
        }
    }

    @Test func clicksAndCheckoutsOfOneUserAndProductShareAKeyAndKeysSeparateUserAndProduct() throws {
        var rows = AttributionInputRows()
        let clickKey = try RowKeyColumns(["user_id", "product_id"], in: AttributionInputRows.clickLayout)
        let checkoutKey = try RowKeyColumns(["user_id", "product_id"], in: AttributionInputRows.checkoutLayout)
        var a: [UInt8] = [], b: [UInt8] = []
        clickKey.write(rows.row(Click(clickID: "x", userID: 1, productID: "23", eventTime: 0)).row, into: &a)
        checkoutKey.write(rows.row(Checkout(checkoutID: "y", userID: 1, productID: "23", eventTime: 5)).row, into: &b)
        #expect(a == b, "a click and a checkout of the same user and product share a key")
        clickKey.write(rows.row(Click(clickID: "x", userID: 12, productID: "3", eventTime: 0)).row, into: &b)
        #expect(a != b)
    }

    @Test func checkoutAmountsAreRoundedAsPostgreSQLRoundsThemOrRefused() throws {
        var builder = RowBuilder(AttributionInputRows.checkoutLayout)
        func amount(_ text: String) throws -> String {
            try Checkout(checkoutID: "o", userID: 1, productID: "p", totalAmount: text, eventTime: 0, builder: &builder).totalAmount
        }
        #expect(try amount("12.5") == "12.50")
        #expect(try amount("12.345") == "12.35")
        #expect(try amount("-12.345") == "-12.35")
        #expect(try amount("12.344999") == "12.34")
        #expect(try amount("1.5e2") == "150.00")
        #expect(try amount("9999999999.994") == "9999999999.99")
        #expect(try amount("0.004") == "0.00")
        #expect(throws: RecordDecodingError.self) { _ = try amount("9999999999.995") }  // rounds to 11 integer digits
        #expect(throws: RecordDecodingError.self) { _ = try amount("1e10") }
        #expect(throws: RecordDecodingError.self) { _ = try amount("twelve") }
    }
}
