import SluicePostgres

/// Turns a batch of sink rows into what the writers send: new rows as a binary COPY
/// (`SinkCopyRows`), rows that may already be in the table as the upsert with 13 column arrays
/// (`SinkColumnArrays`). Both writers (exactly-once and at-least-once) encode through it, so
/// the choice and its fallback live in one place.
///
/// Owns both encoders' buffers; used on the task thread only. Encoding and sending are apart so
/// a writer can encode the next batch while the server still runs the previous one.
struct SinkBatchEncoder: SinkEncoding {
    let statements: SinkStatements
    private var arrays = SinkColumnArrays()
    private var copyRows = SinkCopyRows()

    init(table: String) {
        statements = SinkStatements(table: table)
    }

    /// `rows` as plain inserts (`upsert: false`: COPY, or the insert statement when an amount
    /// has no binary form) or as the upsert. Drop the batch before the next call, which reuses
    /// its buffers.
    mutating func encode(_ rows: some BidirectionalCollection<AttributedCheckout>, upsert: Bool) throws -> SinkBatch {
        if !upsert, let data = try copyRows.encode(rows) { return .copy(sql: statements.copy, data: data) }
        return .statement(sql: upsert ? statements.upsert : statements.insert, parameters: try arrays.encode(rows))
    }

    func eventTime(_ record: AttributedCheckout) -> Int64 { record.checkout.eventTime }

    func latestPerKey(_ rows: [AttributedCheckout]) -> [AttributedCheckout] { SinkStatements.latestPerCheckout(rows) }
}
