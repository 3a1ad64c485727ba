import SluiceAttribution
import SluiceEngine

/// One record the generator produced: which topic it goes to, its message key (the user id, so
/// a user's events stay in one partition), and what it holds. The JSON bytes themselves are
/// written into the caller's buffer by `EventGenerator.next(into:)`.
public struct GeneratedEvent: Sendable {
    /// What the record holds.
    public enum Content: Sendable {
        case click(ClickRecord)
        case checkout(Checkout, CheckoutKind)
        /// A deliberately broken record; `eventTime` is the instant it was generated at.
        case malformed(MalformedKind, eventTime: Int64)
    }

    public var topic: EventTopic
    /// The Kafka message key: the user id as decimal text.
    public var key: Int64
    public var content: Content

    /// The event time of a well-formed click or checkout; nil for malformed records.
    public var eventTime: Int64? {
        switch content {
        case .click(let click): click.eventTime
        case .checkout(let checkout, _): checkout.eventTime
        case .malformed: nil
        }
    }

    public var isMalformed: Bool {
        if case .malformed = content { return true }
        return false
    }
}
