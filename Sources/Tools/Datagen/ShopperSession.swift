/// One visit of a shopper: the products they will look at (one entry per planned click), what
/// they looked at so far, and how many checkouts they will still make.
///
/// Sessions interleave in the generator, so a session's clicks and its checkout are spread over
/// the event stream the way concurrent visitors' are.
struct ShopperSession {
    let userID: Int64
    let isKnownUser: Bool
    let ipAddress: String
    let userAgent: String
    let shippingAddress: String
    let billingAddress: String
    /// Planned clicks still to come, as product indexes (a product repeats once per click on it).
    var plannedClicks: [Int]
    /// Products clicked in this session with the time of the latest click on each.
    var clicked: [(product: Int, lastClick: Int64)] = []
    var checkoutsLeft: Int
    /// Products bought in this session (repeat purchases of unknown users draw from it).
    var purchases: [Int] = []

    var isFinished: Bool { plannedClicks.isEmpty && checkoutsLeft == 0 }

    mutating func recordClick(product: Int, at time: Int64) {
        if let index = clicked.firstIndex(where: { $0.product == product }) {
            clicked[index].lastClick = max(clicked[index].lastClick, time)
        } else {
            clicked.append((product, time))
        }
    }
}

/// What the generator remembers about a known user across sessions: recent clicks and past
/// purchases (bounded, so an unbounded run keeps bounded memory per user).
struct ShopperMemory {
    static let maxClicks = 16
    static let maxPurchases = 8

    var recentClicks: [(product: Int, time: Int64)] = []
    var purchases: [Int] = []

    mutating func recordClick(product: Int, at time: Int64) {
        if recentClicks.count == Self.maxClicks { recentClicks.removeFirst() }
        recentClicks.append((product, time))
    }

    mutating func recordPurchase(product: Int) {
        if purchases.count == Self.maxPurchases { purchases.removeFirst() }
        purchases.append(product)
    }

    /// The latest remembered click on `product` no later than `time`, if any.
    func latestClick(on product: Int, notAfter time: Int64) -> Int64? {
        recentClicks.lazy.filter { $0.product == product && $0.time <= time }.map(\.time).max()
    }

    /// Whether a remembered click on `product` lies in `range`.
    func hasClick(on product: Int, in range: ClosedRange<Int64>) -> Bool {
        recentClicks.contains { $0.product == product && range.contains($0.time) }
    }
}
