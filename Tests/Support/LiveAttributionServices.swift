import Foundation

/// The outside world of an integration test that runs the checkout-attribution job on a live
/// stream: a dev Kafka broker with the given topics and a PostgreSQL holding the schema and the
/// generated users. Owns both servers; `stop()` ends them (call it in a `defer`).
///
/// Also knows the two things every such test derives from them: the connection flags of
/// `sluice datagen`/`verify` and the cluster settings that point the job at these services.
public struct LiveAttributionServices: Sendable {
    public let broker: DevBrokerServer
    public let database: PostgresServer
    public let sluice: URL

    /// Starts the broker and PostgreSQL, applies `cluster/schema.sql` and writes the users.
    public static func start(topics: [String]) throws -> LiveAttributionServices {
        let broker = try DevBrokerServer.start(topics: topics)
        do {
            let database = try PostgresServer.start()
            let services = LiveAttributionServices(broker: broker, database: database, sluice: try RepositoryLayout.executable("sluice"))
            do {
                let schema = RepositoryLayout.root.appendingPathComponent("cluster/schema.sql").path
                _ = try ShellCommand.run(services.sluice.path, ["datagen"] + services.connections + ["--apply-schema", "--schema", schema, "--users-only"])
            } catch {
                services.stop()
                throw error
            }
            return services
        } catch {
            broker.stop()
            throw error
        }
    }

    /// `--kafka … --postgres …` for the `sluice` tools.
    public var connections: [String] { ["--kafka", broker.bootstrapServers, "--postgres", database.url] }

    /// Cluster settings that make jobs read and write these services.
    public var clusterSettings: [String: String] {
        ["SLUICE_POSTGRES_URL": database.url, "SLUICE_KAFKA_BOOTSTRAP": broker.bootstrapServers]
    }

    /// `sluice datagen` streaming events stamped with the wall clock at `rate` per second until
    /// stopped (the users already exist).
    public func liveStream(rate: Int, arguments: [String] = [], logDirectory: URL) throws -> ManagedProcess {
        try ManagedProcess(name: "datagen", executable: sluice,
                           arguments: ["datagen"] + connections + ["--skip-users", "--events", "0", "--rate", "\(rate)"] + arguments,
                           logDirectory: logDirectory)
    }

    public func stop() {
        database.stop()
        broker.stop()
    }

    /// `jobs/checkout-attribution.yaml` with its settings replaced by `replacements` (text of the
    /// spec → new text); throws if one is not in the spec, so a changed spec cannot silently
    /// leave a test on its defaults.
    public static func attributionSpec(replacing replacements: KeyValuePairs<String, String>) throws -> String {
        let original = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/checkout-attribution.yaml"), encoding: .utf8)
        var spec = original
        for (old, new) in replacements {
            guard spec.contains(old) else {
                throw TestSupportError.commandFailed(command: "edit job spec", status: 1, output: "no '\(old)' in\n\(original)")
            }
            spec = spec.replacingOccurrences(of: old, with: new)
        }
        return spec
    }
}
