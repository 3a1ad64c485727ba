import ArgumentParser
import Logging
import SluiceCore
import SluiceJobManager

@main
struct JobManagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobmanager",
        abstract: "The Sluice control plane: TaskManager membership, scheduling, checkpoints, REST API and web UI.",
        subcommands: [Start.self])
}

struct Start: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a JobManager and run until SIGTERM/SIGINT.",
        discussion: """
            Settings come from the YAML config, then SLUICE_* environment variables (e.g. \
            SLUICE_JOBMANAGER_RPC_PORT, SLUICE_CLUSTER_SECRET), then these flags. The cluster \
            secret is required: SLUICE_CLUSTER_SECRET, cluster.secret or cluster.secret-file.
            """)

    @Option(name: .long, help: "YAML config file (e.g. cluster/sluice.yaml).")
    var config: String?

    @Option(name: .long, help: "Address to listen on for RPC and REST (default 127.0.0.1).")
    var bind: String?

    @Option(name: .long, help: "Address the REST API and web UI listen on, if not --bind's (e.g. 0.0.0.0 for the UI, RPC kept internal).")
    var restBind: String?

    @Option(name: .long, help: "RPC port TaskManagers connect to (default 6123).")
    var rpcPort: Int?

    @Option(name: .long, help: "REST API and web UI port (default 8081).")
    var restPort: Int?

    func validate() throws {
        if let rpcPort, !(0...65535).contains(rpcPort) { throw ValidationError("--rpc-port must be 0...65535, got \(rpcPort)") }
        if let restPort, !(0...65535).contains(restPort) { throw ValidationError("--rest-port must be 0...65535, got \(restPort)") }
    }

    func run() async throws {
        var settings = try SluiceConfig.load(file: config)
        if let bind {
            settings.jobManager.bind = bind
            settings.jobManager.restBind = bind
        }
        if let restBind {
            settings.jobManager.restBind = restBind
            settings.jobManager.restBindIsExplicit = true
        }
        if let rpcPort { settings.jobManager.rpcPort = rpcPort }
        if let restPort { settings.jobManager.restPort = restPort }
        LoggingSystemSetup.bootstrap(level: settings.logLevel)
        let logger = Logger(label: "sluice.jobmanager")
        let server = try JobManagerServer(config: settings, logger: logger)
        logger.info("JobManager starting", metadata: [
            "rpc": "\(settings.jobManager.bind):\(settings.jobManager.rpcPort)",
            "ui": "http://\(SluiceConfig.effectiveRESTBind(settings.jobManager, tokenSet: settings.jobManager.restTokenFile != nil).address):\(settings.jobManager.restPort)/",
            "cluster": "\(settings.clusterID)"])
        try await server.run()
    }
}
