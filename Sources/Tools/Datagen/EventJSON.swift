import SluiceEngine
import SluiceAttribution

/// The wire format of the `clicks` and `checkouts` topics (DESIGN.md §7), written by hand:
/// field names as the original producer spelled them (`datetime_occured`), `user_id` an
/// integer, ids and `product_id` strings, amounts numbers with two decimals, timestamps
/// `YYYY-MM-DD HH:MM:SS.mmm` in UTC.
public enum EventJSON {
    /// A way to break an otherwise correct record.
    enum Corruption {
        case none
        /// Leave this field out.
        case omit(String)
        /// Write this JSON text verbatim as the `user_id` value.
        case userIDJSON(String)
        /// Write this (escaped) text as `datetime_occured`.
        case timestampText(String)
    }

    /// Writes `click` as JSON into `buffer` (replacing its contents).
    public static func write(_ click: ClickRecord, into buffer: inout [UInt8]) {
        write(click, into: &buffer, corruption: .none)
    }

    /// Writes `checkout` as JSON into `buffer` (replacing its contents).
    public static func write(_ checkout: Checkout, into buffer: inout [UInt8]) {
        write(checkout, into: &buffer, corruption: .none)
    }

    static func write(_ click: ClickRecord, into buffer: inout [UInt8], corruption: Corruption) {
        var writer = JSONObjectWriter(reusing: &buffer, omitting: omitted(corruption))
        writer.string("click_id", click.clickID)
        writeUserID(click.userID, corruption, &writer)
        writer.string("product_id", click.productID)
        writer.string("product", click.product)
        writer.raw("price", click.price)
        writer.string("url", click.url)
        writer.string("user_agent", click.userAgent)
        writer.string("ip_address", click.ipAddress)
        writeTime(click.eventTime, corruption, &writer)
        buffer = writer.finish()
    }

    static func write(_ checkout: Checkout, into buffer: inout [UInt8], corruption: Corruption) {
        var writer = JSONObjectWriter(reusing: &buffer, omitting: omitted(corruption))
        writer.string("checkout_id", checkout.checkoutID)
        writeUserID(checkout.userID, corruption, &writer)
        writer.string("product_id", checkout.productID)
        writer.string("payment_method", checkout.paymentMethod)
        writer.raw("total_amount", checkout.totalAmount)
        writer.string("shipping_address", checkout.shippingAddress)
        writer.string("billing_address", checkout.billingAddress)
        writer.string("user_agent", checkout.userAgent)
        writer.string("ip_address", checkout.ipAddress)
        writeTime(checkout.eventTime, corruption, &writer)
        buffer = writer.finish()
    }

    private static func omitted(_ corruption: Corruption) -> String? {
        if case .omit(let field) = corruption { return field }
        return nil
    }

    private static func writeUserID(_ userID: Int64, _ corruption: Corruption, _ writer: inout JSONObjectWriter) {
        if case .userIDJSON(let json) = corruption {
            writer.raw("user_id", json)
        } else {
            writer.integer("user_id", userID)
        }
    }

    private static func writeTime(_ eventTime: Int64, _ corruption: Corruption, _ writer: inout JSONObjectWriter) {
        if case .timestampText(let text) = corruption {
            writer.string("datetime_occured", text)
        } else {
            writer.string("datetime_occured", EventTimeFormat.format(eventTime))
        }
    }
}
