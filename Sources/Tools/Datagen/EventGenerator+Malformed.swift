import SluiceEngine
import SluiceAttribution

extension EventGenerator {
    /// `datetime_occured` values no decoder may accept.
    static let badTimestamps = [
        "2024-13-01 00:00:00.000", "2024-02-30 10:00:00.000", "2024-05-01 25:61:00.000", "yesterday",
        "2024/05/01 10:00:00", "1714564800123", "",
    ]
    /// `user_id` values of the wrong JSON type.
    static let wrongUserIDs = ["\"abc\"", "\"12a\"", "true", "[7]", "{\"id\":7}"]
    /// A user agent that makes a record exceed the 64 KiB limit (compresses to almost nothing).
    static let oversizedUserAgent = String(repeating: "x", count: SluiceTools.maxRecordBytes + 4096)

    /// A deliberately broken record on a random topic, of a random `MalformedKind`.
    mutating func malformedRecord(now: Int64, into buffer: inout [UInt8]) -> GeneratedEvent {
        let kind = MalformedKind.allCases[random.below(MalformedKind.allCases.count)]
        let topic: EventTopic = random.chance(0.5) ? .clicks : .checkouts
        let userID = Int64(1 + random.below(options.users))
        let time = stamp(now - lag())
        let corruption: EventJSON.Corruption
        var userAgent = random.pick(Vocabulary.userAgents)
        switch kind {
        case .invalidJSON, .oversized:
            corruption = .none
            if kind == .oversized { userAgent = Self.oversizedUserAgent }
        case .missingField:
            corruption = .omit(random.pick([topic.idField, "user_id", "product_id", "datetime_occured"]))
        case .wrongType:
            corruption = .userIDJSON(random.pick(Self.wrongUserIDs))
        case .badTimestamp:
            corruption = .timestampText(random.pick(Self.badTimestamps))
        }
        let product = pickProduct()
        let item = catalog.products[product]
        switch topic {
        case .clicks:
            let click = ClickRecord(clickID: uuid(), userID: userID, productID: item.id, product: item.name, price: amountTexts[product][0],
                              url: "https://shop.example.com/products/\(item.id)", userAgent: userAgent, ipAddress: "192.0.2.1",
                              eventTime: time)
            EventJSON.write(click, into: &buffer, corruption: corruption)
        case .checkouts:
            let checkout = Checkout(checkoutID: uuid(), userID: userID, productID: item.id, paymentMethod: "credit_card",
                                    totalAmount: amountTexts[product][0], shippingAddress: address(), billingAddress: address(),
                                    userAgent: userAgent, ipAddress: "192.0.2.1", eventTime: time)
            EventJSON.write(checkout, into: &buffer, corruption: corruption)
        }
        if kind == .invalidJSON { breakSyntax(of: &buffer) }
        return GeneratedEvent(topic: topic, key: userID, content: .malformed(kind, eventTime: time))
    }

    /// Cuts the object short, or replaces it by plain text: either way not JSON any more.
    private mutating func breakSyntax(of buffer: inout [UInt8]) {
        if random.chance(0.5), buffer.count > 2 {
            buffer.removeLast(buffer.count - (1 + random.below(buffer.count - 2)))
        } else {
            let text = "click by user \(random.below(1000)) at \(EventTimeFormat.format(maxEventTime))"
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: text.utf8)
        }
    }
}
