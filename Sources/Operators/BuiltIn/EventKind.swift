import SluiceCatalog
import SluiceEngine

/// What a JSON source reads (`JSONSourceParameters`): the attribution job's clicks or checkouts
/// (typed records), or rows of the schema the spec declared.
enum EventKind {
    case click, checkout
    /// Rows; the source keeps the `RowJSONDecoder` (it reuses buffers, so it is mutated in place).
    case rows

    /// The kind from the parameters, and for rows the decoder of the output schema submission
    /// derived (field renames from `fields`).
    static func resolve(_ context: OperatorContext, maxRecordBytes: Int) throws -> (EventKind, RowJSONDecoder?) {
        switch try context.value(JSONSourceParameters.event) {
        case "click": return (.click, nil)
        case "checkout": return (.checkout, nil)
        case let other?:
            throw OperatorError.configuration(context.operatorID, "parameter 'event' must be 'click' or 'checkout', got '\(other)'")
        case nil:
            let schema = try context.outputLayout().schema
            let renames: [String: String]
            do {
                renames = try JSONSourceParameters.renames(context.params, of: schema)
            } catch {
                throw OperatorError.configuration(context.operatorID, error.message)
            }
            return (.rows, RowJSONDecoder(schema: schema, fieldNames: renames, maxRecordBytes: maxRecordBytes))
        }
    }

    /// Decodes one JSON record of the attribution job's kinds; the error's description is the
    /// dead-letter reason. Rows go through `decodeRow` (their decoder is mutable state of the
    /// source, kept out of this per-record call so the typed path pays nothing for it).
    func decode(_ bytes: UnsafeRawBufferPointer, clicks: ClickDecoder, checkouts: CheckoutDecoder) throws(RecordDecodingError) -> StreamRecord {
        switch self {
        case .click: return .click(try clicks.decode(bytes))
        case .checkout: return .checkout(try checkouts.decode(bytes))
        case .rows: throw .invalidValue(field: "(source)", detail: "rows are decoded by decodeRow")
        }
    }

    /// Decodes one JSON record into a row of the decoder's schema.
    static func decodeRow(_ bytes: UnsafeRawBufferPointer, _ decoder: inout RowJSONDecoder?) throws(RecordDecodingError) -> StreamRecord {
        guard let layout = decoder?.layout, let row = try decoder?.decode(bytes) else {
            throw .invalidValue(field: "(source)", detail: "no row decoder")
        }
        return .row(RowRecord(row: row, layout: layout))
    }
}
