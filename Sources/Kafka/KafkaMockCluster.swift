import CRdKafka
import Logging

/// An in-memory Kafka cluster from librdkafka's own mock (`rdkafka_mock.h`), listening on
/// loopback: the dev stand-in for a broker. Owns the hosting `rd_kafka_t` and the
/// `rd_kafka_mock_cluster_t`; `deinit` destroys the cluster, then the host handle.
///
/// Limits of librdkafka 2.0.2's mock: brokers listen on ephemeral ports (read
/// `bootstrapServers`); each partition keeps only about 5 MiB and silently drops older data;
/// transactions are not isolated; nothing survives the process.
///
/// Thread rules: not Sendable (the mock API does not document thread safety); create, use and
/// drop it on one thread. Clients in any thread or process connect through `bootstrapServers`.
public final class KafkaMockCluster {
    private let host: OpaquePointer
    private let cluster: OpaquePointer
    private let context: KafkaClientContext
    /// How many brokers the cluster runs (ids 1...brokerCount).
    public let brokerCount: Int
    /// The `bootstrap.servers` value clients use, e.g. `127.0.0.1:39123,127.0.0.1:41555`.
    public let bootstrapServers: String

    /// Starts a mock cluster of `brokers` brokers.
    public init(brokers: Int = 1, logger: Logger = Logger(label: "sluice.kafka.mock")) throws {
        precondition(brokers >= 1, "a mock cluster needs at least one broker")
        let context = KafkaClientContext(logger: logger)
        // The host client never connects anywhere; warnings-and-up keeps its "no bootstrap.servers" notice out of the log.
        let conf = try RDKafkaConfiguration.make(["client.id": "sluice-mock-cluster-host", "log_level": "4"])
        context.install(on: conf, deliveryReports: false)
        let host = try RDKafkaConfiguration.makeClient(RD_KAFKA_PRODUCER, conf: conf, what: "mock cluster host client")
        guard let cluster = rd_kafka_mock_cluster_new(host, Int32(clamping: brokers)) else {
            rd_kafka_destroy(host)
            throw KafkaError.creationFailed(what: "mock Kafka cluster with \(brokers) brokers", reason: "rd_kafka_mock_cluster_new returned NULL")
        }
        self.host = host
        self.cluster = cluster
        self.context = context
        self.brokerCount = brokers
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(host)
    }

    /// Creates `name` with `partitions` partitions, each replicated to `replicationFactor` brokers.
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws {
        precondition(partitions >= 1 && replicationFactor >= 1)
        let code = rd_kafka_mock_topic_create(cluster, name, Int32(clamping: partitions), Int32(clamping: replicationFactor))
        if let error = KafkaError.check(code, context: "creating mock topic \(name) (\(partitions) partitions, replication \(replicationFactor))") {
            throw error
        }
    }
}
