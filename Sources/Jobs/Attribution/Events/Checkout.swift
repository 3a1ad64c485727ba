import SluiceEngine
/// A checkout event from the `checkouts` topic (field names are the original producer's).
public struct Checkout: Sendable, Hashable {
    public var checkoutID: String
    public var userID: Int64
    public var productID: String
    public var paymentMethod: String
    /// The JSON number exactly as received; the sink writes it into a NUMERIC column.
    public var totalAmount: String
    public var shippingAddress: String
    public var billingAddress: String
    public var userAgent: String
    public var ipAddress: String
    public var eventTime: Int64

    public init(checkoutID: String, userID: Int64, productID: String, paymentMethod: String = "", totalAmount: String = "0",
                shippingAddress: String = "", billingAddress: String = "", userAgent: String = "", ipAddress: String = "",
                eventTime: Int64) {
        self.checkoutID = checkoutID
        self.userID = userID
        self.productID = productID
        self.paymentMethod = paymentMethod
        self.totalAmount = totalAmount
        self.shippingAddress = shippingAddress
        self.billingAddress = billingAddress
        self.userAgent = userAgent
        self.ipAddress = ipAddress
        self.eventTime = eventTime
    }
}
