import SluiceEngine

/// Runs `TumblingWindowAggregator` per key on keyed state and event-time timers (the
/// `tumbling-window` kind).
///
/// Each row updates its key's windows in a `KeyedRowStore`, whose one timer per key is the
/// aggregator's next firing time; each watermark fires the due keys. Rows behind their window's
/// lateness go to `sluice.late_rows`, counted. Checkpointed: the store syncs keyed state before
/// each snapshot and keeps the watermark. Runs on the task thread.
public final class TumblingWindowOperator: StreamOperator, CheckpointedOperator, CountingOperator {
    static let stateID: UInt8 = 2

    private var aggregator: TumblingWindowAggregator?
    private var store: KeyedRowStore<WindowOperatorState>?
    public private(set) var windowsFired = 0
    public private(set) var late = 0

    public init() {}

    public func count(of event: String) -> Int? {
        switch event {
        case "windows_fired": windowsFired
        case "late": late
        default: nil
        }
    }

    public func open(context: OperatorContext) throws {
        let input = try context.inputLayout()
        let aggregator: TumblingWindowAggregator
        do {
            aggregator = try TumblingWindowKind.aggregator(input: input.schema, keyBy: context.keyBy, params: context.params,
                                                           name: context.operatorID)
        } catch {
            throw OperatorError.configuration(context.operatorID, "\(error)")
        }
        self.aggregator = aggregator
        store = try KeyedRowStore(context: context, stateID: Self.stateID, input: input) { aggregator.timer($0.windows) }
    }

    public func processRecord(_ record: StreamRecord, input: Int, output: any RecordOutput) throws {
        let row = record
        guard let aggregator, let store else {
            throw OperatorError.configuration(store?.operatorID ?? "tumbling-window", "got a record before it was opened")
        }
        let watermark = store.watermark
        let outcome = try store.update(row.row) { state in
            if state.keyRow.isEmpty { state.keyRow = row.row.bytes }
            return try aggregator.add(row.row, to: &state.windows, watermark: watermark)
        }
        if case .late(let end) = outcome {
            late += 1
            try store.late(row, layout: aggregator.input,
                           reason: "its window ended at \(end) and closed (allowed lateness \(aggregator.allowedLateness) ms)")
        }
    }

    public func processWatermark(_ watermark: Int64, output: any RecordOutput) throws {
        guard let store, let aggregator else { return }
        let layout = aggregator.output
        try store.advance(to: watermark) { state in
            let keyRow: Row
            do {
                keyRow = try Row(validating: state.keyRow, layout: aggregator.input)
            } catch {
                throw OperatorError.external(store.operatorID, "keyed state holds a key row of another schema: \(error)")
            }
            try aggregator.fire(&state.windows, key: keyRow, watermark: watermark) { result in
                windowsFired += 1
                try output.emit(RowRecord(row: result, layout: layout))
            }
        }
    }

    public func onTick(output: any RecordOutput) throws { try store?.flushSideOutputs() }

    public func prepareSnapshot(checkpointID: UInt64, output: any RecordOutput) throws { try store?.prepareSnapshot() }

    public func snapshotState(checkpointID: UInt64) throws -> [UInt8]? { store?.snapshot }

    public func finish(output: any RecordOutput) throws { try store?.finish() }

    public func close() { store = nil }
}
