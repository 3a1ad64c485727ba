import SluiceEngine

/// `format: checkout`: decodes checkout records into rows of `AttributionSchemas.checkout`
/// (an amount that does not fit `decimal(12,2)` is refused, so dead-lettered). One per source
/// subtask, on its thread: it reuses one row builder.
final class CheckoutRowDecoder: RecordDecoder {
    private let decoder: CheckoutDecoder
    private var builder = RowBuilder(AttributionInputRows.checkoutLayout)

    init(maxRecordBytes: Int) {
        decoder = CheckoutDecoder(maxRecordBytes: maxRecordBytes)
    }

    func decode(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> RowRecord {
        let checkout = try decoder.decode(bytes, builder: &builder)
        return RowRecord(row: checkout.row, eventTime: checkout.eventTime)
    }
}
