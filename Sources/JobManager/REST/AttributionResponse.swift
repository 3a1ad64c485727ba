import Hummingbird

/// `GET /jobs/:id/attribution`: the attribution counts from the operator counters and the
/// latest rows of the sink table (`latest` empty plus `latest-error` when they cannot be read).
struct AttributionResponse: ResponseEncodable {
    var checkouts: UInt64
    var attributed: UInt64
    var unattributed: UInt64
    var attributedShare: Double
    var latest: [[String: String?]]
    var latestError: String?
    var latestTable: String?

    enum CodingKeys: String, CodingKey {
        case checkouts, attributed, unattributed, latest
        case attributedShare = "attributed-share", latestError = "latest-error", latestTable = "latest-table"
    }

    init(counts: AttributionCounts, latest: LatestAttributions) {
        checkouts = counts.checkouts
        attributed = counts.attributed
        unattributed = counts.unattributed
        attributedShare = counts.attributedShare
        self.latest = latest.rows
        latestError = latest.error
        latestTable = latest.table
    }
}
