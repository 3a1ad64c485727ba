import SluiceAttribution
import SluiceEngine

/// A whole record of the `clicks` topic as a producer writes it: every field of the original
/// producer's schema, including the ones the engine checks but does not keep (see `Click`).
public struct ClickRecord: Sendable, Hashable {
    public var clickID: String
    public var userID: Int64
    public var productID: String
    public var product: String
    /// The JSON number exactly as written.
    public var price: String
    public var url: String
    public var userAgent: String
    public var ipAddress: String
    public var eventTime: Int64

    public init(clickID: String, userID: Int64, productID: String, product: String, price: String,
                url: String, userAgent: String, ipAddress: String, eventTime: Int64) {
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

    /// What the engine's `ClickDecoder` makes of this record.
    public var click: Click {
        Click(clickID: EventID(clickID), userID: userID, productID: productID, eventTime: eventTime)
    }
}
