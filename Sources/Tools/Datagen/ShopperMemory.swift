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
