import SluiceEngine

/// `format: checkout`: decodes checkout records into rows of `AttributionSchemas.checkout`
/// (an amount that does not fit `decimal(12,2)` is refused, so dead-lettered). One per source
/// subtask, on its thread: it reuses one row builder.
final class CheckoutRowDecoder: RecordDecoder {
    private let decoder: CheckoutDecoder
    private var rows = AttributionInputRows()

    init(maxRecordBytes: Int) {
        decoder = CheckoutDecoder(maxRecordBytes: maxRecordBytes)
    }

    func decode(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> RowRecord {
        try rows.row(try decoder.decode(bytes))
    }
}
