import SluicePostgres

/// A batch of sink rows in binary COPY format (`PostgresCopyBinaryWriter`), the columns in
/// `SinkColumnArrays.columns` order: what `SinkStatements.copy` loads. COPY is the server's
/// cheapest way in: no statement to parse and plan, no arrays to unnest into a tuple store, and
/// rows inserted a page at a time (one WAL record per page instead of per row).
///
/// Owns one growing buffer, refilled batch after batch. Used on the task thread only (by the
/// sink's writers, through `SinkBatchEncoder`). Invariant: the bytes `encode` returns hold
/// exactly the rows given, in order, and nothing of an earlier batch.
struct SinkCopyRows {
    private var writer = PostgresCopyBinaryWriter()

    /// The COPY data of `rows`, or nil when an amount has no binary `numeric` form (then the
    /// caller sends the batch as a statement, whose text cast reports the problem). Share the
    /// buffer with this encoder: drop the bytes before the next `encode`, or it copies them.
    mutating func encode(_ rows: some Sequence<AttributedCheckout>) throws -> [UInt8]? {
        writer.reset()
        for row in rows {
            let checkout = row.checkout
            writer.beginRow(fields: Int16(SinkColumnArrays.columns.count))
            try writer.append(text: checkout.checkoutID)
            try writer.append(text: row.userName)
            if let clickID = row.clickID {
                try clickID.withUTF8 { try writer.append(utf8: $0) }
            } else {
                try writer.append(text: nil)
            }
            try writer.append(text: checkout.productID)
            try writer.append(text: checkout.paymentMethod)
            guard writer.append(numeric: checkout.totalAmount) else { return nil }
            try writer.append(text: checkout.shippingAddress)
            try writer.append(text: checkout.billingAddress)
            try writer.append(text: checkout.userAgent)
            try writer.append(text: checkout.ipAddress)
            try writer.append(timestampMillis: checkout.eventTime)
            try writer.append(timestampMillis: row.clickTime)
            writer.append(int8: checkout.userID)
        }
        writer.finish()
        return writer.bytes
    }
}
