import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import SluiceTestSupport
import Testing

/// Property test: for random small inputs delivered out of order (bounded disorder, watermark
/// lagging by that bound), the streaming attribution equals a brute-force oracle that scans every
/// click for every checkout. State goes through `AttributionStateCodec` after every call, and
/// `onWatermark` runs only when a key's `nextTimer` fires, as in the runtime.
@Suite struct AttributionOracleTests {
    private struct Key: Hashable, Comparable {
        let user: Int64
        let product: String
        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.user, lhs.product) < (rhs.user, rhs.product) }
    }

    private enum Event {
        case click(Click)
        case checkout(Checkout)

        var time: Int64 {
            switch self {
            case .click(let click): click.eventTime
            case .checkout(let checkout): checkout.eventTime
            }
        }

        var key: Key {
            switch self {
            case .click(let click): Key(user: click.userID, product: click.productID)
            case .checkout(let checkout): Key(user: checkout.userID, product: checkout.productID)
            }
        }
    }

    private struct Scenario {
        var clicks: [Click] = []
        var checkouts: [Checkout] = []
    }

    /// More than the window, so a click at T − 1h may arrive after its checkout. Delays are
    /// multiples of 5 minutes, like event times, so the watermark often lands right on a window
    /// edge or a checkout time (± 1 ms).
    private static let maxDisorder: Int64 = 75 * 60_000

    /// Times on a 15-minute grid, some nudged by ±1 ms, so window edges and ties are frequent.
    private static func scenario(seed: UInt64) -> Scenario {
        var generator = SplitMix64(seed: seed)
        let start = time("09:00:00")
        func randomTime() -> Int64 {
            let slot = Int64.random(in: 0...12, using: &generator) * 15 * 60_000
            let nudge: Int64 = [0, 0, 0, 1, -1].randomElement(using: &generator) ?? 0
            return start + slot + nudge
        }
        func randomKey() -> (Int64, String) {
            (Int64.random(in: 1...2, using: &generator), ["p1", "p2"].randomElement(using: &generator) ?? "p1")
        }
        var scenario = Scenario()
        for index in 0..<Int.random(in: 0...14, using: &generator) {
            let (user, product) = randomKey()
            // Half the ids are UUIDs (held packed by `EventID`), so ties between packed and
            // text ids are decided by the engine's order and checked against the texts' order here.
            let id = index % 2 == 0 ? "c\(index)" : randomUUID(using: &generator, uppercaseOneIn: 4)
            scenario.clicks.append(Click(clickID: EventID(id), userID: user, productID: product, eventTime: randomTime()))
        }
        for index in 0..<Int.random(in: 0...7, using: &generator) {
            let (user, product) = randomKey()
            scenario.checkouts.append(Checkout(checkoutID: "o\(index)", userID: user, productID: product, eventTime: randomTime()))
        }
        return scenario
    }

    /// DESIGN.md §7 by brute force.
    private static func oracle(_ scenario: Scenario) -> [String: Attribution] {
        var table: [String: Attribution] = [:]
        for checkout in scenario.checkouts {
            let candidates = scenario.clicks.filter {
                $0.userID == checkout.userID && $0.productID == checkout.productID
                    && $0.eventTime >= checkout.eventTime - 3_600_000 && $0.eventTime <= checkout.eventTime
            }
            let best = candidates.min { lhs, rhs in
                lhs.eventTime != rhs.eventTime
                    ? lhs.eventTime < rhs.eventTime
                    : lhs.clickID.description.utf8.lexicographicallyPrecedes(rhs.clickID.description.utf8)
            }
            table[checkout.checkoutID] = Attribution(checkoutID: checkout.checkoutID, clickID: best?.clickID.description, clickTime: best?.eventTime)
        }
        return table
    }

    /// Runs the scenario through the operator logic the way the runtime will, returning the sink
    /// table (rows and corrections upserted by checkout id) and how many rows were emitted.
    private static func stream(_ scenario: Scenario, settings: AttributionSettings, seed: UInt64)
        throws -> (table: [String: Attribution], rows: [String: Int], corrections: Int) {
        var generator = SplitMix64(seed: seed ^ 0x5EED)
        let attribution = FirstClickAttribution(settings: settings)
        let events = (scenario.clicks.map(Event.click) + scenario.checkouts.map(Event.checkout))
            .map { (event: $0, arrival: $0.time + Int64.random(in: 0...15, using: &generator) * maxDisorder / 15,
                    tiebreak: UInt64.random(in: 0...UInt64.max, using: &generator)) }
            .sorted { ($0.arrival, $0.tiebreak) < ($1.arrival, $1.tiebreak) }
            .map(\.event)

        var stored: [Key: [UInt8]] = [:]
        var timers: [Key: Int64] = [:]
        var table: [String: Attribution] = [:]
        var rowCounts: [String: Int] = [:]
        var corrections = 0
        var watermark = Int64.min
        var maxSeen = Int64.min

        func apply(_ key: Key, _ call: (inout AttributionKeyState) -> AttributionOutput) throws {
            var state = try stored[key].map(AttributionStateCodec.decode) ?? AttributionKeyState()
            let output = call(&state)
            #expect(output.lateClicks.isEmpty && output.lateCheckouts.isEmpty, "nothing is late in this scenario")
            #expect(output.stateIsEmpty == state.isEmpty)
            for row in output.rows {
                rowCounts[row.checkout.checkoutID, default: 0] += 1
                table[row.checkout.checkoutID] = Attribution(row)
            }
            for row in output.corrections { table[row.checkout.checkoutID] = Attribution(row) }
            corrections += output.corrections.count
            stored[key] = output.stateIsEmpty ? nil : AttributionStateCodec.encode(state)
            timers[key] = attribution.nextTimer(state)
        }

        func fireTimers() throws {
            for key in timers.filter({ $0.value <= watermark }).keys.sorted() {
                try apply(key) { attribution.onWatermark(watermark, state: &$0) }
            }
        }

        for event in events {
            switch event {
            case .click(let click): try apply(event.key) { attribution.onClick(click, state: &$0, watermark: watermark) }
            case .checkout(let checkout): try apply(event.key) { attribution.onCheckout(checkout, state: &$0, watermark: watermark) }
            }
            maxSeen = max(maxSeen, event.time)
            // Lagging by the maximum disorder (+1 ms: a watermark promises nothing at or before
            // it), then pushed forward by the allowed lateness, which events may be behind.
            let next = maxSeen - maxDisorder - 1 + settings.allowedLatenessMillis
            if next > watermark {
                watermark = next
                try fireTimers()
            }
        }
        watermark = .max
        try fireTimers()
        #expect(stored.isEmpty, "end of input leaves no state")
        #expect(timers.isEmpty)
        return (table, rowCounts, corrections)
    }

    @Test(arguments: [(AttributionSettings.EmitMode.onWatermark, 0), (.onWatermark, 600), (.eager, 0), (.eager, 600)])
    func streamingAttributionEqualsTheBruteForceOracle(mode: AttributionSettings.EmitMode, latenessSeconds: Int) throws {
        let settings = settings(lateness: .seconds(latenessSeconds), mode: mode)
        for seed in UInt64(1)...400 {
            let scenario = Self.scenario(seed: seed)
            let expected = Self.oracle(scenario)
            let result = try Self.stream(scenario, settings: settings, seed: seed)
            #expect(result.table == expected, "seed \(seed)")
            #expect(result.rows.values.allSatisfy { $0 == 1 }, "seed \(seed): one row per checkout")
            #expect(result.rows.count == scenario.checkouts.count, "seed \(seed)")
            if mode == .onWatermark {
                #expect(result.corrections == 0, "seed \(seed): on-watermark never corrects")
            }
        }
    }

    @Test func scenariosExerciseTiesEdgesAndCorrections() throws {
        // Guards the generator: the property above is only as good as the cases it sees.
        var attributedCount = 0, unattributedCount = 0, corrections = 0
        for seed in UInt64(1)...400 {
            let scenario = Self.scenario(seed: seed)
            for row in Self.oracle(scenario).values { if row.clickID == nil { unattributedCount += 1 } else { attributedCount += 1 } }
            corrections += try Self.stream(scenario, settings: settings(mode: .eager), seed: seed).corrections
        }
        #expect(attributedCount > 100)
        #expect(unattributedCount > 100)
        #expect(corrections > 20)
    }
}
