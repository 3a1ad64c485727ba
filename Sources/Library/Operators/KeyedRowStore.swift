import SluiceEngine

/// The keyed-state plumbing of the library's keyed row operators (`tumbling-window`, `top-n`):
/// a `KeyedStateCache` of their per-key values in front of the subtask's backend, the key of a
/// row (its key-by columns' bytes, the same bytes the exchange hashed), the watermark (kept in
/// checkpoints, so a restored subtask judges lateness from where the checkpoint was) and the
/// late-row side output.
///
/// Owned by one operator; used on the task thread only.
final class KeyedRowStore<Value: CachedKeyedValue> {
    let operatorID: String
    private let cache: KeyedStateCache<Value>
    private let backend: any KeyedStateBackend
    private let key: RowKeyColumns
    private let assigner: KeyGroupAssigner
    private let sideOutputs: any SideOutputs
    private var keyBytes: [UInt8] = []
    private(set) var watermark: Int64

    init(context: OperatorContext, stateID: UInt8, input: RowLayout, timer: @escaping (Value) -> Int64?) throws {
        operatorID = context.operatorID
        guard let backend = context.keyedState else {
            throw OperatorError.configuration(operatorID, "needs keyed state (the runtime gives it to keyed operators)")
        }
        do {
            key = try RowKeyColumns(context.keyBy, in: input)
        } catch {
            throw OperatorError.configuration(operatorID, "\(error)")
        }
        self.backend = backend
        cache = KeyedStateCache(backend: backend, stateID: stateID, byteBudget: 64 << 20, timer: timer)
        assigner = KeyGroupAssigner(maxParallelism: context.maxParallelism)
        sideOutputs = context.sideOutputs
        watermark = try RestoredWatermark.lowest(context.restored) ?? .min
    }

    /// Runs `body` on the value of `row`'s key.
    func update<Result>(_ row: Row, _ body: (inout Value) throws -> Result) throws -> Result {
        key.write(row, into: &keyBytes)
        return try cache.update(keyGroup: assigner.keyGroup(forKey: keyBytes), key: keyBytes, body)
    }

    /// Event time reached `watermark`: `body` runs on every key whose timer is due.
    func advance(to watermark: Int64, _ body: (inout Value) throws -> Void) throws {
        self.watermark = max(self.watermark, watermark)
        try cache.fireDue(upTo: watermark, body)
    }

    /// Hands a row behind the watermark to `sluice.late_rows`.
    func late(_ record: RowRecord, layout: RowLayout, reason: String) throws {
        try sideOutputs.lateRow(json: RowJSONText.render(record.row, layout), operatorID: operatorID, eventTime: record.eventTime,
                                watermark: watermark, reason: reason)
    }

    func flushSideOutputs() throws { try sideOutputs.flush() }

    /// Before a snapshot: late rows written, keyed state in the backend as of the barrier.
    func prepareSnapshot() throws {
        try sideOutputs.flush()
        try cache.sync()
    }

    /// The operator state to checkpoint: the watermark.
    var snapshot: [UInt8] { RestoredWatermark.encode(watermark) }

    func finish() throws {
        try cache.sync()
        try backend.flush()
        try sideOutputs.flush()
    }
}
