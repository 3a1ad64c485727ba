import SluiceCatalog
import SluiceEngine

/// Decodes what a JSON source reads (`JSONSourceParameters`) into rows: the attribution job's
/// clicks or checkouts (`event`: their own decoders, which keep the job's field rules, then
/// rows of `AttributionSchemas`), or rows of the schema the spec declared (`RowJSONDecoder`).
///
/// Owned by one source and used on its task thread: it reuses buffers, so it is mutated in place.
struct JSONSourceDecoder {
    private enum Mode {
        case clicks(ClickDecoder)
        case checkouts(CheckoutDecoder)
        case rows
    }

    private var mode: Mode
    private var inputRows = AttributionInputRows()
    private var rows: RowJSONDecoder?

    /// An inert decoder until the source opens.
    init() {
        mode = .rows
    }

    /// The decoder the parameters ask for; for rows, of the output schema submission derived
    /// (field renames from `fields`).
    init(_ context: OperatorContext, maxRecordBytes: Int) throws {
        switch try context.value(JSONSourceParameters.event) {
        case "click": mode = .clicks(ClickDecoder(maxRecordBytes: maxRecordBytes))
        case "checkout": mode = .checkouts(CheckoutDecoder(maxRecordBytes: maxRecordBytes))
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
            mode = .rows
            rows = RowJSONDecoder(schema: schema, fieldNames: renames, maxRecordBytes: maxRecordBytes)
        }
    }

    /// Decodes one JSON record; the error's description is the dead-letter reason.
    mutating func decode(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> StreamRecord {
        switch mode {
        case .clicks(let decoder):
            return try decoder.decodeRow(bytes, into: &inputRows)
        case .checkouts(let decoder):
            return try inputRows.row(try decoder.decode(bytes))
        case .rows:
            guard let layout = rows?.layout, let row = try rows?.decode(bytes) else {
                throw .invalidValue(field: "(source)", detail: "no row decoder")
            }
            return RowRecord(row: row, layout: layout)
        }
    }
}
