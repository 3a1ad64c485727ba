/// A record flowing between operators.
///
/// The set is closed: Sluice runs the built-in operators of its registry, so records are
/// typed values (no per-field boxing, no JSON) and `RecordCodec` gives each a compact binary
/// form for the network.
public enum StreamRecord: Sendable, Hashable {
    case click(Click)
    case checkout(Checkout)
    case attributed(AttributedCheckout)

    /// Event time in ms since the epoch.
    public var eventTime: Int64 {
        switch self {
        case .click(let click): click.eventTime
        case .checkout(let checkout): checkout.eventTime
        case .attributed(let row): row.checkout.eventTime
        }
    }

    public var userID: Int64 {
        switch self {
        case .click(let click): click.userID
        case .checkout(let checkout): checkout.userID
        case .attributed(let row): row.checkout.userID
        }
    }

    public var productID: String {
        switch self {
        case .click(let click): click.productID
        case .checkout(let checkout): checkout.productID
        case .attributed(let row): row.checkout.productID
        }
    }
}
