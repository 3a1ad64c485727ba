import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import SluiceTools
import Testing

@Suite("datagen JSON escaping")
struct JSONEscapingTests {
    @Test("quotes, backslashes, control characters and non-ASCII text survive the engine's decoder",
          arguments: ["12\" Cast-Iron \\ Pan", "tab\there\nnew line\r", "bell \u{07} and \u{1F}", "Königstraße 5, Zürich — 東京"])
    func awkwardTextRoundTrips(text: String) throws {
        let click = ClickRecord(clickID: "c-1", userID: 7, productID: "P00001", product: text, price: "12.34", url: text,
                                userAgent: text, ipAddress: "10.0.0.1", eventTime: GeneratorFixtures.start)
        var buffer: [UInt8] = []
        EventJSON.write(click, into: &buffer)
        #expect(try ClickDecoder().decode(buffer) == click.click)
        // A click's text fields are checked, not kept: the round trip of the text itself goes through a checkout.
        let checkout = Checkout(checkoutID: "o-1", userID: 7, productID: "P00001", paymentMethod: text, totalAmount: "12.34",
                                shippingAddress: text, billingAddress: text, userAgent: text, ipAddress: "10.0.0.1",
                                eventTime: GeneratorFixtures.start)
        EventJSON.write(checkout, into: &buffer)
        #expect(try CheckoutDecoder().decode(buffer) == checkout)
    }
}
