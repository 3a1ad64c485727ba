import SluiceEngine

/// Decodes one record of the `clicks` topic (a JSON object) into a `Click`.
///
/// Field rules (DESIGN.md §7): `click_id`, `user_id`, `product_id` and `datetime_occured` are
/// required; `product`, `url`, `user_agent`, `ip_address` and `price` are optional and, when
/// present, checked but not kept (see `Click`).
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
        let fields = try self.fields(bytes)
        return Click(clickID: fields.clickID.withUTF8 { EventID(validUTF8: $0) }, userID: fields.userID,
                     productID: fields.productID, eventTime: fields.eventTime)
    }

    /// Decodes the record in `bytes` straight into its row (`AttributionInputRows`): the click
    /// id's text goes from the record's bytes into the row, never through an `EventID`.
    func decodeRow(_ bytes: UnsafeRawBufferPointer, with rows: AttributionInputRows) throws(RecordDecodingError) -> RowRecord {
        let fields = try self.fields(bytes)
        return fields.clickID.withUTF8 { id in
            rows.row(clickID: id, userID: fields.userID, productID: fields.productID, eventTime: fields.eventTime)
        }
    }

    /// What a click record holds, its id still as text (valid while `bytes` is).
    private struct Fields {
        var clickID: IdentifierText
        var userID: Int64
        var productID: String
        var eventTime: Int64
    }

    private func fields(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Fields {
        guard bytes.count <= maxRecordBytes else { throw .oversized(size: bytes.count, maximum: maxRecordBytes) }
        var clickID: IdentifierText?, userID: Int64?, productID: String?, eventTime: Int64?
        // Checked, not kept: only their presence is tracked (a repeated field is still refused).
        var product: Void?, price: Void?, url: Void?, userAgent: Void?, ipAddress: Void?

        typealias Reader = RecordFieldReader
        var scanner = JSONObjectScanner(bytes)
        while let member = try scanner.next() {
            // Unknown fields fall through all of these and are ignored.
            if try Reader.read(member, "click_id", into: &clickID, Reader.identifierText) { continue }
            if try Reader.read(member, "user_id", into: &userID, Reader.integer) { continue }
            if try Reader.read(member, "product_id", into: &productID, Reader.identifier) { continue }
            if try Reader.read(member, "datetime_occured", into: &eventTime, Reader.eventTime) { continue }
            if try Reader.read(member, "product", into: &product, Reader.checkedText) { continue }
            if try Reader.read(member, "price", into: &price, Reader.checkedDecimal) { continue }
            if try Reader.read(member, "url", into: &url, Reader.checkedText) { continue }
            if try Reader.read(member, "user_agent", into: &userAgent, Reader.checkedText) { continue }
            if try Reader.read(member, "ip_address", into: &ipAddress, Reader.checkedText) { continue }
        }
        return Fields(
            clickID: try Reader.required(clickID, field: "click_id"),
            userID: try Reader.required(userID, field: "user_id"),
            productID: try Reader.required(productID, field: "product_id"),
            eventTime: try Reader.required(eventTime, field: "datetime_occured"))
    }
}
