import Foundation
import SluiceCore
import Testing

@Suite struct ConfigTests {
    @Test func defaultsMatchTheDocumentedPorts() throws {
        let config = try SluiceConfig.load(file: nil, environment: [:])
        #expect(config.jobManager.rpcPort == 6123)
        #expect(config.jobManager.restPort == 8081)
        #expect(config.jobManager.bind == "127.0.0.1")
        #expect(config.heartbeat.interval == .seconds(1))
        #expect(config.heartbeat.timeout == .seconds(5))
        #expect(config.clusterSecret == nil)
        #expect(throws: ConfigError.missingSecret) { try config.requireSecret() }
    }

    @Test func yamlOverridesDefaultsAndEnvironmentOverridesYaml() throws {
        var source = ConfigSource()
        try source.merge(yaml: "jobmanager:\n  rpc-port: 7000\n  rest-port: 9000\nheartbeat:\n  timeout-ms: 3000\n", sourceName: "test.yaml")
        try source.merge(environment: ["SLUICE_JOBMANAGER_REST_PORT": "9100", "SLUICE_CLUSTER_SECRET": "abc"])
        let config = try SluiceConfig(source)
        #expect(config.jobManager.rpcPort == 7000)
        #expect(config.jobManager.restPort == 9100)
        #expect(config.heartbeat.timeout == .seconds(3))
        #expect(try config.requireSecret() == "abc")
    }

    @Test func unknownKeyIsNamedWithASuggestion() {
        var source = ConfigSource()
        #expect(throws: ConfigError.unknownKey(key: "jobmanager.rpc-prot", source: "x.yaml", suggestion: "jobmanager.rpc-port")) {
            try source.merge(yaml: "jobmanager:\n  rpc-prot: 1\n", sourceName: "x.yaml")
        }
    }

    /// Without a REST token, submit/cancel/stop are open to whoever reaches the port: an address
    /// the REST API only inherited from `jobmanager.bind` is narrowed to loopback (with the reason
    /// for the start-up log); an explicit `rest-bind`, or a token, keeps it.
    @Test func withoutATokenTheRESTAPIStaysOnLoopbackUnlessToldOtherwise() throws {
        var source = ConfigSource()
        try source.merge(environment: ["SLUICE_JOBMANAGER_BIND": "10.0.0.5"])
        let inherited = try SluiceConfig(source).jobManager
        let narrowed = SluiceConfig.effectiveRESTBind(inherited, tokenSet: false)
        #expect(narrowed.address == "127.0.0.1")
        #expect(narrowed.narrowed?.contains("rest.token-file") == true && narrowed.narrowed?.contains("10.0.0.5") == true)
        #expect(SluiceConfig.effectiveRESTBind(inherited, tokenSet: true) == ("10.0.0.5", nil))
        try source.merge(environment: ["SLUICE_JOBMANAGER_REST_BIND": "0.0.0.0"])
        let explicit = try SluiceConfig(source).jobManager
        #expect(SluiceConfig.effectiveRESTBind(explicit, tokenSet: false) == ("0.0.0.0", nil))
        let local = try SluiceConfig.load(file: nil, environment: [:]).jobManager
        #expect(SluiceConfig.effectiveRESTBind(local, tokenSet: false) == ("127.0.0.1", nil))
    }

    /// Every listener binds on its own: REST and metrics default to their process's bind address
    /// and can move separately (the UI public, RPC and data ports internal).
    @Test func restAndMetricsBindDefaultToTheProcesssBindAndMoveOnTheirOwn() throws {
        var source = ConfigSource()
        try source.merge(environment: ["SLUICE_JOBMANAGER_BIND": "10.0.0.5", "SLUICE_TASKMANAGER_BIND": "10.0.0.6"])
        let defaults = try SluiceConfig(source)
        #expect(defaults.jobManager.restBind == "10.0.0.5" && defaults.taskManager.metricsBind == "10.0.0.6")
        try source.merge(environment: ["SLUICE_JOBMANAGER_REST_BIND": "0.0.0.0", "SLUICE_TASKMANAGER_METRICS_BIND": "0.0.0.0"])
        let split = try SluiceConfig(source)
        #expect(split.jobManager.bind == "10.0.0.5" && split.jobManager.restBind == "0.0.0.0")
        #expect(split.taskManager.bind == "10.0.0.6" && split.taskManager.metricsBind == "0.0.0.0")
    }

    @Test func anUnknownSluiceVariableIsRefusedWithTheClosestKnownName() {
        var source = ConfigSource()
        #expect(throws: ConfigError.unknownEnvironmentVariable(name: "SLUICE_JOBMANAGER_REST_PROT",
                                                               suggestion: "SLUICE_JOBMANAGER_REST_PORT")) {
            try source.merge(environment: ["SLUICE_JOBMANAGER_REST_PROT": "1", "PATH": "/usr/bin"])
        }
        #expect(source.string(.jobManagerRESTPort) == "8081", "nothing of a refused environment is taken")
    }

    @Test func variablesOfTheScriptsAndOtherProgramsPass() throws {
        var source = ConfigSource()
        try source.merge(environment: ["SLUICE_CLUSTER_DIR": "/tmp/x", "SLUICE_BENCH_EVENTS": "10", "SLUICE_EVENT_RATE": "5",
                                       "SLUICEX": "not ours", "HOME": "/root", "SLUICE_JOBMANAGER_RPC_PORT": "7001"])
        #expect(try SluiceConfig(source).jobManager.rpcPort == 7001)
    }

    @Test func nonNumericPortNamesKeyValueAndSource() throws {
        var source = ConfigSource()
        try source.merge(environment: ["SLUICE_JOBMANAGER_RPC_PORT": "sixty"])
        #expect {
            _ = try SluiceConfig(source)
        } throws: { error in
            "\(error)".contains("jobmanager.rpc-port") && "\(error)".contains("sixty")
                && "\(error)".contains("SLUICE_JOBMANAGER_RPC_PORT")
        }
    }

    @Test func heartbeatTimeoutMustExceedTheInterval() throws {
        var source = ConfigSource()
        try source.merge(environment: ["SLUICE_HEARTBEAT_INTERVAL_MS": "2000", "SLUICE_HEARTBEAT_TIMEOUT_MS": "1000"])
        #expect(throws: ConfigError.self) { _ = try SluiceConfig(source) }
    }

    @Test func reconnectCapBelowTheInitialDelayIsRefused() throws {
        var source = ConfigSource()
        try source.merge(environment: ["SLUICE_TASKMANAGER_RECONNECT_INITIAL_MS": "500", "SLUICE_TASKMANAGER_RECONNECT_MAX_MS": "100"])
        #expect(throws: ConfigError.self) { _ = try SluiceConfig(source) }
    }

    @Test func malformedYamlIsReportedNotCrashed() {
        var source = ConfigSource()
        #expect(throws: ConfigError.self) { try source.merge(yaml: "jobmanager: [1, 2\n", sourceName: "bad.yaml") }
        #expect(throws: ConfigError.self) { try source.merge(yaml: "- a\n- b\n", sourceName: "list.yaml") }
    }

    @Test func secretFileIsReadRelativeToTheConfigFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "topsecret\n".write(to: dir.appendingPathComponent("secret"), atomically: true, encoding: .utf8)
        try "cluster:\n  secret-file: secret\n".write(to: dir.appendingPathComponent("sluice.yaml"), atomically: true, encoding: .utf8)
        let config = try SluiceConfig.load(file: dir.appendingPathComponent("sluice.yaml").path, environment: [:])
        #expect(try config.requireSecret() == "topsecret")
    }

    @Test func hostPortParsesHostsAndRejectsBadPorts() {
        #expect(HostPort(parsing: "127.0.0.1:6123") == HostPort(host: "127.0.0.1", port: 6123))
        #expect(HostPort(parsing: "[::1]:80") == HostPort(host: "::1", port: 80))
        #expect(HostPort(parsing: ":6123") == HostPort(host: "127.0.0.1", port: 6123))
        #expect(HostPort(parsing: "localhost") == nil)
        #expect(HostPort(parsing: "h:0") == nil)
        #expect(HostPort(parsing: "h:70000") == nil)
    }
}
