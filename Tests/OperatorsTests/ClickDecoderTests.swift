import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import Testing

@Suite struct ClickDecoderTests {
    @Test func decodesEveryFieldOfAValidClick() throws {
        let click = try decodeClick(RecordFixtures.click())
        #expect(click == Click(clickID: "c-1", userID: 42, productID: "p-7", eventTime: time("2024-05-01 10:00:00.123")))
    }

    @Test func optionalFieldsMayBeAbsent() throws {
        let click = try decodeClick(#"{"click_id":"c","user_id":1,"product_id":"p","datetime_occured":"2024-05-01 10:00:00"}"#)
        #expect(click == Click(clickID: "c", userID: 1, productID: "p", eventTime: time("10:00:00")))
    }

    @Test(arguments: ["product", "price", "url", "user_agent", "ip_address"])
    func nullOptionalFieldsAreAccepted(field: String) throws {
        #expect(try decodeClick(RecordFixtures.click(setting: field, to: "null")).clickID == "c-1")
    }

    @Test(arguments: ["product", "url", "user_agent", "ip_address"])
    func unreadTextFieldsAreStillChecked(field: String) {
        #expect(clickFailure(RecordFixtures.click(setting: field, to: "17")) == "field \(field): expected a string, got number 17")
        #expect(clickFailure(RecordFixtures.click(setting: field, to: #""a\u0000b""#))
            == "field \(field): string contains U+0000, which PostgreSQL text cannot store")
        let twice = String(RecordFixtures.click().dropLast()) + #", "\#(field)": "again"}"#
        #expect(clickFailure(twice) == "duplicate field \(field)")
    }

    @Test(arguments: ["click_id", "user_id", "product_id", "datetime_occured"])
    func missingRequiredFieldIsNamed(field: String) {
        #expect(throws: RecordDecodingError.missingField(field)) {
            _ = try decodeClick(RecordFixtures.click(without: field))
        }
        #expect(clickFailure(RecordFixtures.click(without: field)) == "missing field \(field)")
    }

    @Test func userIDMayBeAStringOfDigits() throws {
        #expect(try decodeClick(RecordFixtures.click(setting: "user_id", to: #""1234""#)).userID == 1234)
    }

    @Test func userIDCoversTheWholeInt64Range() throws {
        #expect(try decodeClick(RecordFixtures.click(setting: "user_id", to: "-9223372036854775808")).userID == .min)
        #expect(try decodeClick(RecordFixtures.click(setting: "user_id", to: "9223372036854775807")).userID == .max)
        #expect(clickFailure(RecordFixtures.click(setting: "user_id", to: "9223372036854775808"))
            == "field user_id: 9223372036854775808 does not fit a 64-bit integer")
    }

    @Test func productIDMayBeAnIntegerAndBecomesItsDecimalText() throws {
        #expect(try decodeClick(RecordFixtures.click(setting: "product_id", to: "12345")).productID == "12345")
        #expect(try decodeClick(RecordFixtures.click(setting: "click_id", to: "-7")).clickID == "-7")
    }

    @Test(arguments: ["19.90", "0", "-0.5", "1e2", "1.5E-3", "123456789012345678901234567890.123456789"])
    func priceMayBeAnyFiniteNumber(text: String) throws {
        #expect(clickFailure(RecordFixtures.click(setting: "price", to: text)) == nil)
    }

    @Test(arguments: ["19.90", "+3", ".5", "7.", "00012.50", "-1e3"])
    func priceMayBeANumericString(text: String) throws {
        #expect(clickFailure(RecordFixtures.click(setting: "price", to: "\"\(text)\"")) == nil)
    }

    @Test(arguments: [("19.90", "19.90"), ("0", "0.00"), ("-0.5", "-0.50"), ("1e2", "100.00"), ("1.5E-3", "0.00"), ("7.005", "7.01")])
    func checkoutAmountBecomesADecimalAtTheColumnsScale(text: String, amount: String) throws {
        #expect(try decodeCheckout(RecordFixtures.checkout(setting: "total_amount", to: text)).totalAmount == amount)
    }

    @Test func checkoutAmountThatDoesNotFitTheColumnIsRefused() {
        let error = #expect(throws: RecordDecodingError.self) {
            _ = try decodeCheckout(RecordFixtures.checkout(setting: "total_amount", to: "123456789012345678901234567890.123456789"))
        }
        #expect(error?.description.contains("does not fit decimal(12,2)") == true)
    }

    @Test(arguments: [
        ("user_id", #""abc""#, "field user_id: expected an integer or a string of digits, got string 'abc'"),
        ("user_id", "1.5", "field user_id: expected an integer or a string of digits, got number 1.5"),
        ("user_id", "1e3", "field user_id: expected an integer or a string of digits, got number 1e3"),
        ("user_id", "true", "field user_id: expected an integer or a string of digits, got true"),
        ("user_id", #""""#, "field user_id: expected an integer or a string of digits, got string ''"),
        ("click_id", "null", "field click_id: expected a string or an integer, got null"),
        ("click_id", #"{"id": 1}"#, "field click_id: expected a string or an integer, got an object"),
        ("product_id", "[1, 2]", "field product_id: expected a string or an integer, got an array"),
        ("product_id", "1.5", "field product_id: expected a string or an integer, got number 1.5"),
        ("price", #""abc""#, "field price: 'abc' is not a finite decimal number"),
        ("price", #""NaN""#, "field price: 'NaN' is not a finite decimal number"),
        ("price", #""Infinity""#, "field price: 'Infinity' is not a finite decimal number"),
        ("price", #""1.2.3""#, "field price: '1.2.3' is not a finite decimal number"),
        ("price", #"" 1""#, "field price: ' 1' is not a finite decimal number"),
        ("price", "false", "field price: expected a number or a numeric string, got false"),
        ("url", "5", "field url: expected a string, got number 5"),
        ("datetime_occured", "1714557600000",
         "field datetime_occured: expected a string 'YYYY-MM-DD HH:MM:SS.mmm', got number 1714557600000"),
    ])
    func wrongTypeIsRefusedWithFieldAndValue(field: String, json: String, reason: String) {
        #expect(clickFailure(RecordFixtures.click(setting: field, to: json)) == reason)
    }

    @Test func emptyIDIsRefused() {
        #expect(clickFailure(RecordFixtures.click(setting: "click_id", to: #""""#)) == "field click_id: must not be empty")
        #expect(clickFailure(RecordFixtures.click(setting: "product_id", to: #""""#)) == "field product_id: must not be empty")
    }

    @Test func priceExponentBeyondWhatNumericStoresIsRefused() {
        #expect(clickFailure(RecordFixtures.click(setting: "price", to: "1e1001"))
            == "field price: exponent of 1e1001 is out of range ±1000")
        #expect(clickFailure(RecordFixtures.click(setting: "price", to: "1e-1000")) == nil)
    }

    @Test func invalidTimestampReasonQuotesTheValueAndSaysWhy() {
        #expect(clickFailure(RecordFixtures.click(setting: "datetime_occured", to: #""2024-13-01 10:00:00.000""#))
            == "field datetime_occured: invalid timestamp '2024-13-01 10:00:00.000' (month 13 is not in 1...12)")
        #expect(clickFailure(RecordFixtures.click(setting: "datetime_occured", to: #""2023-02-29 10:00:00""#))
            == "field datetime_occured: invalid timestamp '2023-02-29 10:00:00' (day 29 is not in 1...28 for 2023-02)")
        #expect(clickFailure(RecordFixtures.click(setting: "datetime_occured", to: #""yesterday""#))
            == "field datetime_occured: invalid timestamp 'yesterday' (expected a digit at character 1, expected 'YYYY-MM-DD HH:MM:SS[.fff]')")
    }

    @Test func timestampSpellingsOfTheProducersAreAccepted() throws {
        for text in ["2024-05-01T10:00:00", "2024-05-01 10:00:00.000000", "2024-05-01 10:00:00.0Z"] {
            #expect(try decodeClick(RecordFixtures.click(setting: "datetime_occured", to: "\"\(text)\"")).eventTime == time("10:00:00"))
        }
    }

    @Test func repeatedFieldIsRefusedAsAmbiguous() {
        let json = #"{"click_id":"c","user_id":1,"user_id":2,"product_id":"p","datetime_occured":"2024-05-01 10:00:00"}"#
        #expect(clickFailure(json) == "duplicate field user_id")
    }

    @Test func unknownFieldsAreIgnoredWhateverTheyHold() throws {
        let json = RecordFixtures.click().dropLast()
            + #", "extra": {"a": [1, {"b": null}, "}]"], "c": -0.0e+5}, "tags": [], "flag": true, "none": null}"#
        #expect(try decodeClick(String(json)) == decodeClick(RecordFixtures.click()))
    }

    @Test func fieldOrderDoesNotMatter() throws {
        let reversed = "{" + RecordFixtures.clickFields.reversed().map { "\"\($0.name)\":\($0.json)" }.joined(separator: ",") + "}"
        #expect(try decodeClick(reversed) == decodeClick(RecordFixtures.click()))
    }

    @Test func escapedKeyStillNamesItsField() throws {
        let json = RecordFixtures.click().replacing(#""click_id""#, with: #""click\u005fid""#, maxReplacements: 1)
        #expect(try decodeClick(json).clickID == "c-1")
    }

    @Test func anyContiguousOrNonContiguousByteCollectionDecodesTheSame() throws {
        let bytes = Array(("xx" + RecordFixtures.click()).utf8)
        let expected = try decodeClick(RecordFixtures.click())
        #expect(try ClickDecoder().decode(bytes[2...]) == expected)
        #expect(try ClickDecoder().decode(bytes[2...].lazy.map { $0 }) == expected)
        let viaPointer = try bytes[2...].withUnsafeBytes { raw in
            Result { () throws(RecordDecodingError) -> Click in try ClickDecoder().decode(raw) }
        }.get()
        #expect(viaPointer == expected)
    }

    @Test func recordOverTheDefaultLimitOf64KiBIsRefusedUnparsed() {
        let padding = String(repeating: "x", count: 70_000)
        let json = String(RecordFixtures.click().dropLast()) + ", \"padding\": \"\(padding)\"}"
        let size = json.utf8.count
        #expect(throws: RecordDecodingError.oversized(size: size, maximum: 65_536)) { _ = try decodeClick(json) }
        #expect(clickFailure(json) == "record of \(size) bytes exceeds the maximum of 65536 bytes")
        #expect(throws: RecordDecodingError.oversized(size: size, maximum: 65_536)) {
            _ = try ClickDecoder().decode(Array(json.utf8).lazy.map { $0 })
        }
    }

    @Test func recordAtExactlyTheLimitIsAccepted() throws {
        let json = RecordFixtures.click()
        #expect(throws: Never.self) { _ = try decodeClick(json, maxRecordBytes: json.utf8.count) }
        #expect(throws: RecordDecodingError.oversized(size: json.utf8.count, maximum: json.utf8.count - 1)) {
            _ = try decodeClick(json, maxRecordBytes: json.utf8.count - 1)
        }
    }

    @Test func metricLabelsAreStable() {
        #expect(RecordDecodingError.missingField("x").metricLabel == "missing_field")
        #expect(RecordDecodingError.invalidJSON(offset: 0, detail: "").metricLabel == "invalid_json")
    }
}
