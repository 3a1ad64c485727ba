import SluiceEngine

/// `commerce.late_events` (DESIGN.md §7, cluster/schema.sql): the clicks and checkouts the
/// attribution left out because they came behind the watermark, one row per event, keyed by
/// kind and id so a replay leaves one row.
enum AttributionLateEvents {
    static let table = SideTable(name: "commerce.late_events", columns: [
        ("kind", ""), ("event_id", ""), ("user_id", "::bigint"), ("product_id", ""), ("event_time", "::timestamp"),
        ("watermark", "::timestamp"), ("reason", ""),
    ])

    /// The row of a late click.
    static func row(_ click: Click, watermark: Int64) -> [String?] {
        row(kind: "click", id: click.clickID.description, userID: click.userID, productID: click.productID,
            eventTime: click.eventTime, watermark: watermark, reason: "click behind the watermark")
    }

    /// The row of a late checkout.
    static func row(_ checkout: Checkout, watermark: Int64) -> [String?] {
        row(kind: "checkout", id: checkout.checkoutID, userID: checkout.userID, productID: checkout.productID,
            eventTime: checkout.eventTime, watermark: watermark, reason: "checkout behind the watermark minus allowed lateness")
    }

    private static func row(kind: String, id: String, userID: Int64, productID: String, eventTime: Int64, watermark: Int64,
                            reason: String) -> [String?] {
        [kind, id, String(userID), productID, EventTimeFormat.format(eventTime), EventTimeFormat.format(watermark), reason]
    }
}
