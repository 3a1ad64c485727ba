import Foundation
import SluiceTestSupport

/// A small, seeded click/checkout data set with its expected attribution, computed by brute
/// force (for every checkout, scan every click) — independent of the engine's logic.
struct AttributionScenario {
    struct Event {
        var id: String
        var user: Int64
        var product: String
        var time: Int64
        var isClick: Bool
    }

    struct Row: Hashable {
        var checkoutID: String
        var clickID: String?
        var userName: String?
    }

    static let base: Int64 = 1_795_000_000_000  // 2026-11-18T…Z
    let events: [Event]
    let malformed: [String]
    let knownUsers: Int64
    /// (user id, new name, valid from) — one SCD2 change in the middle of the data.
    let rename: (user: Int64, name: String, at: Int64)

    init(seed: UInt64, events count: Int, users: Int64 = 30, knownUsers: Int64 = 25, products: Int = 8) {
        var random = SplitMix64(seed: seed)
        var time = Self.base
        var events: [Event] = []
        for index in 0..<count {
            time += Int64(random.next() % 400)
            let user = Int64(random.next() % UInt64(users)) + 1
            let product = String(random.next() % UInt64(products) + 1)
            let isClick = random.next() % 10 < 7
            // Bounded disorder: up to 3 s behind the clock, well inside the job's 15 s.
            let jitter = Int64(random.next() % 3_000)
            events.append(Event(id: (isClick ? "c" : "o") + String(index), user: user, product: product,
                                time: time - jitter, isClick: isClick))
        }
        self.events = events
        self.knownUsers = knownUsers
        malformed = ["{not json", "{\"click_id\":\"x\"}", "{\"click_id\":\"y\",\"user_id\":\"abc\",\"product_id\":\"1\",\"datetime_occured\":\"2026-01-01 00:00:00.000\"}"]
        rename = (1, "renamed-1", events[count / 2].time)
    }

    func jsonLines(clicks: Bool) -> String {
        var lines = events.filter { $0.isClick == clicks }.map { event in
            clicks
                ? "{\"click_id\":\"\(event.id)\",\"user_id\":\(event.user),\"product_id\":\"\(event.product)\",\"product\":\"p\",\"price\":9.99,\"url\":\"https://shop/p/\(event.product)\",\"user_agent\":\"ua\",\"ip_address\":\"10.0.0.1\",\"datetime_occured\":\"\(Self.format(event.time))\"}"
                : "{\"checkout_id\":\"\(event.id)\",\"user_id\":\(event.user),\"product_id\":\"\(event.product)\",\"payment_method\":\"card\",\"total_amount\":19.99,\"shipping_address\":\"s\",\"billing_address\":\"b\",\"user_agent\":\"ua\",\"ip_address\":\"10.0.0.2\",\"datetime_occured\":\"\(Self.format(event.time))\"}"
        }
        if clicks { lines.insert(contentsOf: malformed, at: lines.count / 2) }
        return lines.joined(separator: "\n") + "\n"
    }

    func expectedRows() -> Set<Row> {
        let clicks = events.filter(\.isClick)
        return Set(events.filter { !$0.isClick }.map { checkout in
            let candidates = clicks.filter {
                $0.user == checkout.user && $0.product == checkout.product
                    && $0.time >= checkout.time - 3_600_000 && $0.time <= checkout.time
            }
            let first = candidates.min { ($0.time, $0.id) < ($1.time, $1.id) }
            return Row(checkoutID: checkout.id, clickID: first?.id, userName: userName(checkout.user, at: checkout.time))
        })
    }

    func userName(_ user: Int64, at time: Int64) -> String? {
        guard user <= knownUsers else { return nil }
        if user == rename.user && time >= rename.at { return rename.name }
        return "user-\(user)"
    }

    static func format(_ millis: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        return formatter.string(from: date)
    }
}

