import Foundation

/// A private dev Kafka broker (`devbroker`, librdkafka's mock cluster) for tests, started
/// through `cluster/devbroker.sh` (the same script `make run` uses) in a fresh temporary
/// cluster folder.
///
/// Owns the broker process and the folder: `stop()` stops the broker (SIGTERM, then SIGKILL)
/// and deletes the folder. Call it in a `defer` right after `start` so the broker is stopped
/// when the test fails too. Needs the built `devbroker` (see `RepositoryLayout.binDirectory`).
public final class DevBrokerServer: Sendable {
    /// The `bootstrap.servers` value for clients, e.g. `127.0.0.1:40123`.
    public let bootstrapServers: String
    /// The cluster folder (`SLUICE_CLUSTER_DIR`) holding the pid, log and bootstrap files.
    public let directory: TemporaryDirectory
    private let environment: [String: String]

    private init(bootstrapServers: String, directory: TemporaryDirectory, environment: [String: String]) {
        self.bootstrapServers = bootstrapServers
        self.directory = directory
        self.environment = environment
    }

    /// Starts a broker with `topics` (`NAME:PARTITIONS`), checking partition start offsets
    /// every `checkIntervalSeconds`.
    public static func start(topics: [String], checkIntervalSeconds: Int = 5) throws -> DevBrokerServer {
        let executable = try RepositoryLayout.executable("devbroker")
        let directory = try TemporaryDirectory(prefix: "sluice-kafka")
        let environment = [
            "SLUICE_CLUSTER_DIR": directory.path,
            "SLUICE_BIN_DIR": executable.deletingLastPathComponent().path,
            "SLUICE_KAFKA_TOPICS": topics.joined(separator: ","),
            "SLUICE_DEVBROKER_CHECK_INTERVAL": "\(checkIntervalSeconds)",
        ]
        do {
            try ShellCommand.run("/bin/bash", [script, "start"], environment: environment)
            let bootstrap = try String(contentsOf: directory.url.appendingPathComponent("kafka.bootstrap"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return DevBrokerServer(bootstrapServers: bootstrap, directory: directory, environment: environment)
        } catch {
            _ = try? ShellCommand.run("/bin/bash", [script, "stop"], environment: environment)
            directory.remove()
            throw error
        }
    }

    /// The broker's process id, from the script's pid file.
    public var pid: Int32? {
        (try? String(contentsOf: directory.url.appendingPathComponent("pids/devbroker.pid"), encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// The broker's log so far (for assertions and failure messages).
    public func log() -> String {
        (try? String(contentsOf: directory.url.appendingPathComponent("logs/devbroker.log"), encoding: .utf8)) ?? ""
    }

    /// Stops the broker and removes its folder.
    public func stop() {
        _ = try? ShellCommand.run("/bin/bash", [Self.script, "stop"], environment: environment)
        directory.remove()
    }

    private static var script: String { RepositoryLayout.clusterScript("devbroker.sh").path }
}
