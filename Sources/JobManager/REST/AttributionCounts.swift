/// The attribution panel's counts: checkouts the first-click operator attributed or not,
/// summed from the job's operator counters (`"<operatorID>/attributed"`, `"…/unattributed"`).
/// A pure value; late checkouts are not counted (they go to `commerce.late_events`).
struct AttributionCounts: Equatable {
    var attributed: UInt64 = 0
    var unattributed: UInt64 = 0

    init(attributed: UInt64, unattributed: UInt64) {
        self.attributed = attributed
        self.unattributed = unattributed
    }

    init(operatorCounters: [String: UInt64]) {
        for (key, value) in operatorCounters {
            if key.hasSuffix("/attributed") { attributed &+= value }
            if key.hasSuffix("/unattributed") { unattributed &+= value }
        }
    }

    var checkouts: UInt64 { attributed &+ unattributed }

    /// Attributed checkouts over all checkouts; 0 before the first checkout.
    var attributedShare: Double {
        checkouts == 0 ? 0 : Double(attributed) / Double(checkouts)
    }
}
