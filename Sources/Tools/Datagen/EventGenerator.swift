import SluiceAttribution
import SluiceEngine

/// The pure, deterministic source of `sluice datagen`'s records: no I/O, no wall clock.
///
/// A session model drives it. About `concurrentSessions` shoppers browse at once; each
/// session clicks one to four products (one to three clicks each), then checks out zero, one
/// or two times — mostly a product it clicked (so the click is at most minutes older), sometimes
/// a product clicked in an earlier visit (possibly more than an hour ago), a product never
/// clicked (`noClickShare`), or a product bought before (`repeatShare`). A share of sessions
/// (`unknownUserShare`) belongs to user ids that are not in `commerce.users`.
///
/// Time: a generator clock starts at `startTime` and advances `effectiveTimeStepMillis` per
/// record. Each event's time is the clock minus a random lag of at most `disorderMillis`, and
/// never lower than the newest event time produced so far minus `disorderMillis` — the bounded
/// disorder a watermark with that out-of-orderness absorbs. A checkout is always later than the
/// click it follows.
///
/// The same options (seed and start time included) give the same records, byte for byte.
public struct EventGenerator {
    public let options: DatagenOptions
    let catalog: ProductCatalog
    var random: SeededGenerator
    /// Draws the event ids: seeded with the seed and the start time, so runs with the same seed
    /// but another start time (the default start is "now") never repeat a click or checkout id.
    var idRandom: SeededGenerator
    var sessions: [ShopperSession] = []
    var memory: [Int64: ShopperMemory] = [:]
    let stepMicros: Int64
    var clockMicros: Int64 = 0
    /// The newest event time handed out so far.
    public private(set) var maxEventTime: Int64
    /// Records generated so far.
    public private(set) var generated = 0
    /// `amountTexts[product][quantity - 1]`: prices as decimal text, formatted once.
    let amountTexts: [[String]]

    /// Holds a session's slot while the session is being advanced.
    static let vacantSession = ShopperSession(userID: 0, isKnownUser: false, ipAddress: "", userAgent: "", shippingAddress: "",
                                              billingAddress: "", plannedClicks: [], checkoutsLeft: 0)

    /// User ids of shoppers not in `commerce.users` start here, far above any loaded id.
    public static let unknownUserBase: Int64 = 1_000_000_000_000

    public init(options: DatagenOptions) {
        self.options = options
        catalog = ProductCatalog(count: options.products, seed: options.seed)
        random = SeededGenerator(seed: options.seed)
        idRandom = SeededGenerator(seed: options.seed ^ (UInt64(bitPattern: options.startTime) &* 0x9E37_79B9_7F4A_7C15))
        stepMicros = max(1, Int64((options.effectiveTimeStepMillis * 1000).rounded()))
        maxEventTime = options.startTime
        amountTexts = catalog.products.map { product in
            (1...3).map { ProductCatalog.decimalText(cents: product.priceCents * Int64($0)) }
        }
        let concurrent = min(256, max(4, options.users / 4))
        sessions.reserveCapacity(concurrent)
        for _ in 0..<concurrent { sessions.append(makeSession()) }
    }

    /// The generator clock: the event time a record generated now would have without lag.
    public var clock: Int64 { options.startTime + clockMicros / 1000 }

    /// Generates the next record, writing its JSON into `buffer` (replacing its contents).
    public mutating func next(into buffer: inout [UInt8]) -> GeneratedEvent {
        let now = clock
        defer {
            clockMicros += stepMicros
            generated += 1
        }
        if random.chance(options.malformedShare) {
            return malformedRecord(now: now, into: &buffer)
        }
        let index = random.below(sessions.count)
        // Moved out and back in, so the session's arrays stay uniquely referenced (no copies).
        var session = sessions[index]
        sessions[index] = Self.vacantSession
        let event: GeneratedEvent
        if let product = session.plannedClicks.popLast() {
            event = click(session: &session, product: product, now: now, into: &buffer)
        } else {
            session.checkoutsLeft -= 1
            event = checkout(session: &session, now: now, into: &buffer)
        }
        sessions[index] = session.isFinished ? makeSession() : session
        return event
    }

    /// Generates the next record with its JSON as a new array (convenient for tests).
    public mutating func next() -> (event: GeneratedEvent, payload: [UInt8]) {
        var buffer: [UInt8] = []
        let event = next(into: &buffer)
        return (event, buffer)
    }

    // MARK: - Events

    private mutating func click(session: inout ShopperSession, product: Int, now: Int64, into buffer: inout [UInt8]) -> GeneratedEvent {
        let time = stamp(now - lag())
        let item = catalog.products[product]
        let click = ClickRecord(
            clickID: uuid(), userID: session.userID, productID: item.id, product: item.name,
            price: amountTexts[product][0],
            url: "https://shop.example.com/products/\(item.id)?ref=\(random.pick(Vocabulary.referrers))",
            userAgent: session.userAgent, ipAddress: session.ipAddress, eventTime: time)
        session.recordClick(product: product, at: time)
        if session.isKnownUser { memory[session.userID, default: ShopperMemory()].recordClick(product: product, at: time) }
        EventJSON.write(click, into: &buffer)
        return GeneratedEvent(topic: .clicks, key: session.userID, content: .click(click))
    }

    private mutating func checkout(session: inout ShopperSession, now: Int64, into buffer: inout [UInt8]) -> GeneratedEvent {
        let choice = chooseCheckoutProduct(session: session, now: now)
        var time = now - lag()
        if let notBefore = choice.notBefore { time = max(time, notBefore + 1) }
        time = stamp(time)
        let quantity = random.chance(0.8) ? 1 : (random.chance(0.75) ? 2 : 3)
        let checkout = Checkout(
            checkoutID: uuid(), userID: session.userID, productID: catalog.products[choice.product].id,
            paymentMethod: random.pick(Vocabulary.paymentMethods), totalAmount: amountTexts[choice.product][quantity - 1],
            shippingAddress: session.shippingAddress, billingAddress: session.billingAddress,
            userAgent: session.userAgent, ipAddress: session.ipAddress, eventTime: time)
        session.purchases.append(choice.product)
        if session.isKnownUser { memory[session.userID, default: ShopperMemory()].recordPurchase(product: choice.product) }
        EventJSON.write(checkout, into: &buffer)
        return GeneratedEvent(topic: .checkouts, key: session.userID,
                              content: .checkout(checkout, CheckoutKind(reason: choice.reason, unknownUser: !session.isKnownUser)))
    }

    /// Which product a checkout buys, why, and the click time it must come after (if any).
    private mutating func chooseCheckoutProduct(session: ShopperSession, now: Int64)
        -> (product: Int, reason: CheckoutKind.Reason, notBefore: Int64?) {
        let remembered = session.isKnownUser ? memory[session.userID] : nil
        let roll = random.unit()
        if roll < options.repeatShare {
            let bought = remembered?.purchases ?? session.purchases
            if !bought.isEmpty {
                let product = random.pick(bought)
                let lastClick = remembered?.latestClick(on: product, notAfter: now)
                    ?? session.clicked.first { $0.product == product }?.lastClick
                return (product, .repeatPurchase, lastClick)
            }
        } else if roll < options.repeatShare + options.noClickShare {
            return (unclickedProduct(session: session, remembered: remembered, now: now), .noClick, nil)
        }
        if let remembered, random.chance(0.1) {
            let earlier = remembered.recentClicks.filter { old in !session.clicked.contains { $0.product == old.product } }
            if !earlier.isEmpty {
                let old = random.pick(earlier)
                return (old.product, .revisit, remembered.latestClick(on: old.product, notAfter: now))
            }
        }
        let viewed = random.pick(session.clicked)
        return (viewed.product, .clickedInSession, viewed.lastClick)
    }

    /// A product the shopper has no click on around `now` (a few tries; good enough for a share).
    private mutating func unclickedProduct(session: ShopperSession, remembered: ShopperMemory?, now: Int64) -> Int {
        let margin = SluiceTools.attributionWindowMillis + 2 * options.disorderMillis
        var product = pickProduct()
        for _ in 0..<8 {
            let clickedNow = session.clicked.contains { $0.product == product }
            let clickedBefore = remembered?.hasClick(on: product, in: (now - margin)...(now + margin)) ?? false
            if !clickedNow && !clickedBefore { break }
            product = pickProduct()
        }
        return product
    }

    // MARK: - Sessions and choices

    mutating func makeSession() -> ShopperSession {
        let known = !random.chance(options.unknownUserShare)
        let userID: Int64
        if known {
            let hotUsers = max(1, options.users / 10)
            userID = Int64(1 + (random.chance(0.3) ? random.below(hotUsers) : random.below(options.users)))
        } else {
            userID = Self.unknownUserBase + Int64(random.below(1_000_000_000))
        }
        var planned: [Int] = []
        for _ in 0..<random.inRange(1...4) {
            let product = pickProduct()
            for _ in 0..<random.inRange(1...3) { planned.append(product) }
        }
        let roll = random.unit()
        let checkouts = roll < 0.45 ? 0 : (roll < 0.9 ? 1 : 2)
        let shipping = address()
        return ShopperSession(
            userID: userID, isKnownUser: known,
            ipAddress: "\(10 + random.below(200)).\(random.below(256)).\(random.below(256)).\(1 + random.below(254))",
            userAgent: random.pick(Vocabulary.userAgents),
            shippingAddress: shipping, billingAddress: random.chance(0.8) ? shipping : address(),
            plannedClicks: planned, checkoutsLeft: checkouts)
    }

    /// Half of the interest goes to the first fifth of the catalog (the bestsellers).
    mutating func pickProduct() -> Int {
        let count = catalog.products.count
        return random.chance(0.5) ? random.below(max(1, count / 5)) : random.below(count)
    }

    mutating func address() -> String {
        "\(1 + random.below(300)) \(random.pick(Vocabulary.streets)), \(random.pick(Vocabulary.cities))"
    }

    /// How far an event lags the clock: mostly a few milliseconds, sometimes up to the bound.
    mutating func lag() -> Int64 {
        let bound = options.disorderMillis
        guard bound > 0 else { return 0 }
        return Int64(random.chance(0.8) ? random.below(Int(min(bound, 50)) + 1) : random.below(Int(bound) + 1))
    }

    /// `candidate`, raised to the disorder bound if needed, and recorded as handed out.
    mutating func stamp(_ candidate: Int64) -> Int64 {
        let time = max(candidate, maxEventTime - options.disorderMillis)
        maxEventTime = max(maxEventTime, time)
        return time
    }

    /// A random version-4 UUID in its canonical lower-case text form.
    mutating func uuid() -> String {
        let high = (idRandom.next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000
        let low = (idRandom.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            for digit in 0..<32 {
                if digit == 8 || digit == 12 || digit == 16 || digit == 20 {
                    buffer[position] = UInt8(ascii: "-")
                    position += 1
                }
                let word = digit < 16 ? high : low
                let nibble = Int((word >> UInt64(60 - 4 * (digit % 16))) & 0xF)
                buffer[position] = JSONBytes.hexDigits[nibble]
                position += 1
            }
            return position
        }
    }
}
