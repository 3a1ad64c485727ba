import SluiceEngine

/// A checkout event from the `checkouts` topic (field names are the original producer's), held
/// as its row of `AttributionSchemas.checkout`.
///
/// The row is the value: the source decodes a checkout straight into it, the attribution keeps
/// it in keyed state as it arrived, and the attributed row is these bytes with the click's
/// columns appended (`AttributedRowBuilder`), so a checkout is never taken apart into strings
/// and put back together on the record path. The logic reads `eventTime` (one slot) and
/// compares whole rows; the other fields are read on demand (each `String` allocates).
///
/// Equal checkouts have equal bytes: every row of the schema is laid out by `RowBuilder` in
/// column order, and the amount is a decimal at the column's scale (the JSON's `39.8` and
/// `39.80` are the same checkout). A value type, safe anywhere.
public struct Checkout: Sendable, Hashable {
    typealias Position = AttributedRowBuilder.Position

    /// A row of `AttributionSchemas.checkout`.
    public let row: Row

    /// Wraps a row of `AttributionSchemas.checkout` (a source's, or one validated against it).
    public init(row: Row) {
        self.row = row
    }

    /// The checkout of these fields, its row built with `builder` (a builder of
    /// `AttributionInputRows.checkoutLayout`). The amount (decimal text, as the JSON had it) is
    /// rounded to the column's scale as PostgreSQL rounds a `numeric(12,2)`, and refused when it
    /// does not fit — a source dead-letters the record with this reason instead of failing the
    /// sink later.
    public init(checkoutID: String, userID: Int64, productID: String, paymentMethod: String = "", totalAmount: String = "0",
                shippingAddress: String = "", billingAddress: String = "", userAgent: String = "", ipAddress: String = "",
                eventTime: Int64, builder: inout RowBuilder) throws(RecordDecodingError) {
        let (precision, scale) = AttributionInputRows.amount
        guard let amount = Decimal64(rounding: totalAmount.utf8, precision: precision, scale: scale) else {
            throw .invalidValue(field: "total_amount", detail: "\(totalAmount) does not fit decimal(\(precision),\(scale))")
        }
        builder.setString(Position.checkoutID, checkoutID)
        builder.setInt64(Position.userID, userID)
        builder.setString(Position.productID, productID)
        builder.setString(Position.paymentMethod, paymentMethod)
        builder.setDecimal(Position.amount, amount)
        builder.setString(Position.shippingAddress, shippingAddress)
        builder.setString(Position.billingAddress, billingAddress)
        builder.setString(Position.userAgent, userAgent)
        builder.setString(Position.ipAddress, ipAddress)
        builder.setInt64(Position.checkoutTime, eventTime)
        row = try AttributionInputRows.finish(&builder)
    }

    /// The checkout of these fields, for tests and the data generator, whose amounts are
    /// their own and fit the column (a program error otherwise: input from outside goes
    /// through the throwing initializer).
    public init(checkoutID: String, userID: Int64, productID: String, paymentMethod: String = "", totalAmount: String = "0",
                shippingAddress: String = "", billingAddress: String = "", userAgent: String = "", ipAddress: String = "",
                eventTime: Int64) {
        var builder = RowBuilder(AttributionInputRows.checkoutLayout)
        do {
            try self.init(checkoutID: checkoutID, userID: userID, productID: productID, paymentMethod: paymentMethod,
                          totalAmount: totalAmount, shippingAddress: shippingAddress, billingAddress: billingAddress,
                          userAgent: userAgent, ipAddress: ipAddress, eventTime: eventTime, builder: &builder)
        } catch {
            preconditionFailure("checkout \(checkoutID): \(error)")
        }
    }

    private static var layout: RowLayout { AttributionInputRows.checkoutLayout }

    public var checkoutID: String { row.string(Position.checkoutID, Self.layout) }
    public var userID: Int64 { row.int64(Position.userID, Self.layout) }
    public var productID: String { row.string(Position.productID, Self.layout) }
    public var paymentMethod: String { row.string(Position.paymentMethod, Self.layout) }
    /// The amount as decimal text at the column's scale (`19.90`).
    public var totalAmount: String { row.decimal(Position.amount, Self.layout).description }
    public var shippingAddress: String { row.string(Position.shippingAddress, Self.layout) }
    public var billingAddress: String { row.string(Position.billingAddress, Self.layout) }
    public var userAgent: String { row.string(Position.userAgent, Self.layout) }
    public var ipAddress: String { row.string(Position.ipAddress, Self.layout) }
    /// Milliseconds since the epoch.
    public var eventTime: Int64 { row.int64(Position.checkoutTime, Self.layout) }

    /// The id's UTF-8 bytes in the row, without making a `String` (ordering pending checkouts).
    func withCheckoutID<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try row.withVariable(Position.checkoutID, Self.layout, body)
    }
}
