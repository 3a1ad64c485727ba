/// Decodes one record of the `clicks` topic (a JSON object) into a `Click`.
///
/// Field rules (DESIGN.md §7): `click_id`, `user_id`, `product_id` and `datetime_occured` are
/// required; `product`, `url`, `user_agent`, `ip_address` default to "" and `price` to "0".
/// `user_id` is an integer or a string of digits; `click_id`/`product_id` a non-empty string or an
/// integer; `price` a number or a numeric string, kept as its exact text; `datetime_occured` a UTC
/// timestamp as `EventTimeFormat` reads it. Unknown fields are ignored (but must be valid JSON);
/// a repeated known field is refused. Records over `maxRecordBytes` are refused before parsing.
///
/// A value type with no state besides its limit: share it freely across threads.
public struct ClickDecoder: Sendable {
    public static let defaultMaxRecordBytes = 64 * 1024

    public var maxRecordBytes: Int

    public init(maxRecordBytes: Int = ClickDecoder.defaultMaxRecordBytes) {
        self.maxRecordBytes = maxRecordBytes
    }

    public func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(RecordDecodingError) -> Click {
        try RecordFieldReader.withRawBytes(bytes, maxRecordBytes: maxRecordBytes) { raw throws(RecordDecodingError) in
            try decode(raw)
        }
    }

    /// Decodes the record in `bytes`; nothing returned points into them.
    public func decode(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Click {
        guard bytes.count <= maxRecordBytes else { throw .oversized(size: bytes.count, maximum: maxRecordBytes) }
        var clickID: String?, userID: Int64?, productID: String?, product: String?, price: String?
        var url: String?, userAgent: String?, ipAddress: String?, eventTime: Int64?

        typealias Reader = RecordFieldReader
        var scanner = JSONObjectScanner(bytes)
        while let member = try scanner.next() {
            let key = member.key, value = member.value
            if key.matches("click_id") {
                try Reader.assign(&clickID, field: "click_id") { () throws(RecordDecodingError) in try Reader.identifier(value, field: "click_id") }
            } else if key.matches("user_id") {
                try Reader.assign(&userID, field: "user_id") { () throws(RecordDecodingError) in try Reader.integer(value, field: "user_id") }
            } else if key.matches("product_id") {
                try Reader.assign(&productID, field: "product_id") { () throws(RecordDecodingError) in try Reader.identifier(value, field: "product_id") }
            } else if key.matches("datetime_occured") {
                try Reader.assign(&eventTime, field: "datetime_occured") { () throws(RecordDecodingError) in try Reader.eventTime(value, field: "datetime_occured") }
            } else if key.matches("product") {
                try Reader.assign(&product, field: "product") { () throws(RecordDecodingError) in try Reader.text(value, field: "product") }
            } else if key.matches("price") {
                try Reader.assign(&price, field: "price") { () throws(RecordDecodingError) in try Reader.decimal(value, field: "price") }
            } else if key.matches("url") {
                try Reader.assign(&url, field: "url") { () throws(RecordDecodingError) in try Reader.text(value, field: "url") }
            } else if key.matches("user_agent") {
                try Reader.assign(&userAgent, field: "user_agent") { () throws(RecordDecodingError) in try Reader.text(value, field: "user_agent") }
            } else if key.matches("ip_address") {
                try Reader.assign(&ipAddress, field: "ip_address") { () throws(RecordDecodingError) in try Reader.text(value, field: "ip_address") }
            }
        }
        return Click(
            clickID: try Reader.required(clickID, field: "click_id"),
            userID: try Reader.required(userID, field: "user_id"),
            productID: try Reader.required(productID, field: "product_id"),
            product: product ?? "", price: price ?? "0", url: url ?? "", userAgent: userAgent ?? "",
            ipAddress: ipAddress ?? "",
            eventTime: try Reader.required(eventTime, field: "datetime_occured"))
    }
}
