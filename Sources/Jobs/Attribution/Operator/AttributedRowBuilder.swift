import SluiceConnectorKinds
import SluiceEngine

/// Turns the attribution logic's `AttributedCheckout`s into rows of
/// `AttributionSchemas.attributed`, the operator's output: from here on the job's records are
/// rows that any library operator or sink takes. (With `enriched`, also `user_name`: what
/// tests hand the sink.)
///
/// Owns a reused `RowBuilder`, so a row allocates only its own bytes. Used on one thread.
public struct AttributedRowBuilder {
    public let layout: RowLayout
    private var builder: RowBuilder

    public init(enriched: Bool = false) {
        layout = RowLayout(enriched ? AttributionSchemas.enriched : AttributionSchemas.attributed)
        builder = RowBuilder(layout)
    }

    /// Column positions of `AttributionSchemas.attributed` (its checkout columns first, in
    /// `AttributionSchemas.checkout` order, then the click's).
    public enum Position {
        public static let checkoutID = 0, userID = 1, productID = 2, paymentMethod = 3, amount = 4, shippingAddress = 5
        public static let billingAddress = 6, userAgent = 7, ipAddress = 8, checkoutTime = 9, clickID = 10, clickTime = 11
        public static let userName = 12
    }

    /// The row of `attributed`: the checkout's row with the click's columns (and the name)
    /// appended, its bytes copied at once (`RowBuilder.copyColumns`).
    public mutating func row(_ attributed: AttributedCheckout) throws -> RowRecord {
        let checkout = attributed.checkout
        builder.copyColumns(of: checkout.row, layout: AttributionInputRows.checkoutLayout)
        if let clickID = attributed.clickID, let clickTime = attributed.clickTime {
            clickID.withUTF8 { builder.setVariable(Position.clickID, $0) }
            builder.setInt64(Position.clickTime, clickTime)
        }
        if layout.columnCount > Position.userName, let name = attributed.userName { builder.setString(Position.userName, name) }
        return RowRecord(row: try AttributionInputRows.finish(&builder), eventTime: checkout.eventTime)
    }
}
