/// Which of the two input topics a record belongs to.
public enum EventTopic: String, Sendable, Hashable, CaseIterable {
    case clicks
    case checkouts

    /// The event's id field in that topic's JSON.
    public var idField: String {
        switch self {
        case .clicks: "click_id"
        case .checkouts: "checkout_id"
        }
    }
}
