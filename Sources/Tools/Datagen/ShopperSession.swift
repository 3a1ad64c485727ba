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
