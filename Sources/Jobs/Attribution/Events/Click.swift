import SluiceEngine
/// A click event from the `clicks` topic (field names are the original producer's).
///
/// Carries only what operators read: the attribution needs the click's id, user, product and
/// time. The record's other fields (`product`, `price`, `url`, `user_agent`, `ip_address`) are
/// still checked by `ClickDecoder` (a malformed one dead-letters the record, as DESIGN.md §7
/// says) but never materialized, so they cost neither allocations nor bytes on the network.
///
/// `eventTime` is `datetime_occured` as milliseconds since the Unix epoch (UTC).
public struct Click: Sendable, Hashable {
    /// Packed when it is a canonical UUID (see `EventID`): clicks are most of the input.
    public var clickID: EventID
    public var userID: Int64
    public var productID: String
    public var eventTime: Int64

    public init(clickID: EventID, userID: Int64, productID: String, eventTime: Int64) {
        self.clickID = clickID
        self.userID = userID
        self.productID = productID
        self.eventTime = eventTime
    }
}
