/// Records that leave the main flow: malformed input, late rows and the side records a job
/// declares. Implementations write them to PostgreSQL (`commerce.dead_letters`,
/// `sluice.late_rows`, the job's `SideTable`s) in batches; nothing handed here is ever silently
/// dropped.
///
/// Called on the task's thread.
public protocol SideOutputs: AnyObject {
    func deadLetter(topic: String, partition: Int32, offset: Int64, payload: some Collection<UInt8>, reason: String) throws
    /// A row of a generic job behind the watermark (to `sluice.late_rows`), rendered by the
    /// operator that has its schema (`RowJSONText`).
    func lateRow(json: String, operatorID: String, eventTime: Int64, watermark: Int64, reason: String) throws
    /// A row of a side table the operator's job declares, one text value per column (nil: NULL).
    func sideRow(_ values: [String?], into table: SideTable) throws
    /// Make everything handed so far durable.
    func flush() throws
}
