import Logging

/// Runs `FirstClickAttribution` per (user, product) key on keyed state and event-time timers.
///
/// For each record: load the key's state from the subtask's `KeyedStateBackend`, apply the pure
/// logic, store the state back (or delete it once empty), and move the key's timer to the
/// logic's `nextTimer`. On each watermark, due timers fire `onWatermark` for their keys. Late
/// records go to the late-events side output. Runs on the task thread.
///
/// Checkpointed: keyed state and timers live in the backend (snapshotted by the runtime); the
/// operator adds its watermark, so a restored subtask judges lateness from where the checkpoint
/// was (the lowest watermark of the old subtasks) instead of accepting everything until the
/// first new watermark.
public final class FirstClickAttributionOperator: StreamOperator, CheckpointedOperator {
    static let stateID: UInt8 = 1
    public static let keyFields = ["user_id", "product_id"]

    private var logic = FirstClickAttribution()
    private var backend: (any KeyedStateBackend)?
    private var assigner = KeyGroupAssigner()
    private var sideOutputs: (any SideOutputs)?
    private var keyBytes: [UInt8] = []
    private var watermark: Int64 = .min
    public private(set) var attributed = 0
    public private(set) var unattributed = 0
    public private(set) var late = 0

    public init() {}

    public func open(context: OperatorContext) throws {
        guard let backend = context.keyedState else {
            throw OperatorError.configuration(context.operatorID, "needs keyed state (the runtime gives it to keyed operators)")
        }
        let window = try context.integer("window-ms", default: 3_600_000, range: 1...366 * 86_400_000)
        do {
            let mode = try AttributionSettings.EmitMode.parse(context.params["emit-mode"] ?? "on-watermark")
            logic = FirstClickAttribution(settings: try AttributionSettings(
                window: .milliseconds(window), allowedLateness: .milliseconds(context.eventTime.allowedLatenessMillis), emitMode: mode))
        } catch {
            throw OperatorError.configuration(context.operatorID, "\(error)")
        }
        self.backend = backend
        assigner = KeyGroupAssigner(maxParallelism: context.maxParallelism)
        sideOutputs = context.sideOutputs
        let restored = try context.restored.states.map { state in
            try state.withUnsafeBytes { bytes in
                var reader = BinaryReader(bytes)
                return try reader.readSigned()
            }
        }
        if let lowest = restored.min() { watermark = lowest }
    }

    public func snapshotState(checkpointID: UInt64) throws -> [UInt8]? {
        var writer = BinaryWriter(capacity: 10)
        writer.write(signed: watermark)
        return writer.bytes
    }

    public func processRecord(_ record: StreamRecord, input: Int, output: any RecordOutput) throws {
        RecordKey.write(record, fields: Self.keyFields, into: &keyBytes)
        let key = keyBytes
        let group = assigner.keyGroup(forKey: key)
        var state = try load(group, key)
        let timerBefore = logic.nextTimer(state)
        let result: AttributionOutput
        switch record {
        case .click(let click): result = logic.onClick(click, state: &state, watermark: watermark)
        case .checkout(let checkout): result = logic.onCheckout(checkout, state: &state, watermark: watermark)
        case .attributed: return try output.emit(record)
        }
        try apply(result, state: state, group: group, key: key, timerBefore: timerBefore, output: output)
    }

    public func processWatermark(_ watermark: Int64, output: any RecordOutput) throws {
        self.watermark = max(self.watermark, watermark)  // never behind the restored one
        guard let backend else { return }
        for timer in try backend.popTimers(upTo: watermark) {
            var state = try load(timer.keyGroup, timer.key)
            let result = logic.onWatermark(watermark, state: &state)
            try apply(result, state: state, group: timer.keyGroup, key: timer.key, timerBefore: nil, output: output)
        }
    }

    public func onTick(output: any RecordOutput) throws {
        try sideOutputs?.flush()
    }

    public func prepareSnapshot(checkpointID: UInt64, output: any RecordOutput) throws {
        // Late events handled before the barrier are not replayed after a restore: write them now.
        try sideOutputs?.flush()
    }

    public func finish(output: any RecordOutput) throws {
        try backend?.flush()
        try sideOutputs?.flush()
    }

    public func close() {
        backend = nil
    }

    private func load(_ group: Int, _ key: [UInt8]) throws -> AttributionKeyState {
        guard let bytes = try backend?.value(keyGroup: group, state: Self.stateID, key: key) else { return AttributionKeyState() }
        return try AttributionStateCodec.decode(bytes)
    }

    private func apply(_ result: AttributionOutput, state: AttributionKeyState, group: Int, key: [UInt8],
                       timerBefore: Int64?, output: any RecordOutput) throws {
        for row in result.rows {
            if row.clickID == nil { unattributed += 1 } else { attributed += 1 }
            try output.emit(.attributed(row))
        }
        for row in result.corrections { try output.emit(.attributed(row)) }
        for click in result.lateClicks {
            late += 1
            try sideOutputs?.lateEvent(.click(click), watermark: watermark, reason: "click behind the watermark")
        }
        for checkout in result.lateCheckouts {
            late += 1
            try sideOutputs?.lateEvent(.checkout(checkout), watermark: watermark, reason: "checkout behind the watermark minus allowed lateness")
        }
        guard let backend else { return }
        if result.stateIsEmpty {
            try backend.removeValue(keyGroup: group, state: Self.stateID, key: key)
        } else {
            try backend.setValue(AttributionStateCodec.encode(state), keyGroup: group, state: Self.stateID, key: key)
        }
        let timerAfter = result.stateIsEmpty ? nil : logic.nextTimer(state)
        if timerAfter != timerBefore {
            if let timerBefore { try backend.deleteTimer(keyGroup: group, timestamp: timerBefore, key: key) }
            if let timerAfter { try backend.registerTimer(keyGroup: group, timestamp: timerAfter, key: key) }
        }
    }
}
