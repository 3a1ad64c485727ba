import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators

/// JSON records built from a field table, so a test states only the field it changes.
enum RecordFixtures {
    static let clickFields: [(name: String, json: String)] = [
        ("click_id", #""c-1""#),
        ("user_id", "42"),
        ("product_id", #""p-7""#),
        ("product", #""Desk lamp""#),
        ("price", "19.90"),
        ("url", #""https://shop.example/p/7""#),
        ("user_agent", #""Mozilla/5.0""#),
        ("ip_address", #""10.0.0.1""#),
        ("datetime_occured", #""2024-05-01 10:00:00.123""#),
    ]

    static let checkoutFields: [(name: String, json: String)] = [
        ("checkout_id", #""o-1""#),
        ("user_id", "42"),
        ("product_id", #""p-7""#),
        ("payment_method", #""credit_card""#),
        ("total_amount", "39.80"),
        ("shipping_address", #""1 Main St""#),
        ("billing_address", #""2 Side St""#),
        ("user_agent", #""Mozilla/5.0""#),
        ("ip_address", #""10.0.0.1""#),
        ("datetime_occured", #""2024-05-01 10:05:00.000""#),
    ]

    static func click(setting field: String? = nil, to json: String = "", without removed: String? = nil) -> String {
        record(clickFields, setting: field, to: json, without: removed)
    }

    static func checkout(setting field: String? = nil, to json: String = "", without removed: String? = nil) -> String {
        record(checkoutFields, setting: field, to: json, without: removed)
    }

    static func record(_ fields: [(name: String, json: String)], setting field: String?, to json: String,
                       without removed: String?) -> String {
        let members = fields
            .filter { $0.name != removed }
            .map { "\"\($0.name)\": \($0.name == field ? json : $0.json)" }
        return "{" + members.joined(separator: ", ") + "}"
    }
}

func decodeClick(_ json: String, maxRecordBytes: Int = ClickDecoder.defaultMaxRecordBytes) throws(RecordDecodingError) -> Click {
    try ClickDecoder(maxRecordBytes: maxRecordBytes).decode(Array(json.utf8))
}

func decodeCheckout(_ json: String) throws(RecordDecodingError) -> Checkout {
    try CheckoutDecoder().decode(Array(json.utf8))
}

/// The dead-letter reason decoding `json` as a click fails with (nil if it decodes).
func clickFailure(_ json: String) -> String? {
    do {
        _ = try decodeClick(json)
        return nil
    } catch {
        return error.reason
    }
}
