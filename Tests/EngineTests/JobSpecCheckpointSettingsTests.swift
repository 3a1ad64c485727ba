import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceEngine
import SluiceLibrary
import Testing

/// The `checkpoints` and `restart` sections of a job spec.
@Suite struct JobSpecCheckpointSettingsTests {
    private let body = """
        name: attribution
        sources:
          - {id: clicks, kind: kafka-source, params: {topic: clicks, format: click}}
        sinks:
          - {id: sink, kind: blackhole-sink, inputs: clicks}
        """

    @Test func defaultsCheckpointEveryFiveSecondsAndRestartForever() throws {
        let spec = try JobSpecParser.parse(yaml: body, catalog: BuiltInKinds.catalog)
        #expect(spec.checkpoints == CheckpointSettings())
        #expect(spec.checkpoints.isEnabled)
        #expect(spec.restart.maxAttempts == 0)
    }

    @Test func sectionsAreReadAndZeroIntervalDisablesCheckpoints() throws {
        let spec = try JobSpecParser.parse(yaml: body + """

            checkpoints: {interval-ms: 0, timeout-ms: 9000, min-pause-ms: 50, max-concurrent: 2, retained: 5, tolerable-failures: 7}
            restart: {initial-backoff-ms: 10, max-backoff-ms: 500, multiplier: 1.5, reset-after-ms: 1000, max-attempts: 3}
            """, catalog: BuiltInKinds.catalog)
        #expect(spec.checkpoints == CheckpointSettings(intervalMillis: 0, timeoutMillis: 9000, minPauseMillis: 50, maxConcurrent: 2, retained: 5,
                                                       tolerableFailures: 7))
        #expect(!spec.checkpoints.isEnabled)
        #expect(spec.restart == RestartSettings(initialBackoffMillis: 10, maxBackoffMillis: 500, multiplier: 1.5,
                                                resetAfterMillis: 1000, maxAttempts: 3))
    }

    @Test(arguments: [
        ("checkpoints: {interval: 5}", "checkpoints.interval"),
        ("checkpoints: {timeout-ms: 5}", "checkpoints.timeout-ms"),
        ("checkpoints: 7", "checkpoints"),
        ("restart: {multiplier: 0.5}", "restart.multiplier"),
        ("restart: {initial-backoff-ms: 900, max-backoff-ms: 100}", "restart.max-backoff-ms"),
    ])
    func badValuesNameTheField(section: String, field: String) {
        #expect(throws: JobSpecError.self) { _ = try JobSpecParser.parse(yaml: body + "\n" + section, catalog: BuiltInKinds.catalog) }
        do {
            _ = try JobSpecParser.parse(yaml: body + "\n" + section, catalog: BuiltInKinds.catalog)
        } catch {
            #expect("\(error)".contains(field), "\(error)")
        }
    }
}
