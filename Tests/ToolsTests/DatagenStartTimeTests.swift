import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import SluiceTools
import Testing

/// Without `--start-time`, generated event times never run ahead of the wall clock.
@Suite("datagen: the default start time")
struct DatagenStartTimeTests {
    private let now = GeneratorFixtures.start

    @Test("as fast as possible, a bounded run ends about now: its newest event time is not in the future")
    func fullSpeedBoundedRunEndsNow() throws {
        let start = try DatagenOptions.defaultStartTime(now: now, events: 20_000, rate: 0, timeStepMillis: nil)
        var options = DatagenOptions(startTime: start)
        options.events = 20_000
        #expect(start == now - 200_000, "20,000 records × 10 ms before now")
        var generator = EventGenerator(options: options)
        var newest = Int64.min
        for _ in 0..<options.events { newest = max(newest, generator.next().event.eventTime ?? .min) }
        #expect(newest <= now, "newest event \(newest - now) ms after now")
        #expect(newest > now - 60_000, "the events end close to now, not long before")
    }

    @Test("a paced run starts now (its clock advances as fast as the wall clock)")
    func pacedRunStartsNow() throws {
        #expect(try DatagenOptions.defaultStartTime(now: now, events: 0, rate: 500, timeStepMillis: nil) == now)
        #expect(try DatagenOptions.defaultStartTime(now: now, events: 1_000, rate: 500, timeStepMillis: nil) == now)
    }

    @Test("an explicit time step is the user's choice of event time")
    func explicitStepStartsNow() throws {
        #expect(try DatagenOptions.defaultStartTime(now: now, events: 0, rate: 0, timeStepMillis: 1) == now)
    }

    @Test("unbounded and as fast as possible is refused, naming what to give instead")
    func unboundedFullSpeedIsRefused() {
        #expect {
            _ = try DatagenOptions.defaultStartTime(now: now, events: 0, rate: 0, timeStepMillis: nil)
        } throws: { error in
            "\(error)".contains("--rate") && "\(error)".contains("--events N") && "\(error)".contains("--start-time")
        }
    }
}
