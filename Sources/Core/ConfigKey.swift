/// Every key the YAML config understands, with its default.
///
/// A key `section.some-name` can be overridden by the environment variable
/// `SLUICE_SECTION_SOME_NAME`, and command-line flags override both.
public enum ConfigKey: String, CaseIterable, Sendable {
    case clusterID = "cluster.id"
    case clusterSecret = "cluster.secret"
    case clusterSecretFile = "cluster.secret-file"
    case jobManagerBind = "jobmanager.bind"
    case jobManagerRESTBind = "jobmanager.rest-bind"
    case jobManagerAddress = "jobmanager.address"
    case jobManagerRPCPort = "jobmanager.rpc-port"
    case jobManagerRESTPort = "jobmanager.rest-port"
    case heartbeatInterval = "heartbeat.interval-ms"
    case heartbeatTimeout = "heartbeat.timeout-ms"
    case rpcMaxFrameBytes = "rpc.max-frame-bytes"
    case rpcHandshakeTimeout = "rpc.handshake-timeout-ms"
    case taskManagerSlots = "taskmanager.slots"
    case taskManagerBind = "taskmanager.bind"
    case taskManagerMetricsBind = "taskmanager.metrics-bind"
    case taskManagerHost = "taskmanager.host"
    case taskManagerDataPort = "taskmanager.data-port"
    case taskManagerMetricsPort = "taskmanager.metrics-port"
    case reconnectInitial = "taskmanager.reconnect-initial-ms"
    case reconnectMaximum = "taskmanager.reconnect-max-ms"
    case taskManagerWorkDirectory = "taskmanager.work-dir"
    case kafkaBootstrap = "kafka.bootstrap"
    case kafkaBootstrapFile = "kafka.bootstrap-file"
    case postgresURL = "postgres.url"
    case postgresURLFile = "postgres.url-file"
    case restRefreshInterval = "rest.refresh-interval-ms"
    case restTokenFile = "rest.token-file"
    case restTLS = "rest.tls"
    case tlsCAFile = "tls.ca-file"
    case tlsCertFile = "tls.cert-file"
    case tlsKeyFile = "tls.key-file"
    case checkpointsDirectory = "checkpoints.dir"
    case highAvailabilityDirectory = "high-availability.dir"
    case logLevel = "log.level"

    /// The value used when neither the file, the environment nor a flag sets the key.
    public var defaultValue: String? {
        switch self {
        case .clusterID: "sluice"
        case .clusterSecret, .clusterSecretFile, .taskManagerHost, .kafkaBootstrap, .kafkaBootstrapFile,
             .postgresURL, .postgresURLFile, .restTokenFile, .tlsCAFile, .tlsCertFile, .tlsKeyFile,
             .jobManagerRESTBind, .taskManagerMetricsBind: nil  // default: the process's bind
        case .taskManagerWorkDirectory: "/tmp/sluice-taskmanager"
        case .checkpointsDirectory: "/tmp/sluice-checkpoints"
        case .highAvailabilityDirectory: "/tmp/sluice-ha"
        case .jobManagerBind, .taskManagerBind: "127.0.0.1"
        case .jobManagerAddress: "127.0.0.1:6123"
        case .jobManagerRPCPort: "6123"
        case .jobManagerRESTPort: "8081"
        case .heartbeatInterval: "1000"
        case .heartbeatTimeout: "5000"
        case .rpcMaxFrameBytes: "16777216"
        case .rpcHandshakeTimeout: "10000"
        case .taskManagerSlots: "2"
        case .taskManagerDataPort, .taskManagerMetricsPort: "0"
        case .reconnectInitial: "100"
        case .reconnectMaximum: "2000"
        case .restRefreshInterval: "3000"
        case .restTLS: "off"
        case .logLevel: "info"
        }
    }

    /// `jobmanager.rpc-port` → `SLUICE_JOBMANAGER_RPC_PORT`.
    public var environmentName: String {
        "SLUICE_" + rawValue.uppercased().map { $0 == "." || $0 == "-" ? "_" : $0 }.map(String.init).joined()
    }
}
