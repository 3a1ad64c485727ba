/// A row on its way between operators, with its event time (read once from the schema's
/// event-time column by whoever made the row, so the runtime never needs the layout for it).
public struct RowRecord: Sendable, Hashable {
    public var row: Row
    /// Milliseconds since the epoch.
    public var eventTime: Int64

    public init(row: Row, eventTime: Int64) {
        self.row = row
        self.eventTime = eventTime
    }

    /// `row` with its event time read from `layout`'s event-time column (0 without one).
    public init(row: Row, layout: RowLayout) {
        self.row = row
        eventTime = layout.eventTimeColumn.map { row.int64($0, layout) } ?? 0
    }
}
