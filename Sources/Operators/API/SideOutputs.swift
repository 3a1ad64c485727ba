/// Records that leave the main flow: malformed input and late events. Implementations write
/// them to PostgreSQL (`commerce.dead_letters`, `commerce.late_events`, `sluice.late_rows`) in
/// batches and count them; nothing handed here is ever silently dropped.
///
/// Called on the task's thread.
public protocol SideOutputs: AnyObject {
    func deadLetter(topic: String, partition: Int32, offset: Int64, payload: some Collection<UInt8>, reason: String) throws
    /// A click or checkout of the attribution job behind the watermark (to `commerce.late_events`).
    func lateEvent(kind: String, id: String, userID: Int64, productID: String, eventTime: Int64, watermark: Int64, reason: String) throws
    /// A row of a generic job behind the watermark (to `sluice.late_rows`), rendered by the
    /// operator that has its schema (`RowJSONText`).
    func lateRow(json: String, operatorID: String, eventTime: Int64, watermark: Int64, reason: String) throws
    /// Make everything handed so far durable.
    func flush() throws
}
