import Foundation
import SluicePostgres
import SluiceTestSupport
import Testing

/// Everything around the attribution job in a failure-injection test except the cluster: a dev
/// broker holding generated clicks and checkouts (with disorder and malformed records, all
/// produced before the job starts), PostgreSQL with the schema and users, a TaskManager work
/// folder, the job spec, and the judge — `sluice verify`, an SQL recomputation independent of
/// the engine.
///
/// Owned by one test, used from its task; `stop()` (in a `defer` right after `init`) stops the
/// services and removes their folders.
final class ChaosPipeline {
    let broker: DevBrokerServer
    let database: PostgresServer
    let work: TemporaryDirectory
    let input: GeneratedInput
    let sluice: String

    /// Starts the services and produces `events` records with `seed` into `clicks:clickPartitions`
    /// and `checkouts:checkoutPartitions` (enough partitions that the dev broker keeps all data).
    init(events: Int, seed: UInt64, clickPartitions: Int, checkoutPartitions: Int) throws {
        sluice = try RepositoryLayout.executable("sluice").path
        broker = try DevBrokerServer.start(topics: ["clicks:\(clickPartitions)", "checkouts:\(checkoutPartitions)"])
        do {
            database = try PostgresServer.start()
        } catch {
            broker.stop()
            throw error
        }
        do {
            work = try TemporaryDirectory(prefix: "sluice-tm-work")
            let schema = RepositoryLayout.root.appendingPathComponent("cluster/schema.sql").path
            let output = try ShellCommand.run(sluice, ["datagen", "--kafka", broker.bootstrapServers, "--postgres", database.url,
                                                       "--apply-schema", "--schema", schema, "--seed", "\(seed)", "--events", "\(events)",
                                                       "--rate", "0", "--malformed-share", "0.015", "--disorder-ms", "5000",
                                                       "--start-time", "2026-11-20 00:00:00"])
            if output.contains("already dropped old data") { throw ChaosPipelineError.brokerDroppedData(output) }
            input = try GeneratedInput(datagenOutput: output)
        } catch {
            database.stop()
            broker.stop()
            throw error
        }
    }

    /// The `SLUICE_*` settings a `LocalCluster` needs to reach these services.
    var clusterSettings: [String: String] {
        ["SLUICE_POSTGRES_URL": database.url, "SLUICE_KAFKA_BOOTSTRAP": broker.bootstrapServers,
         "SLUICE_TASKMANAGER_WORK_DIR": work.path]
    }

    /// The attribution job (as jobs/checkout-attribution.yaml) with bounded sources, each
    /// subtask reading at most `clicksPerSecond` clicks and proportionally fewer checkouts (so
    /// both inputs advance in event time together), and a checkpoint every `checkpointIntervalMs`.
    func spec(parallelism: Int, clicksPerSecond: Int, checkpointIntervalMs: Int = 1_000) -> String {
        let checkoutsPerSecond = max(1, clicksPerSecond * input.checkouts / max(1, input.clicks) * 11 / 10)
        return """
            name: chaos-attribution
            parallelism: \(parallelism)
            max-parallelism: 128
            event-time: {out-of-orderness-ms: 15000, idle-timeout-ms: 10000, allowed-lateness-ms: 0}
            checkpoints: {interval-ms: \(checkpointIntervalMs), timeout-ms: 30000}
            restart: {initial-backoff-ms: 100, max-backoff-ms: 2000}
            sources:
              - {id: clicks, kind: kafka-source, params: {topic: clicks, format: click, bounded: true, max-records-per-second: \(clicksPerSecond)}}
              - {id: checkouts, kind: kafka-source, params: {topic: checkouts, format: checkout, bounded: true, max-records-per-second: \(checkoutsPerSecond)}}
            operators:
              - {id: attribution, kind: first-click-attribution, inputs: [clicks, checkouts], key-by: [user_id, product_id], params: {window-ms: 3600000, emit-mode: on-watermark}}
              - {id: enrich, kind: user-enrichment, inputs: [attribution]}
            sinks:
              - {id: sink, kind: postgres-sink, inputs: [enrich], params: {table: commerce.attributed_checkouts, key: checkout_id}}
            """
    }

    /// Judges the finished run: `sluice verify` must pass (every checkout exactly once, as the SQL
    /// oracle computes it; dead letters exactly the malformed records), and
    /// `commerce.dead_letters` must hold one row per malformed record datagen produced. Throws on
    /// the first failure, so a cluster scope keeps its logs and checkpoints for inspection.
    func requireSinkMatchesOracle(_ context: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (status, report) = try ShellCommand.execute(sluice, ["verify", "--kafka", broker.bootstrapServers, "--postgres", database.url])
        try #require(status == 0, "sluice verify:\n\(report)\n\(context())\ndatagen:\n\(input.output.suffix(1_000))",
                     sourceLocation: sourceLocation)
        let connection = try PostgresConnection.connect(url: database.url)
        let deadLetters = try connection.execute("SELECT count(*) FROM commerce.dead_letters").value(row: 0, column: 0)
        try #require(deadLetters == String(input.malformed), "datagen produced \(input.malformed) malformed records",
                     sourceLocation: sourceLocation)
    }

    func stop() {
        database.stop()
        broker.stop()
        work.remove()
    }
}
