import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import Testing

/// Schema-driven JSON decoding: the declared columns, the attribution decoders' type rules,
/// and a dead-letter reason naming the field for every record that does not fit.
@Suite struct RowJSONDecoderTests {
    private static let schema = Schema(name: "order", columns: [
        Column("order_id", .string), Column("user_id", .int64), Column("amount", .decimal(precision: 10, scale: 2)),
        Column("ratio", .float64, nullable: true), Column("gift", .bool, nullable: true), Column("note", .string, nullable: true),
        Column("at", .timestamp),
    ], eventTime: "at")

    private func decode(_ json: String, schema: Schema = schema, fieldNames: [String: String] = ["at": "datetime_occured"]) throws(RecordDecodingError) -> Row {
        var decoder = RowJSONDecoder(schema: schema, fieldNames: fieldNames)
        let bytes = Array(json.utf8)
        let result = bytes.withUnsafeBytes { raw in Result { () throws(RecordDecodingError) -> Row in try decoder.decode(raw) } }
        return try result.get()
    }

    private func reason(_ json: String) -> String? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func decodesEveryColumnFromItsField() throws {
        let row = try decode(#"{"order_id":"o-1","user_id":"42","amount":"19.90","ratio":0.25,"gift":true,"note":"caf\u00e9","datetime_occured":"2024-05-01 10:00:00.123","extra":[1,{"x":2}]}"#)
        let layout = RowLayout(Self.schema)
        #expect(row.string(0, layout) == "o-1")
        #expect(row.int64(1, layout) == 42)
        #expect(row.decimal(2, layout).description == "19.90")
        #expect(row.float64(3, layout) == 0.25)
        #expect(row.bool(4, layout))
        #expect(row.string(5, layout) == "café")
        #expect(row.int64(6, layout) == 1_714_557_600_123)
    }

    @Test func absentOrNullNullableColumnsAreNullAndTimestampsMayBeEpochMillis() throws {
        let row = try decode(#"{"order_id":7,"user_id":1,"amount":3,"note":null,"datetime_occured":1714557600123}"#)
        let layout = RowLayout(Self.schema)
        #expect(row.string(0, layout) == "7")
        #expect(row.decimal(2, layout).description == "3.00")
        #expect(row.isNull(3) && row.isNull(4) && row.isNull(5))
        #expect(row.int64(6, layout) == 1_714_557_600_123)
    }

    @Test(arguments: [
        (#"{"user_id":1,"amount":1,"datetime_occured":"2024-05-01 10:00:00"}"#, "order_id"),
        (#"{"order_id":"o","user_id":"x1","amount":1,"datetime_occured":"2024-05-01 10:00:00"}"#, "user_id"),
        (#"{"order_id":"o","user_id":1,"amount":"1.234","datetime_occured":"2024-05-01 10:00:00"}"#, "amount"),
        (#"{"order_id":"o","user_id":1,"amount":123456789,"datetime_occured":"2024-05-01 10:00:00"}"#, "amount"),
        (#"{"order_id":"o","user_id":1,"amount":1,"gift":"yes","datetime_occured":"2024-05-01 10:00:00"}"#, "gift"),
        (#"{"order_id":"o","user_id":1,"amount":1,"datetime_occured":"yesterday"}"#, "datetime_occured"),
        (#"{"order_id":null,"user_id":1,"amount":1,"datetime_occured":"2024-05-01 10:00:00"}"#, "order_id"),
        (#"{"order_id":"o","order_id":"p","user_id":1,"amount":1,"datetime_occured":"2024-05-01 10:00:00"}"#, "order_id"),
        (#"{"order_id":"a\u0000b","user_id":1,"amount":1,"datetime_occured":"2024-05-01 10:00:00"}"#, "order_id"),
        (#"{"order_id":"o","user_id":1,"amount":1,"ratio":"NaN","datetime_occured":"2024-05-01 10:00:00"}"#, "ratio"),
    ] as [(String, String)])
    func aRecordThatDoesNotFitIsRefusedNamingTheField(_ json: String, _ field: String) {
        let why = reason(json)
        #expect(why?.contains(field) == true, "\(String(describing: why))")
    }

    @Test func brokenJSONIsRefused() {
        #expect(reason(#"{"order_id":"o","#)?.contains("invalid JSON") == true)
        #expect(reason("[1,2]")?.contains("invalid JSON") == true)
    }

    @Test func theCheckoutSchemaDecodesWhatTheCheckoutDecoderDoes() throws {
        let json = RecordFixtures.checkout()
        let typed = try CheckoutDecoder().decode(Array(json.utf8))
        let schema = AttributionSchemas.checkout
        let row = try decode(json, schema: schema, fieldNames: ["checkout_time": "datetime_occured"])
        let layout = RowLayout(schema)
        #expect(row.string(0, layout) == typed.checkoutID)
        #expect(row.int64(1, layout) == typed.userID)
        #expect(row.string(2, layout) == typed.productID)
        #expect(row.string(3, layout) == typed.paymentMethod)
        #expect(row.decimal(4, layout).description == typed.totalAmount)
        #expect(row.string(8, layout) == typed.ipAddress)
        #expect(row.int64(9, layout) == typed.eventTime)
    }
}
