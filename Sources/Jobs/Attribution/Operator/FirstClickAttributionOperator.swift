import Logging
import SluiceEngine
import SluiceConnectorKinds

/// Runs `FirstClickAttribution` per (user, product) key on keyed state and event-time timers.
///
/// For each record: apply the pure logic to the key's decoded state in a `KeyedStateCache` (in
/// front of the subtask's `KeyedStateBackend`), whose one timer per key follows the logic's
/// `coalescedTimer`. On each watermark, due timers fire `onWatermark` for their keys. Late records go
/// to the late-events side output. Runs on the task thread.
///
/// Checkpointed: keyed state and timers reach the backend before each snapshot
/// (`prepareSnapshot` syncs the cache), at the end of input and when the cache outgrows
/// `state-cache-mb`; the operator adds its watermark, so a restored subtask judges lateness from
/// where the checkpoint was (the lowest watermark of the old subtasks) instead of accepting
/// everything until the first new watermark.
public final class FirstClickAttributionOperator: StreamOperator, CheckpointedOperator, CountingOperator {
    static let stateID: UInt8 = 1
    public static let keyFields = FirstClickAttributionKind.keyColumns

    private var logic = FirstClickAttribution()
    private var backend: (any KeyedStateBackend)?
    private var cache: KeyedStateCache<AttributionKeyState>?
    private var assigner = KeyGroupAssigner()
    private var sideOutputs: (any SideOutputs)?
    private var keyBytes: [UInt8] = []
    /// The key columns on each input, in the spec's `key-by` order: the same bytes the keyed
    /// exchange hashed, so state lives in the key group that routed here. (Two properties, not
    /// an array: this runs for every record.)
    private var clickKey: RowKeyColumns?
    private var checkoutKey: RowKeyColumns?
    private var rows = AttributedRowBuilder()
    private var watermark: Int64 = .min
    public private(set) var attributed = 0
    public private(set) var unattributed = 0
    public private(set) var late = 0

    public init() {}

    public func count(of event: String) -> Int? {
        switch event {
        case "attributed": attributed
        case "unattributed": unattributed
        case "late": late
        default: nil
        }
    }

    public func open(context: OperatorContext) throws {
        guard let backend = context.keyedState else {
            throw OperatorError.configuration(context.operatorID, "needs keyed state (the runtime gives it to keyed operators)")
        }
        let window = try context.integer(FirstClickAttributionKind.windowMs)
        do {
            let mode = try AttributionSettings.EmitMode.parse(try context.string(FirstClickAttributionKind.emitMode))
            logic = FirstClickAttribution(settings: try AttributionSettings(
                window: .milliseconds(window), allowedLateness: .milliseconds(context.eventTime.allowedLatenessMillis), emitMode: mode))
        } catch {
            throw OperatorError.configuration(context.operatorID, "\(error)")
        }
        self.backend = backend
        // 128 MB holds this subtask's share of a 1M-event benchmark at parallelism 1 (~110 MB
        // estimated, most of it checkouts waiting for the click watermark), so it never evicts there.
        let cacheMegabytes = try context.integer(FirstClickAttributionKind.stateCacheMb)
        cache = KeyedStateCache(backend: backend, stateID: Self.stateID, byteBudget: cacheMegabytes << 20) { [logic] in
            logic.coalescedTimer($0)
        }
        assigner = KeyGroupAssigner(maxParallelism: context.maxParallelism)
        let keyBy = context.keyBy.isEmpty ? Self.keyFields : context.keyBy
        do {
            clickKey = try RowKeyColumns(keyBy, in: AttributionInputRows.clickLayout)
            checkoutKey = try RowKeyColumns(keyBy, in: AttributionInputRows.checkoutLayout)
        } catch {
            throw OperatorError.configuration(context.operatorID, "key-by: \(error)")
        }
        sideOutputs = context.sideOutputs
        try Self.refuseOlderKeyFormat(context.restored, operatorID: context.operatorID)
        if let lowest = try RestoredWatermark.lowest(context.restored) { watermark = lowest }
    }

    /// How keyed state is keyed, after the watermark in the operator state: 2 = the key
    /// columns' row bytes (`RowKeyColumns`). Builds before rows wrote no byte here and keyed
    /// state by other bytes (user id big-endian, product, 0), which this build would never find.
    static let keyFormat: UInt8 = 2

    /// Refuses a checkpoint whose keyed state an older build wrote: restoring it would silently
    /// lose every click and pending checkout in it (their keys would never match again).
    static func refuseOlderKeyFormat(_ restored: RestoredOperatorState, operatorID: String) throws {
        for state in restored.states {
            let format: UInt8? = try state.withUnsafeBytes { bytes in
                var reader = BinaryReader(bytes)
                _ = try reader.readSigned()
                return reader.isAtEnd ? nil : try reader.readByte()
            }
            guard format == keyFormat else {
                throw OperatorError.configuration(operatorID, "the checkpoint being restored was written by an older Sluice build, whose "
                    + "attribution state is keyed differently (key format \(format.map(String.init) ?? "1"), this build reads \(keyFormat)); "
                    + "it cannot be restored without losing that state: start the job without it (a new submission, not a restart "
                    + "from this checkpoint)")
            }
        }
    }

    public func snapshotState(checkpointID: UInt64) throws -> [UInt8]? {
        RestoredWatermark.encode(watermark) + [Self.keyFormat]
    }

    public func processRecord(_ record: StreamRecord, input: Int, output: any RecordOutput) throws {
        guard let cache, let key = input == 0 ? clickKey : input == 1 ? checkoutKey : nil else {
            throw OperatorError.configuration("first-click-attribution", "a record on input \(input) (it has two: clicks, checkouts)")
        }
        key.write(record.row, into: &keyBytes)
        let group = assigner.keyGroup(forKey: keyBytes)
        let result: AttributionOutput
        if input == 0 {
            let click = Click(row: record.row)
            result = try cache.update(keyGroup: group, key: keyBytes) { [logic, watermark] state in
                logic.onClick(click, state: &state, watermark: watermark)
            }
        } else {
            let checkout = Checkout(row: record.row)
            result = try cache.update(keyGroup: group, key: keyBytes) { [logic, watermark] state in
                logic.onCheckout(checkout, state: &state, watermark: watermark)
            }
        }
        try emit(result, output: output)
    }

    public func processWatermark(_ watermark: Int64, output: any RecordOutput) throws {
        self.watermark = max(self.watermark, watermark)  // never behind the restored one
        guard let cache else { return }
        try cache.fireDue(upTo: watermark) { [logic] state in
            try emit(logic.onWatermark(watermark, state: &state), output: output)
        }
    }

    public func onTick(output: any RecordOutput) throws {
        try sideOutputs?.flush()
    }

    public func prepareSnapshot(checkpointID: UInt64, output: any RecordOutput) throws {
        // Late events handled before the barrier are not replayed after a restore: write them now.
        try sideOutputs?.flush()
        // The runtime snapshots the backend next: it must hold the state as of the barrier.
        try cache?.sync()
    }

    public func finish(output: any RecordOutput) throws {
        try cache?.sync()
        try backend?.flush()
        try sideOutputs?.flush()
    }

    public func close() {
        cache = nil
        backend = nil
    }

    private func emit(_ result: AttributionOutput, output: any RecordOutput) throws {
        for row in result.rows {
            if row.clickID == nil { unattributed += 1 } else { attributed += 1 }
            try output.emit(try rows.row(row))
        }
        for row in result.corrections { try output.emit(try rows.row(row)) }
        for click in result.lateClicks {
            late += 1
            try sideOutputs?.sideRow(AttributionLateEvents.row(click, watermark: watermark), into: AttributionLateEvents.table)
        }
        for checkout in result.lateCheckouts {
            late += 1
            try sideOutputs?.sideRow(AttributionLateEvents.row(checkout, watermark: watermark), into: AttributionLateEvents.table)
        }
    }
}
