import SluiceEngine

/// Runs `TopNRanker` per key on keyed state and event-time timers (the `top-n` kind): rows
/// collect in their key's partition, each watermark ranks the due partitions. Late rows go to
/// `sluice.late_rows`, counted. Checkpointed as `TumblingWindowOperator`. Runs on the task thread.
public final class TopNOperator: StreamOperator, CheckpointedOperator, CountingOperator {
    static let stateID: UInt8 = 3

    private var ranker: TopNRanker?
    private var store: KeyedRowStore<TopNOperatorState>?
    public private(set) var rankings = 0
    public private(set) var late = 0

    public init() {}

    public func count(of event: String) -> Int? {
        switch event {
        case "rankings": rankings
        case "late": late
        default: nil
        }
    }

    public func open(context: OperatorContext) throws {
        let input = try context.inputLayout()
        let ranker: TopNRanker
        do {
            ranker = try TopNKind.ranker(input: input.schema, params: context.params)
        } catch {
            throw OperatorError.configuration(context.operatorID, "\(error)")
        }
        self.ranker = ranker
        store = try KeyedRowStore(context: context, stateID: Self.stateID, input: input) { ranker.timer($0.partition) }
    }

    public func processRecord(_ record: StreamRecord, input: Int, output: any RecordOutput) throws {
        let row = record
        guard let ranker, let store else {
            throw OperatorError.configuration(store?.operatorID ?? "top-n", "got a record before it was opened")
        }
        let watermark = store.watermark
        let outcome = try store.update(row.row) { state in
            try validate(&state, ranker, store.operatorID)
            return ranker.add(row.row, to: &state.partition, watermark: watermark)
        }
        if outcome == .late {
            late += 1
            try store.late(row, layout: ranker.input, reason: "its key was ranked and closed (allowed lateness \(ranker.allowedLateness) ms)")
        }
    }

    public func processWatermark(_ watermark: Int64, output: any RecordOutput) throws {
        guard let store, let ranker else { return }
        let layout = ranker.output
        try store.advance(to: watermark) { state in
            try validate(&state, ranker, store.operatorID)
            var emitted = false
            try ranker.fire(&state.partition, watermark: watermark) { result in
                emitted = true
                try output.emit(RowRecord(row: result, layout: layout))
            }
            if emitted { rankings += 1 }
        }
    }

    /// Checks rows read back from the backend once (state of another schema fails the task).
    private func validate(_ state: inout TopNOperatorState, _ ranker: TopNRanker, _ operatorID: String) throws {
        do {
            try state.validate(ranker.input)
        } catch {
            throw OperatorError.external(operatorID, "keyed state holds rows of another schema: \(error)")
        }
    }

    public func onTick(output: any RecordOutput) throws { try store?.flushSideOutputs() }

    public func prepareSnapshot(checkpointID: UInt64, output: any RecordOutput) throws { try store?.prepareSnapshot() }

    public func snapshotState(checkpointID: UInt64) throws -> [UInt8]? { store?.snapshot }

    public func finish(output: any RecordOutput) throws { try store?.finish() }

    public func close() { store = nil }
}
