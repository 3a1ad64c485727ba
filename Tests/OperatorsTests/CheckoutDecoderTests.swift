import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import Testing

@Suite struct CheckoutDecoderTests {
    @Test func decodesEveryFieldOfAValidCheckout() throws {
        #expect(try decodeCheckout(RecordFixtures.checkout()) == Checkout(
            checkoutID: "o-1", userID: 42, productID: "p-7", paymentMethod: "credit_card", totalAmount: "39.80",
            shippingAddress: "1 Main St", billingAddress: "2 Side St", userAgent: "Mozilla/5.0", ipAddress: "10.0.0.1",
            eventTime: time("10:05:00")))
    }

    @Test func optionalFieldsDefaultToEmptyTextAndZeroAmount() throws {
        let checkout = try decodeCheckout(#"{"checkout_id":"o","user_id":"9","product_id":3,"datetime_occured":"2024-05-01T10:05:00"}"#)
        #expect(checkout == Checkout(checkoutID: "o", userID: 9, productID: "3", eventTime: time("10:05:00")))
        #expect(checkout.totalAmount == "0.00")
    }

    @Test(arguments: ["checkout_id", "user_id", "product_id", "datetime_occured"])
    func missingRequiredFieldIsNamed(field: String) {
        #expect(throws: RecordDecodingError.missingField(field)) {
            _ = try decodeCheckout(RecordFixtures.checkout(without: field))
        }
    }

    @Test(arguments: ["payment_method", "total_amount", "shipping_address", "billing_address", "user_agent", "ip_address"])
    func optionalFieldMayBeAbsent(field: String) throws {
        #expect(throws: Never.self) { _ = try decodeCheckout(RecordFixtures.checkout(without: field)) }
    }

    @Test func totalAmountMayBeANumericString() throws {
        #expect(try decodeCheckout(RecordFixtures.checkout(setting: "total_amount", to: #""39.80""#)).totalAmount == "39.80")
    }

    @Test(arguments: [
        ("checkout_id", "false", "field checkout_id: expected a string or an integer, got false"),
        ("payment_method", "[]", "field payment_method: expected a string, got an array"),
        ("total_amount", #""12,50""#, "field total_amount: '12,50' is not a finite decimal number"),
        ("shipping_address", "{}", "field shipping_address: expected a string, got an object"),
        ("datetime_occured", #""2024-05-01 25:00:00""#, "field datetime_occured: invalid timestamp '2024-05-01 25:00:00' (hour 25 is not in 0...23)"),
    ])
    func wrongTypeIsRefusedWithFieldAndValue(field: String, json: String, reason: String) {
        #expect(throws: (any Error).self) { _ = try decodeCheckout(RecordFixtures.checkout(setting: field, to: json)) }
        do {
            _ = try decodeCheckout(RecordFixtures.checkout(setting: field, to: json))
        } catch {
            #expect(error.reason == reason)
        }
    }

    @Test func clickIsNotACheckout() {
        #expect(throws: RecordDecodingError.missingField("checkout_id")) { _ = try decodeCheckout(RecordFixtures.click()) }
    }
}
