import Foundation
import SluiceCore

/// Where the tools find Kafka and PostgreSQL: a flag, else the config (`kafka.bootstrap`,
/// `kafka.bootstrap-file`, `postgres.url`, `postgres.url-file`, each also as a `SLUICE_*`
/// variable), else the files the local cluster scripts write (`$SLUICE_CLUSTER_DIR` or
/// `.cluster`: `kafka.bootstrap`, `postgres.url`).
public struct ConnectorEndpoints: Sendable {
    public var kafkaBootstrap: String?
    public var postgresURL: String?

    /// Resolves both endpoints; nil where nothing names one (see `requireKafka`/`requirePostgres`).
    public init(kafkaFlag: String?, postgresFlag: String?, config: SluiceConfig,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        let clusterDirectory = environment["SLUICE_CLUSTER_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? ".cluster"
        kafkaBootstrap = kafkaFlag ?? config.connectors.resolvedKafkaBootstrap()
            ?? Self.read("\(clusterDirectory)/kafka.bootstrap")
        postgresURL = postgresFlag ?? config.connectors.resolvedPostgresURL()
            ?? Self.read("\(clusterDirectory)/postgres.url")
    }

    /// The Kafka bootstrap servers, or an error saying how to provide them.
    public func requireKafka() throws(ConnectorError) -> String {
        guard let kafkaBootstrap else { throw .kafkaNotConfigured }
        return kafkaBootstrap
    }

    /// The PostgreSQL URL, or an error saying how to provide it.
    public func requirePostgres() throws(ConnectorError) -> String {
        guard let postgresURL else { throw .postgresNotConfigured }
        return postgresURL
    }

    private static func read(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }
}
