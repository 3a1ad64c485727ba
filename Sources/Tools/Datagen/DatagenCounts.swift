/// Running tallies of what the datagen produced, by kind.
public struct DatagenCounts: Sendable, Hashable {
    public var clicks = 0
    public var checkouts = 0
    public var malformed = 0
    public var malformedByKind: [MalformedKind: Int] = [:]
    /// Checkouts by users not in `commerce.users`.
    public var unknownUserCheckouts = 0
    /// Checkouts of a product the user had no recent click on (as generated; the oracle decides).
    public var noClickCheckouts = 0
    public var repeatCheckouts = 0
    /// Checkouts of a product clicked in an earlier session.
    public var revisitCheckouts = 0
    public var bytes = 0
    /// Earliest and latest event time of the well-formed events.
    public var firstEventTime: Int64?
    public var lastEventTime: Int64?

    public init() {}

    /// All records (well-formed and malformed).
    public var records: Int { clicks + checkouts + malformed }

    /// Counts one generated record of `bytes` bytes.
    public mutating func add(_ event: GeneratedEvent, bytes size: Int) {
        bytes += size
        switch event.content {
        case .click:
            clicks += 1
        case .checkout(_, let kind):
            checkouts += 1
            if kind.unknownUser { unknownUserCheckouts += 1 }
            switch kind.reason {
            case .noClick: noClickCheckouts += 1
            case .repeatPurchase: repeatCheckouts += 1
            case .revisit: revisitCheckouts += 1
            case .clickedInSession: break
            }
        case .malformed(let kind, _):
            malformed += 1
            malformedByKind[kind, default: 0] += 1
        }
        if let time = event.eventTime {
            firstEventTime = min(firstEventTime ?? time, time)
            lastEventTime = max(lastEventTime ?? time, time)
        }
    }
}
