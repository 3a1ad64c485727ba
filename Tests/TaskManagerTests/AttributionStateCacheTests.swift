import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import SluiceTaskManager
import SluiceTestSupport
import Testing

/// The attribution operator keeps decoded state in a `KeyedStateCache` and writes RocksDB only
/// at syncs. These tests hold it to the pure logic run the simplest way (every key asked at every
/// watermark), whatever the cache does: no evictions, an eviction after every record, and a
/// checkpoint restored at another parallelism in the middle of the stream.
@Suite struct AttributionStateCacheTests {
    private static let window = 10_000 as Int64

    /// A disordered stream over 12 keys: clicks (some redelivered), checkouts, watermarks
    /// trailing the newest time by 5 s while events lag up to 6 s (so some arrive late).
    private static func input(seed: UInt64, count: Int = 1_500) -> [AttributionRun.Step] {
        var random = SplitMix64(seed: seed)
        var steps: [AttributionRun.Step] = []
        var clock: Int64 = 1_000_000
        var clicks: [Click] = []
        for index in 0..<count {
            clock += Int64.random(in: 0...400, using: &random)
            let time = clock - Int64.random(in: 0...6_000, using: &random)
            let user = Int64.random(in: 1...4, using: &random)
            let product = "p\(Int.random(in: 1...3, using: &random))"
            if let earlier = clicks.randomElement(using: &random), Int.random(in: 0..<20, using: &random) == 0 {
                steps.append(.click(earlier))  // redelivered: stored once
            } else if Int.random(in: 0..<5, using: &random) == 0 {
                steps.append(.checkout(Checkout(checkoutID: "o\(index)", userID: user, productID: product, eventTime: time)))
            } else {
                let click = Click(clickID: EventID("c\(Int.random(in: 0..<1_000_000, using: &random))"), userID: user, productID: product, eventTime: time)
                clicks.append(click)
                steps.append(.click(click))
            }
            if index % 25 == 24 { steps.append(.watermark(clock - 5_000)) }
        }
        return steps
    }

    /// The reference: the pure logic per key, with every key called at every watermark (early
    /// calls are harmless, so this is exactly what timers must achieve).
    private static func expected(_ steps: [AttributionRun.Step], mode: String) throws -> (rows: [AttributedCheckout], late: [AttributionRun.Late]) {
        let logic = FirstClickAttribution(settings: try AttributionSettings(
            window: .milliseconds(window), emitMode: AttributionSettings.EmitMode.parse(mode)))
        var states: [String: AttributionKeyState] = [:]
        var rows: [AttributedCheckout] = []
        var late: [AttributionRun.Late] = []
        var watermark = Int64.min
        func collect(_ output: AttributionOutput) throws {
            rows += try AttributionRun.normalized(output.rows + output.corrections)
            late += output.lateClicks.map { AttributionRun.Late(kind: "click", id: $0.clickID.description, eventTime: $0.eventTime) }
                + output.lateCheckouts.map { AttributionRun.Late(kind: "checkout", id: $0.checkoutID, eventTime: $0.eventTime) }
        }
        for step in steps + [.watermark(.max)] {
            switch step {
            case .click(let click):
                let key = "\(click.userID)/\(click.productID)"
                var state = states[key] ?? AttributionKeyState()
                try collect(logic.onClick(click, state: &state, watermark: watermark))
                states[key] = state
            case .checkout(let checkout):
                let key = "\(checkout.userID)/\(checkout.productID)"
                var state = states[key] ?? AttributionKeyState()
                try collect(logic.onCheckout(checkout, state: &state, watermark: watermark))
                states[key] = state
            case .watermark(let next):
                watermark = max(watermark, next)
                for key in states.keys.sorted() {
                    guard var state = states[key] else { continue }
                    try collect(logic.onWatermark(watermark, state: &state))
                    states[key] = state
                }
            }
        }
        return (rows, late)
    }

    /// Order across keys is the runtime's business; per checkout the last row wins (upserts).
    private static func canonical(_ rows: [AttributedCheckout]) -> [String: AttributedCheckout] {
        Dictionary(rows.map { ($0.checkout.checkoutID, $0) }) { $1 }
    }

    private static func sorted(_ late: [AttributionRun.Late]) -> [AttributionRun.Late] {
        late.sorted()
    }

    @Test(arguments: [("on-watermark", "64"), ("on-watermark", "0"), ("eager", "64"), ("eager", "0")])
    func operatorMatchesThePureLogicWithAndWithoutEvictions(mode: String, cacheMegabytes: String) throws {
        let steps = Self.input(seed: 41)
        let fixture = try KeyedStateFixture()
        let run = try AttributionRun(backend: fixture.backend("db", keyGroups: KeyGroupRange(start: 0, end: 127)),
                                     params: ["window-ms": "\(Self.window)", "emit-mode": mode, "state-cache-mb": cacheMegabytes])
        try run.feed(steps)
        try run.finish()
        let expected = try Self.expected(steps, mode: mode)
        #expect(!expected.late.isEmpty && expected.rows.contains { $0.clickID != nil } && expected.rows.contains { $0.clickID == nil },
                "the input exercises late events, attributed and unattributed checkouts")
        #expect(Self.canonical(run.rows) == Self.canonical(expected.rows))
        #expect(run.rows.count == expected.rows.count, "as many rows and corrections as the logic emits")
        #expect(Self.sorted(run.late) == Self.sorted(expected.late))
        #expect(run.backend.pendingTimers == 0, "every timer fired at the final watermark")
        #expect(try KeyedStateFixture.contents(of: run.backend.database).isEmpty, "no state or timer left in RocksDB")
    }

    @Test(arguments: ["64", "0"])
    func checkpointInTheMiddleRestoresExactlyAtAnotherParallelism(cacheMegabytes: String) throws {
        let steps = Self.input(seed: 7)
        let half = steps.count / 2
        let params = ["window-ms": "\(Self.window)", "state-cache-mb": cacheMegabytes]
        let fixture = try KeyedStateFixture()
        let original = try AttributionRun(backend: fixture.backend("old", keyGroups: KeyGroupRange(start: 0, end: 127)), params: params)
        try original.feed(steps[..<half])
        try original.attribution.prepareSnapshot(checkpointID: 1, output: original)
        let operatorState = try #require(try original.attribution.snapshotState(checkpointID: 1))
        let handle = try fixture.checkpoint(original.backend, fixture.snapshotter(task: "attribution-0", subtask: 0), id: 1).handle
        let (rowsBefore, lateBefore) = (original.rows.count, original.late.count)
        try original.feed(steps[half...])
        try original.finish()
        let rowsAfter = Array(original.rows[rowsBefore...])
        #expect(!rowsAfter.isEmpty && rowsBefore > 0, "rows on both sides of the checkpoint")

        var restored: [AttributionRun] = []
        for subtask in 0..<2 {
            let keyGroups = KeyGroupRange.forSubtask(subtask, parallelism: 2, maxParallelism: 128)
            try fixture.restore([handle], keyGroups: keyGroups, into: "new-\(subtask)")
            restored.append(try AttributionRun(
                backend: RocksDBStateBackend(path: fixture.localPath("new-\(subtask)"), keyGroups: keyGroups), subtask: subtask,
                parallelism: 2, params: params, restored: RestoredOperatorState(checkpointID: 1, states: [operatorState])))
        }
        // Routed as the keyed exchange routes rows: by the key columns' bytes.
        let assigner = KeyGroupAssigner(maxParallelism: 128)
        let keyColumns = try RowKeyColumns(FirstClickAttributionOperator.keyFields, in: AttributionInputRows.checkoutLayout)
        var rows = AttributionInputRows()
        var key: [UInt8] = []
        for step in steps[half...] {
            guard let (user, product) = step.key else {
                for run in restored { try run.feed([step]) }
                continue
            }
            keyColumns.write(rows.row(Checkout(checkoutID: "k", userID: user, productID: product, eventTime: 0)).row, into: &key)
            try restored[assigner.subtask(forKeyGroup: assigner.keyGroup(forKey: key), parallelism: 2)].feed([step])
        }
        for run in restored { try run.finish() }
        #expect(Self.canonical(restored.flatMap(\.rows)) == Self.canonical(rowsAfter))
        #expect(restored.map(\.rows.count).reduce(0, +) == rowsAfter.count)
        #expect(Self.sorted(restored.flatMap(\.late)) == Self.sorted(Array(original.late[lateBefore...])))
    }

    @Test func aCheckpointOfAnOlderKeyFormatIsRefusedNotRestoredWithoutItsState() throws {
        let fixture = try KeyedStateFixture()
        // What builds before rows wrote: the watermark alone.
        let old = RestoredOperatorState(checkpointID: 1, states: [RestoredWatermark.encode(5_000)])
        #expect(throws: OperatorError.self) {
            _ = try AttributionRun(backend: fixture.backend("old-format", keyGroups: KeyGroupRange(start: 0, end: 127)),
                                   params: [:], restored: old)
        }
    }
}
