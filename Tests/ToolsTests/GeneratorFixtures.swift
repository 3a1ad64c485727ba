import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import SluiceTools

/// Options and record streams shared by the generator tests.
enum GeneratorFixtures {
    /// 2024-05-01 12:00:00 UTC.
    static let start: Int64 = 1_714_564_800_000

    static func options(seed: UInt64 = 42, malformedShare: Double = 0.01, disorder: Int64 = 5_000,
                        step: Double = 200) -> DatagenOptions {
        var options = DatagenOptions(startTime: start)
        options.seed = seed
        options.users = 300
        options.products = 60
        options.malformedShare = malformedShare
        options.disorderMillis = disorder
        options.timeStepMillis = step
        return options
    }

    /// The first `count` records of a generator with `options`.
    static func records(_ count: Int, _ options: DatagenOptions) -> [(event: GeneratedEvent, payload: [UInt8])] {
        var generator = EventGenerator(options: options)
        return (0..<count).map { _ in generator.next() }
    }

    /// The verify end-to-end data: ~5k records over ~2 h of event time, so renames, hour-old
    /// clicks, repeats and unknown users all occur.
    static let endToEnd: DatagenOptions = {
        var options = GeneratorFixtures.options(seed: 11, malformedShare: 0.02, step: 1_500)
        options.events = 5_000
        options.users = 200
        options.products = 40
        return options
    }()
}
