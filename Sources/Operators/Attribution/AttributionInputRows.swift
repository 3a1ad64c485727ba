import SluiceCatalog
import SluiceEngine

/// The attribution job's inputs as rows: a decoded `Click` or `Checkout` becomes a row of
/// `AttributionSchemas.click` or `.checkout` at the source, and the attribution operator reads
/// the typed value back from the row (`Click(row:)`, `Checkout(row:)`). Between them the
/// records are plain rows: the keyed exchange, `sluice kinds` and every row operator see columns.
///
/// Owns two reused `RowBuilder`s, so a row allocates only its own bytes. Used on one thread.
public struct AttributionInputRows {
    public static let clickLayout = RowLayout(AttributionSchemas.click)
    public static let checkoutLayout = RowLayout(AttributionSchemas.checkout)

    /// Column positions of `AttributionSchemas.click`.
    enum ClickPosition {
        static let clickID = 0, userID = 1, productID = 2, clickTime = 3
    }

    private var clicks = RowBuilder(Self.clickLayout)
    private var checkouts = RowBuilder(Self.checkoutLayout)
    private let amountPrecision: Int
    private let amountScale: Int

    public init() {
        guard case .decimal(let precision, let scale) = AttributionSchemas.checkout.columns[AttributedRowBuilder.Position.amount].type else {
            preconditionFailure("the checkout schema's total_amount is a decimal")
        }
        amountPrecision = precision
        amountScale = scale
    }

    public mutating func row(_ click: Click) throws(RecordDecodingError) -> RowRecord {
        click.clickID.withUTF8 { clicks.setVariable(ClickPosition.clickID, $0) }
        clicks.setInt64(ClickPosition.userID, click.userID)
        clicks.setString(ClickPosition.productID, click.productID)
        clicks.setInt64(ClickPosition.clickTime, click.eventTime)
        return RowRecord(row: try Self.finish(&clicks), eventTime: click.eventTime)
    }

    /// The checkout's row; its amount (the JSON's exact text) rounded to the column's scale as
    /// PostgreSQL rounds a `numeric(12,2)`, and refused when it does not fit — the record is
    /// then dead-lettered with this reason instead of failing the sink later.
    public mutating func row(_ checkout: Checkout) throws(RecordDecodingError) -> RowRecord {
        try Self.setCheckout(checkout, into: &checkouts, precision: amountPrecision, scale: amountScale)
        return RowRecord(row: try Self.finish(&checkouts), eventTime: checkout.eventTime)
    }

    /// Sets the checkout columns (the first ten of `checkout`, `attributed` and `enriched`).
    static func setCheckout(_ checkout: Checkout, into builder: inout RowBuilder, precision: Int, scale: Int) throws(RecordDecodingError) {
        typealias Position = AttributedRowBuilder.Position
        guard let amount = Decimal64(rounding: checkout.totalAmount.utf8, precision: precision, scale: scale) else {
            throw .invalidValue(field: "total_amount", detail: "\(checkout.totalAmount) does not fit decimal(\(precision),\(scale))")
        }
        builder.setString(Position.checkoutID, checkout.checkoutID)
        builder.setInt64(Position.userID, checkout.userID)
        builder.setString(Position.productID, checkout.productID)
        builder.setString(Position.paymentMethod, checkout.paymentMethod)
        builder.setDecimal(Position.amount, amount)
        builder.setString(Position.shippingAddress, checkout.shippingAddress)
        builder.setString(Position.billingAddress, checkout.billingAddress)
        builder.setString(Position.userAgent, checkout.userAgent)
        builder.setString(Position.ipAddress, checkout.ipAddress)
        builder.setInt64(Position.checkoutTime, checkout.eventTime)
    }

    /// Every column is set here, so this fails only if the schema gained one (a bug: the
    /// record is dead-lettered with it rather than the task crashing).
    static func finish(_ builder: inout RowBuilder) throws(RecordDecodingError) -> Row {
        do {
            return try builder.finish()
        } catch {
            throw .invalidValue(field: "(row)", detail: error.message)
        }
    }
}
extension Click {
    /// The click a row of `AttributionSchemas.click` holds.
    public init(row: Row) {
        typealias Position = AttributionInputRows.ClickPosition
        let layout = AttributionInputRows.clickLayout
        self.init(clickID: row.withVariable(Position.clickID, layout) { EventID(validUTF8: $0) },
                  userID: row.int64(Position.userID, layout),
                  productID: row.string(Position.productID, layout),
                  eventTime: row.int64(Position.clickTime, layout))
    }
}

extension Checkout {
    /// The checkout a row of `AttributionSchemas.checkout` (or of `attributed`, whose first
    /// columns are the checkout's) holds; the amount as decimal text at the column's scale.
    public init(row: Row, layout: RowLayout = AttributionInputRows.checkoutLayout) {
        typealias Position = AttributedRowBuilder.Position
        self.init(checkoutID: row.string(Position.checkoutID, layout), userID: row.int64(Position.userID, layout),
                  productID: row.string(Position.productID, layout), paymentMethod: row.string(Position.paymentMethod, layout),
                  totalAmount: row.decimal(Position.amount, layout).description,
                  shippingAddress: row.string(Position.shippingAddress, layout), billingAddress: row.string(Position.billingAddress, layout),
                  userAgent: row.string(Position.userAgent, layout), ipAddress: row.string(Position.ipAddress, layout),
                  eventTime: row.int64(Position.checkoutTime, layout))
    }
}
