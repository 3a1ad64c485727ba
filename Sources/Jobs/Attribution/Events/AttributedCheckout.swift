import SluiceEngine
/// One row of `commerce.attributed_checkouts`: a checkout, the first click that led to it (if
/// any), and the buyer's user name as of the checkout time (if the user is known).
public struct AttributedCheckout: Sendable, Hashable {
    public var checkout: Checkout
    public var clickID: EventID?
    public var clickTime: Int64?
    public var userName: String?

    public init(checkout: Checkout, clickID: EventID?, clickTime: Int64?, userName: String? = nil) {
        self.checkout = checkout
        self.clickID = clickID
        self.clickTime = clickTime
        self.userName = userName
    }
}
