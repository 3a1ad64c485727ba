/// Neither a flag, the config nor the local cluster's files say where a service is.
public enum ConnectorError: Error, CustomStringConvertible, Sendable {
    case kafkaNotConfigured
    case postgresNotConfigured

    public var description: String {
        switch self {
        case .kafkaNotConfigured:
            return "no Kafka address: pass --kafka HOST:PORT, set kafka.bootstrap(-file) in --config or SLUICE_KAFKA_BOOTSTRAP, "
                + "or start the dev broker (cluster/devbroker.sh start writes .cluster/kafka.bootstrap)"
        case .postgresNotConfigured:
            return "no PostgreSQL URL: pass --postgres postgresql://USER@HOST:PORT/DB, set postgres.url(-file) in --config or "
                + "SLUICE_POSTGRES_URL, or start the local server (cluster/postgres.sh start writes .cluster/postgres.url)"
        }
    }
}
