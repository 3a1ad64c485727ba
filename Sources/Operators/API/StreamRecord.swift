import SluiceEngine

/// A record flowing between operators.
///
/// `row` is the engine's record: a row of the edge's declared schema in the binary row format,
/// what generic sources, library operators and sinks exchange. The other cases are the
/// attribution job's typed records, kept while its fused operator still reads typed fields
/// (its speed comes from them); they will become rows too. `RecordCodec` gives each a compact
/// binary form for the network.
public enum StreamRecord: Sendable, Hashable {
    case click(Click)
    case checkout(Checkout)
    case attributed(AttributedCheckout)
    case row(RowRecord)

    /// Event time in ms since the epoch.
    public var eventTime: Int64 {
        switch self {
        case .click(let click): click.eventTime
        case .checkout(let checkout): checkout.eventTime
        case .attributed(let row): row.checkout.eventTime
        case .row(let record): record.eventTime
        }
    }

    /// The attribution records' user (0 for a row: rows are keyed by their columns).
    public var userID: Int64 {
        switch self {
        case .click(let click): click.userID
        case .checkout(let checkout): checkout.userID
        case .attributed(let row): row.checkout.userID
        case .row: 0
        }
    }

    /// The attribution records' product ("" for a row).
    public var productID: String {
        switch self {
        case .click(let click): click.productID
        case .checkout(let checkout): checkout.productID
        case .attributed(let row): row.checkout.productID
        case .row: ""
        }
    }
}
