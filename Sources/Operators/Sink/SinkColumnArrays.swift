import SluicePostgres

/// A batch of sink rows as the 13 parameters of the sink's upsert: one binary array per column
/// of `attributed_checkouts`, in `columns` order. PostgreSQL then reads values (text bytes,
/// int64s, microsecond timestamps) instead of parsing text array literals and casting their
/// elements; only `total_amount` stays text and is cast to NUMERIC in SQL.
///
/// Owns one growing buffer per column, refilled batch after batch: once the buffers are large
/// enough, encoding a batch allocates nothing per row. Used on the task thread only (by
/// `PostgresSinkOperator`). Invariant: the parameters `encode` returns hold exactly the rows
/// given, in order, and nothing of an earlier batch.
struct SinkColumnArrays {
    /// A column of the sink table: its name, the element type of its parameter array, and the
    /// cast that turns an element into the column's type (nil: the element type is the column's).
    struct Column {
        let name: String
        let parameterType: String
        let cast: String?
    }

    /// The table's columns in parameter order; `encode` fills the arrays in the same order.
    static let columns: [Column] = [
        Column(name: "checkout_id", parameterType: "text", cast: nil),
        Column(name: "user_name", parameterType: "text", cast: nil),
        Column(name: "click_id", parameterType: "text", cast: nil),
        Column(name: "product_id", parameterType: "text", cast: nil),
        Column(name: "payment_method", parameterType: "text", cast: nil),
        // The JSON number exactly as received: NUMERIC's binary form (base-10000 digits) is not
        // worth its risk for one column: parsing this short text (`numeric_in`) was under 1% of
        // the sink backends' CPU samples in the quick benchmark.
        Column(name: "total_amount", parameterType: "text", cast: "numeric(12, 2)"),
        Column(name: "shipping_address", parameterType: "text", cast: nil),
        Column(name: "billing_address", parameterType: "text", cast: nil),
        Column(name: "user_agent", parameterType: "text", cast: nil),
        Column(name: "ip_address", parameterType: "text", cast: nil),
        Column(name: "checkout_time", parameterType: "timestamp", cast: nil),
        Column(name: "click_time", parameterType: "timestamp", cast: nil),
        Column(name: "user_id", parameterType: "int8", cast: nil),
    ]

    /// The ten text columns, `columns[0..<10]` in order (`append` indexes them so).
    private var texts = Array(repeating: PostgresTextArray(), count: 10)
    private var checkoutTime = PostgresTimestampArray()
    private var clickTime = PostgresTimestampArray()
    private var userID = PostgresInt8Array()

    /// The parameters of one batch statement of `rows` (`SinkStatements`). They share this
    /// encoder's buffers: drop them before the next `encode`, or that call copies the buffers
    /// instead of reusing them.
    mutating func encode(_ rows: some Sequence<AttributedCheckout>) throws -> [PostgresBinaryValue] {
        for index in texts.indices { texts[index].removeAll() }
        checkoutTime.removeAll()
        clickTime.removeAll()
        userID.removeAll()
        for row in rows { try append(row) }
        var parameters: [PostgresBinaryValue] = []
        parameters.reserveCapacity(Self.columns.count)
        for index in texts.indices { parameters.append(try texts[index].parameter()) }
        parameters.append(try checkoutTime.parameter())
        parameters.append(try clickTime.parameter())
        parameters.append(try userID.parameter())
        return parameters
    }

    private mutating func append(_ row: AttributedCheckout) throws {
        let checkout = row.checkout
        try texts[0].append(checkout.checkoutID)
        try texts[1].append(row.userName)
        if let clickID = row.clickID {
            try clickID.withUTF8 { try texts[2].append(utf8: $0) }
        } else {
            try texts[2].append(nil)
        }
        try texts[3].append(checkout.productID)
        try texts[4].append(checkout.paymentMethod)
        try texts[5].append(checkout.totalAmount)
        try texts[6].append(checkout.shippingAddress)
        try texts[7].append(checkout.billingAddress)
        try texts[8].append(checkout.userAgent)
        try texts[9].append(checkout.ipAddress)
        try checkoutTime.append(epochMillis: checkout.eventTime)
        try clickTime.append(epochMillis: row.clickTime)
        userID.append(checkout.userID)
    }
}
