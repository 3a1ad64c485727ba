import SluiceConnectorKinds
import SluiceEngine

/// Decodes what a JSON source reads (`JSONSourceParameters`) into rows: records of a registered
/// format (`format`: that format's own decoder), or rows of the schema the spec declared
/// (`RowJSONDecoder`).
///
/// Owned by one source and used on its task thread: it reuses buffers, so it is mutated in place.
struct JSONSourceDecoder {
    /// The record size limit of sources without a `max-record-bytes` parameter.
    static let defaultMaxRecordBytes = 64 * 1024

    private var format: (any RecordDecoder)?
    private var rows: RowJSONDecoder?

    /// An inert decoder until the source opens.
    init() {}

    /// The decoder the parameters ask for, among the registered `formats`; for rows, of the
    /// output schema submission derived (field renames from `fields`).
    init(_ context: OperatorContext, maxRecordBytes: Int, formats: [RecordFormat]) throws {
        if let name = context.params[JSONSourceParameters.formatName] {
            guard let registered = formats.first(where: { $0.declaration.name == name }) else {
                let known = formats.map(\.declaration.name).joined(separator: ", ")
                throw OperatorError.configuration(context.operatorID, "no record format '\(name)' in this TaskManager; it has: \(known)")
            }
            format = registered.makeDecoder(maxRecordBytes)
            return
        }
        let schema = try context.outputLayout().schema
        let renames: [String: String]
        do {
            renames = try JSONSourceParameters.renames(context.params, of: schema)
        } catch {
            throw OperatorError.configuration(context.operatorID, error.message)
        }
        rows = RowJSONDecoder(schema: schema, fieldNames: renames, maxRecordBytes: maxRecordBytes)
    }

    /// Decodes one JSON record; the error's description is the dead-letter reason.
    mutating func decode(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> StreamRecord {
        if let format {
            return try format.decode(bytes)
        }
        guard let layout = rows?.layout, let row = try rows?.decode(bytes) else {
            throw .invalidValue(field: "(source)", detail: "no row decoder")
        }
        return RowRecord(row: row, layout: layout)
    }
}
