/// A click event from the `clicks` topic (field names are the original producer's).
///
/// `eventTime` is `datetime_occured` as milliseconds since the Unix epoch (UTC).
public struct Click: Sendable, Hashable {
    public var clickID: String
    public var userID: Int64
    public var productID: String
    public var product: String
    /// The JSON number exactly as received (kept as text so no float rounding creeps in).
    public var price: String
    public var url: String
    public var userAgent: String
    public var ipAddress: String
    public var eventTime: Int64

    public init(clickID: String, userID: Int64, productID: String, product: String = "", price: String = "0",
                url: String = "", userAgent: String = "", ipAddress: String = "", eventTime: Int64) {
        self.clickID = clickID
        self.userID = userID
        self.productID = productID
        self.product = product
        self.price = price
        self.url = url
        self.userAgent = userAgent
        self.ipAddress = ipAddress
        self.eventTime = eventTime
    }
}
