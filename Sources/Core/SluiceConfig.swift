import Foundation
import Logging

/// Typed settings of a Sluice process, built from a `ConfigSource`.
///
/// A value type: executables load it once at start, apply their flags, and hand the
/// relevant sections to the services they start.
public struct SluiceConfig: Sendable {
    public struct JobManager: Sendable {
        /// The address the RPC port listens on.
        public var bind: String
        /// The address the REST API and web UI listen on; defaults to `bind`, but to loopback
        /// when no REST token is set (see `effectiveRESTBind`).
        public var restBind: String
        /// `restBind` was set on its own (`jobmanager.rest-bind`, `--rest-bind`), not inherited.
        public var restBindIsExplicit: Bool
        /// Where TaskManagers and tools reach the RPC port (`host:port`).
        public var address: String
        public var rpcPort: Int
        public var restPort: Int
        public var restRefreshInterval: Duration
        /// The file holding the token mutating REST requests must send (`Authorization: Bearer`);
        /// nil = mutations are open (local development).
        public var restTokenFile: String?
        /// HTTPS on the REST port (`rest.tls`), with the `tls.*` files; `.off` = plain HTTP.
        public var restTLS: RESTTLSMode = .off
    }

    /// Where the REST API listens given whether a token guards its mutations: without one,
    /// submit, cancel and stop are open to whoever reaches the port, so an address inherited from
    /// `jobmanager.bind` is narrowed to loopback; an explicit `rest-bind` is kept. Returns the
    /// address and, when it was narrowed, why (for the start-up log).
    public static func effectiveRESTBind(_ jobManager: JobManager, tokenSet: Bool) -> (address: String, narrowed: String?) {
        let loopback = ["127.0.0.1", "::1", "localhost"]
        guard !tokenSet, !jobManager.restBindIsExplicit, !loopback.contains(jobManager.restBind) else {
            return (jobManager.restBind, nil)
        }
        return ("127.0.0.1", "no rest.token-file is set, so the REST API (submit, cancel, stop) listens on 127.0.0.1 only, "
                + "not \(jobManager.restBind); set rest.token-file, or jobmanager.rest-bind to expose it without a token")
    }

    public struct Heartbeat: Sendable {
        public var interval: Duration
        public var timeout: Duration
    }

    public struct RPC: Sendable {
        public var maxFrameBytes: Int
        public var handshakeTimeout: Duration
    }

    /// Where the job's external systems are, unless a job spec names them itself. The `*File`
    /// variants are read at use, so a restarted dev broker's new address is picked up.
    public struct Connectors: Sendable {
        public var kafkaBootstrap: String?
        public var kafkaBootstrapFile: String?
        public var postgresURL: String?
        public var postgresURLFile: String?

        public func resolvedKafkaBootstrap() -> String? { kafkaBootstrap ?? Self.read(kafkaBootstrapFile) }
        public func resolvedPostgresURL() -> String? { postgresURL ?? Self.read(postgresURLFile) }

        private static func read(_ path: String?) -> String? {
            guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
    }

    /// Durable directories of the JobManager (DESIGN.md §5–§6).
    public struct Durability: Sendable {
        /// Checkpoint storage: one directory per job lineage (a shared filesystem across hosts).
        public var checkpointsDirectory: String
        /// Job specs and completed-checkpoint pointers, read back by a restarted JobManager.
        public var highAvailabilityDirectory: String
    }

    public struct TaskManager: Sendable {
        public var workDirectory: String
        public var slots: Int
        /// The address the data port listens on.
        public var bind: String
        /// The address the Prometheus `/metrics` endpoint listens on; defaults to `bind`.
        public var metricsBind: String
        /// The host other TaskManagers use to reach this one's data port; defaults to `bind`.
        public var host: String?
        public var dataPort: Int
        /// The port of this TaskManager's Prometheus `/metrics` endpoint (0 = any free port).
        public var metricsPort: Int
        public var reconnectInitial: Duration
        public var reconnectMaximum: Duration
    }

    public var clusterID: String
    /// `nil` until resolved; `requireSecret()` explains how to set one.
    public var clusterSecret: String?
    public var jobManager: JobManager
    public var heartbeat: Heartbeat
    public var rpc: RPC
    public var taskManager: TaskManager
    public var connectors: Connectors
    public var durability: Durability
    /// Mutual TLS for the RPC and data connections: nil unless `tls.*` names all three files.
    public var tls: TLSFiles?
    public var logLevel: Logger.Level

    public init(_ source: ConfigSource) throws {
        clusterID = source.string(.clusterID) ?? "sluice"
        clusterSecret = try Self.resolveSecret(source)
        let jobManagerBind = source.string(.jobManagerBind) ?? "127.0.0.1"
        jobManager = JobManager(
            bind: jobManagerBind,
            restBind: source.string(.jobManagerRESTBind) ?? jobManagerBind,
            restBindIsExplicit: source.string(.jobManagerRESTBind) != nil,
            address: source.string(.jobManagerAddress) ?? "127.0.0.1:6123",
            rpcPort: try source.int(.jobManagerRPCPort, in: 0...65535),
            restPort: try source.int(.jobManagerRESTPort, in: 0...65535),
            restRefreshInterval: .milliseconds(try source.int(.restRefreshInterval, in: 100...3_600_000)),
            restTokenFile: source.path(.restTokenFile))
        heartbeat = Heartbeat(
            interval: .milliseconds(try source.int(.heartbeatInterval, in: 10...600_000)),
            timeout: .milliseconds(try source.int(.heartbeatTimeout, in: 20...3_600_000)))
        rpc = RPC(
            maxFrameBytes: try source.int(.rpcMaxFrameBytes, in: 1024...1_073_741_824),
            handshakeTimeout: .milliseconds(try source.int(.rpcHandshakeTimeout, in: 10...600_000)))
        connectors = Connectors(
            kafkaBootstrap: source.string(.kafkaBootstrap), kafkaBootstrapFile: source.path(.kafkaBootstrapFile),
            postgresURL: source.string(.postgresURL), postgresURLFile: source.path(.postgresURLFile))
        let taskManagerBind = source.string(.taskManagerBind) ?? "127.0.0.1"
        taskManager = TaskManager(
            workDirectory: source.path(.taskManagerWorkDirectory) ?? "/tmp/sluice-taskmanager",
            slots: try source.int(.taskManagerSlots, in: 1...1024),
            bind: taskManagerBind,
            metricsBind: source.string(.taskManagerMetricsBind) ?? taskManagerBind,
            host: source.string(.taskManagerHost),
            dataPort: try source.int(.taskManagerDataPort, in: 0...65535),
            metricsPort: try source.int(.taskManagerMetricsPort, in: 0...65535),
            reconnectInitial: .milliseconds(try source.int(.reconnectInitial, in: 1...60_000)),
            reconnectMaximum: .milliseconds(try source.int(.reconnectMaximum, in: 1...600_000)))
        durability = Durability(
            checkpointsDirectory: Self.absolute(source.path(.checkpointsDirectory) ?? "/tmp/sluice-checkpoints"),
            highAvailabilityDirectory: Self.absolute(source.path(.highAvailabilityDirectory) ?? "/tmp/sluice-ha"))
        tls = try TLSFiles(source)
        jobManager.restTLS = try RESTTLSMode(source, tls: tls)
        let level = source.string(.logLevel) ?? "info"
        guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
            throw ConfigError.invalidValue(key: ConfigKey.logLevel.rawValue, value: level,
                                           expected: "one of trace, debug, info, notice, warning, error, critical",
                                           source: source.values[.logLevel]?.source ?? "defaults")
        }
        logLevel = parsed
        if taskManager.reconnectMaximum < taskManager.reconnectInitial {
            throw ConfigError.invalidValue(key: ConfigKey.reconnectMaximum.rawValue, value: "\(taskManager.reconnectMaximum)",
                                           expected: "at least taskmanager.reconnect-initial-ms (\(taskManager.reconnectInitial))",
                                           source: source.values[.reconnectMaximum]?.source ?? "defaults")
        }
        if heartbeat.timeout <= heartbeat.interval {
            throw ConfigError.invalidValue(key: ConfigKey.heartbeatTimeout.rawValue, value: "\(heartbeat.timeout)",
                                           expected: "more than heartbeat.interval-ms (\(heartbeat.interval))",
                                           source: source.values[.heartbeatTimeout]?.source ?? "defaults")
        }
    }

    /// Loads `file` (optional) plus the environment and builds the typed settings.
    public static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SluiceConfig {
        try SluiceConfig(ConfigSource.load(file: file, environment: environment))
    }

    /// The shared cluster secret, or an error that says how to provide one.
    public func requireSecret() throws -> String {
        guard let secret = clusterSecret, !secret.isEmpty else { throw ConfigError.missingSecret }
        return secret
    }

    /// The REST token from `rest.token-file`, nil when the key is unset; throws when the file is
    /// unreadable or empty (a configured but missing token must not silently open the API).
    public func restToken() throws -> String? {
        guard let path = jobManager.restTokenFile else { return nil }
        let token = (try? Self.readKeyFile(path, key: .restTokenFile)) ?? ""
        guard !token.isEmpty else {
            throw ConfigError.invalidValue(
                key: ConfigKey.restTokenFile.rawValue, value: path,
                expected: "a readable file holding a non-empty token (make run writes .cluster/rest-token; or unset the key to leave the REST API open)",
                source: "the config or \(ConfigKey.restTokenFile.environmentName)")
        }
        return token
    }

    /// Task managers get the checkpoint directory over the wire, so it must not depend on a working directory.
    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    private static func resolveSecret(_ source: ConfigSource) throws -> String? {
        if let secret = source.string(.clusterSecret), !secret.isEmpty { return secret }
        guard let path = source.path(.clusterSecretFile) else { return nil }
        return try readKeyFile(path, key: .clusterSecretFile)
    }

    /// The trimmed contents of a secret/token file named by `key`.
    private static func readKeyFile(_ path: String, key: ConfigKey) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw ConfigError.unreadableFile(path: path, reason: "\(key.rawValue): \(error.localizedDescription)")
        }
    }
}
