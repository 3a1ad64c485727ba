import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Logging
import SluiceCore
import SluiceKafka

/// The `devbroker` command line: start the mock cluster, create topics, publish the bootstrap
/// address, watch partition start offsets, and shut down cleanly on SIGTERM/SIGINT.
struct DevBrokerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devbroker",
        abstract: "An in-memory dev stand-in for Kafka: librdkafka's mock cluster on 127.0.0.1.",
        discussion: """
            Runs librdkafka's own mock Kafka cluster (the Kafka protocol implementation librdkafka \
            is tested against) inside this process, listening on loopback ports. Any Kafka client \
            can produce to and consume from it through the printed bootstrap address.

            It is NOT a real broker: everything is kept in memory and lost on exit; each partition \
            keeps only about 5 MiB and silently drops older messages (a warning is logged when a \
            partition's start offset moves); transactions are accepted but not isolated; ports are \
            ephemeral, so clients read the address from --bootstrap-file. Use a real Kafka cluster \
            for anything but local development and tests.

            Stops on SIGTERM or SIGINT, removing the bootstrap file.
            """)

    @Option(help: "Number of mock brokers.")
    var brokers: Int = 1

    @Option(name: .customLong("topic"), help: ArgumentHelp("A topic to create, as NAME:PARTITIONS (repeatable).", valueName: "name:partitions"))
    var topics: [TopicSpec] = []

    @Option(help: "Replication factor of the created topics (at most --brokers).")
    var replicationFactor: Int = 1

    @Option(help: ArgumentHelp("Write the bootstrap address to this file (atomically); removed on exit.", valueName: "path"))
    var bootstrapFile: String?

    @Option(help: "Seconds between checks of each partition's start offset.")
    var checkInterval: Int = 5

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard brokers >= 1 else { throw ValidationError("--brokers must be at least 1") }
        guard (1...brokers).contains(replicationFactor) else {
            throw ValidationError("--replication-factor must be between 1 and --brokers (\(brokers))")
        }
        guard checkInterval >= 1 else { throw ValidationError("--check-interval must be at least 1 second") }
        guard Logger.Level(rawValue: logLevel.lowercased()) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        let names = topics.map(\.name)
        guard Set(names).count == names.count else { throw ValidationError("a topic is given twice: \(names.joined(separator: ", "))") }
    }

    func run() throws {
        LoggingSystemSetup.bootstrap(level: Logger.Level(rawValue: logLevel.lowercased()) ?? .info)
        let logger = Logger(label: "sluice.devbroker")
        // Install the signal handlers first, so a TERM that arrives during start-up is not lost.
        let shutdown = ShutdownSignal(signals: [SIGTERM, SIGINT])

        let cluster = try KafkaMockCluster(brokers: brokers, logger: Logger(label: "sluice.devbroker.mock"))
        for topic in topics {
            try cluster.createTopic(topic.name, partitions: topic.partitions, replicationFactor: replicationFactor)
        }
        logger.info("mock Kafka cluster started", metadata: [
            "bootstrap": "\(cluster.bootstrapServers)", "brokers": "\(brokers)",
            "topics": "\(topics.map(\.description).joined(separator: ","))",
        ])

        let file = bootstrapFile.map(BootstrapFile.init(path:))
        try file?.write(cluster.bootstrapServers)
        print(cluster.bootstrapServers)
        fflush(nil)

        let monitor = try StartOffsetMonitor(bootstrapServers: cluster.bootstrapServers, topics: topics, logger: logger)
        var received: Int32?
        while true {
            received = shutdown.wait(timeout: .seconds(checkInterval))
            if received != nil { break }
            monitor.check()
        }

        logger.info("stopping mock Kafka cluster", metadata: ["signal": "\(received.map(String.init) ?? "?")"])
        file?.remove()
        withExtendedLifetime((monitor, cluster)) {}
    }
}
