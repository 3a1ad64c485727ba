/// Decodes one record of the `checkouts` topic (a JSON object) into a `Checkout`.
///
/// Field rules (DESIGN.md §7): `checkout_id`, `user_id`, `product_id` and `datetime_occured` are
/// required; `payment_method`, `shipping_address`, `billing_address`, `user_agent`, `ip_address`
/// default to "" and `total_amount` to "0". Types as for `ClickDecoder`: `user_id` an integer or a
/// string of digits; ids a non-empty string or an integer; `total_amount` a number or a numeric
/// string, kept as its exact text; `datetime_occured` a UTC timestamp as `EventTimeFormat` reads
/// it. Unknown fields are ignored; a repeated known field is refused.
///
/// A value type with no state besides its limit: share it freely across threads.
public struct CheckoutDecoder: Sendable {
    public static let defaultMaxRecordBytes = 64 * 1024

    public var maxRecordBytes: Int

    public init(maxRecordBytes: Int = CheckoutDecoder.defaultMaxRecordBytes) {
        self.maxRecordBytes = maxRecordBytes
    }

    public func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(RecordDecodingError) -> Checkout {
        try RecordFieldReader.withRawBytes(bytes, maxRecordBytes: maxRecordBytes) { raw throws(RecordDecodingError) in
            try decode(raw)
        }
    }

    /// Decodes the record in `bytes`; nothing returned points into them.
    public func decode(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Checkout {
        guard bytes.count <= maxRecordBytes else { throw .oversized(size: bytes.count, maximum: maxRecordBytes) }
        var checkoutID: String?, userID: Int64?, productID: String?, paymentMethod: String?, totalAmount: String?
        var shippingAddress: String?, billingAddress: String?, userAgent: String?, ipAddress: String?, eventTime: Int64?

        typealias Reader = RecordFieldReader
        var scanner = JSONObjectScanner(bytes)
        while let member = try scanner.next() {
            let key = member.key, value = member.value
            if key.matches("checkout_id") {
                try Reader.assign(&checkoutID, field: "checkout_id") { () throws(RecordDecodingError) in try Reader.identifier(value, field: "checkout_id") }
            } else if key.matches("user_id") {
                try Reader.assign(&userID, field: "user_id") { () throws(RecordDecodingError) in try Reader.integer(value, field: "user_id") }
            } else if key.matches("product_id") {
                try Reader.assign(&productID, field: "product_id") { () throws(RecordDecodingError) in try Reader.identifier(value, field: "product_id") }
            } else if key.matches("datetime_occured") {
                try Reader.assign(&eventTime, field: "datetime_occured") { () throws(RecordDecodingError) in try Reader.eventTime(value, field: "datetime_occured") }
            } else if key.matches("payment_method") {
                try Reader.assign(&paymentMethod, field: "payment_method") { () throws(RecordDecodingError) in try Reader.text(value, field: "payment_method") }
            } else if key.matches("total_amount") {
                try Reader.assign(&totalAmount, field: "total_amount") { () throws(RecordDecodingError) in try Reader.decimal(value, field: "total_amount") }
            } else if key.matches("shipping_address") {
                try Reader.assign(&shippingAddress, field: "shipping_address") { () throws(RecordDecodingError) in try Reader.text(value, field: "shipping_address") }
            } else if key.matches("billing_address") {
                try Reader.assign(&billingAddress, field: "billing_address") { () throws(RecordDecodingError) in try Reader.text(value, field: "billing_address") }
            } else if key.matches("user_agent") {
                try Reader.assign(&userAgent, field: "user_agent") { () throws(RecordDecodingError) in try Reader.text(value, field: "user_agent") }
            } else if key.matches("ip_address") {
                try Reader.assign(&ipAddress, field: "ip_address") { () throws(RecordDecodingError) in try Reader.text(value, field: "ip_address") }
            }
        }
        return Checkout(
            checkoutID: try Reader.required(checkoutID, field: "checkout_id"),
            userID: try Reader.required(userID, field: "user_id"),
            productID: try Reader.required(productID, field: "product_id"),
            paymentMethod: paymentMethod ?? "", totalAmount: totalAmount ?? "0",
            shippingAddress: shippingAddress ?? "", billingAddress: billingAddress ?? "",
            userAgent: userAgent ?? "", ipAddress: ipAddress ?? "",
            eventTime: try Reader.required(eventTime, field: "datetime_occured"))
    }
}
