import SluiceEngine

extension AttributedCheckout {
    /// The attributed checkout a row of `AttributionSchemas.attributed` (or `enriched`) holds,
    /// as `AttributedRowBuilder` wrote it; the amount as its decimal text at the column's scale.
    /// For tests and tools that compare rows with the pure logic's output; allocates.
    public init(row: Row, layout: RowLayout) {
        typealias Position = AttributedRowBuilder.Position
        let checkout = Checkout(row: row, layout: layout)
        let clicked = !row.isNull(Position.clickID)
        self.init(checkout: checkout, clickID: clicked ? EventID(row.string(Position.clickID, layout)) : nil,
                  clickTime: clicked ? row.int64(Position.clickTime, layout) : nil,
                  userName: layout.columnCount > Position.userName && !row.isNull(Position.userName) ? row.string(Position.userName, layout) : nil)
    }
}
