import SluiceEngine

/// Decodes one record of the `checkouts` topic (a JSON object) into a `Checkout`.
///
/// Field rules (DESIGN.md §7): `checkout_id`, `user_id`, `product_id` and `datetime_occured` are
/// required; `payment_method`, `shipping_address`, `billing_address`, `user_agent`, `ip_address`
/// default to "" and `total_amount` to "0". Types as for `ClickDecoder`: `user_id` an integer or a
/// string of digits; ids a non-empty string or an integer; `total_amount` a number or a numeric
/// string, rounded to the row's `decimal(12,2)` and refused when it does not fit;
/// `datetime_occured` a UTC timestamp as `EventTimeFormat` reads it. Unknown fields are ignored;
/// a repeated known field is refused.
///
/// A value type with no state besides its limit: share it freely across threads. The row is
/// built with the caller's `RowBuilder` (a source reuses one per subtask).
public struct CheckoutDecoder: Sendable {
    public static let defaultMaxRecordBytes = 64 * 1024

    public var maxRecordBytes: Int

    public init(maxRecordBytes: Int = CheckoutDecoder.defaultMaxRecordBytes) {
        self.maxRecordBytes = maxRecordBytes
    }

    public func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(RecordDecodingError) -> Checkout {
        var builder = RowBuilder(AttributionInputRows.checkoutLayout)
        return try RecordFieldReader.withRawBytes(bytes, maxRecordBytes: maxRecordBytes) { raw throws(RecordDecodingError) in
            try decode(raw, builder: &builder)
        }
    }

    /// Decodes the record in `bytes`; nothing returned points into them.
    public func decode(_ bytes: UnsafeRawBufferPointer, builder: inout RowBuilder) throws(RecordDecodingError) -> Checkout {
        guard bytes.count <= maxRecordBytes else { throw .oversized(size: bytes.count, maximum: maxRecordBytes) }
        var checkoutID: String?, userID: Int64?, productID: String?, paymentMethod: String?, totalAmount: String?
        var shippingAddress: String?, billingAddress: String?, userAgent: String?, ipAddress: String?, eventTime: Int64?

        typealias Reader = RecordFieldReader
        var scanner = JSONObjectScanner(bytes)
        while let member = try scanner.next() {
            // Unknown fields fall through all of these and are ignored.
            if try Reader.read(member, "checkout_id", into: &checkoutID, Reader.identifier) { continue }
            if try Reader.read(member, "user_id", into: &userID, Reader.integer) { continue }
            if try Reader.read(member, "product_id", into: &productID, Reader.identifier) { continue }
            if try Reader.read(member, "datetime_occured", into: &eventTime, Reader.eventTime) { continue }
            if try Reader.read(member, "payment_method", into: &paymentMethod, Reader.text) { continue }
            if try Reader.read(member, "total_amount", into: &totalAmount, Reader.decimal) { continue }
            if try Reader.read(member, "shipping_address", into: &shippingAddress, Reader.text) { continue }
            if try Reader.read(member, "billing_address", into: &billingAddress, Reader.text) { continue }
            if try Reader.read(member, "user_agent", into: &userAgent, Reader.text) { continue }
            if try Reader.read(member, "ip_address", into: &ipAddress, Reader.text) { continue }
        }
        return try Checkout(
            checkoutID: try Reader.required(checkoutID, field: "checkout_id"),
            userID: try Reader.required(userID, field: "user_id"),
            productID: try Reader.required(productID, field: "product_id"),
            paymentMethod: paymentMethod ?? "", totalAmount: totalAmount ?? "0",
            shippingAddress: shippingAddress ?? "", billingAddress: billingAddress ?? "",
            userAgent: userAgent ?? "", ipAddress: ipAddress ?? "",
            eventTime: try Reader.required(eventTime, field: "datetime_occured"), builder: &builder)
    }
}
