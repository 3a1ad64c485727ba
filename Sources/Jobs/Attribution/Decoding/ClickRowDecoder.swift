import SluiceEngine

/// `format: click`: decodes click records into rows of `AttributionSchemas.click`, the click id's
/// text straight from the record's bytes into the row. One per source subtask, on its thread.
final class ClickRowDecoder: RecordDecoder {
    private let decoder: ClickDecoder
    private let rows = AttributionInputRows()

    init(maxRecordBytes: Int) {
        decoder = ClickDecoder(maxRecordBytes: maxRecordBytes)
    }

    func decode(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> RowRecord {
        try decoder.decodeRow(bytes, with: rows)
    }
}
