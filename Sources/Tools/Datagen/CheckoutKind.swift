/// How the generator chose the product of a checkout (for the summary; the oracle recomputes
/// the actual attribution from the events themselves).
public struct CheckoutKind: Sendable, Hashable {
    /// Why this product was bought.
    public enum Reason: String, Sendable, Hashable {
        /// A product the shopper clicked in this session.
        case clickedInSession
        /// A product the user clicked in an earlier session (that click may be older than an hour).
        case revisit
        /// A product the user has no recent click on.
        case noClick
        /// A product the user bought before.
        case repeatPurchase
    }

    public var reason: Reason
    /// The buyer is not in `commerce.users`.
    public var unknownUser: Bool
}
