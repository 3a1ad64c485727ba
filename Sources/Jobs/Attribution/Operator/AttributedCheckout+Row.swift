import SluiceEngine

extension AttributedCheckout {
    /// The attributed checkout a row of `AttributionSchemas.attributed` (or `enriched`) holds,
    /// as `AttributedRowBuilder` wrote it. For tests and tools that compare rows with the pure
    /// logic's output; allocates.
    public init(row: Row, layout: RowLayout) {
        typealias Position = AttributedRowBuilder.Position
        var checkoutRow = RowBuilder(AttributionInputRows.checkoutLayout)
        for column in 0..<AttributionInputRows.checkoutLayout.columnCount { checkoutRow.copy(column, from: row, column: column, layout: layout) }
        guard let built = try? checkoutRow.finish() else { preconditionFailure("an attributed row starts with a checkout's columns") }
        let checkout = Checkout(row: built)
        let clicked = !row.isNull(Position.clickID)
        self.init(checkout: checkout, clickID: clicked ? EventID(row.string(Position.clickID, layout)) : nil,
                  clickTime: clicked ? row.int64(Position.clickTime, layout) : nil,
                  userName: layout.columnCount > Position.userName && !row.isNull(Position.userName) ? row.string(Position.userName, layout) : nil)
    }
}
