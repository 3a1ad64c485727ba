import ArgumentParser
import CMalloc
import Foundation
import Logging
import SluiceCore
import SluiceTaskManager

@main
struct TaskManagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taskmanager",
        abstract: "A Sluice worker: registers with the JobManager, heartbeats, runs tasks, serves its data port.",
        subcommands: [Join.self])
}

struct Join: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join a cluster and run until SIGTERM/SIGINT; reconnects with back-off when the JobManager goes away.",
        discussion: """
            Settings come from the YAML config, then SLUICE_* environment variables, then these \
            flags. The cluster secret must match the JobManager's (SLUICE_CLUSTER_SECRET, \
            cluster.secret or cluster.secret-file).
            """)

    @Option(name: .long, help: "The JobManager's RPC address, HOST:PORT (default: jobmanager.address, 127.0.0.1:6123).")
    var jobmanager: String?

    @Option(name: .long, help: "Task slots this TaskManager offers (default 2).")
    var slots: Int?

    @Option(name: .long, help: "Data port other TaskManagers connect to (default 0 = any free port).")
    var dataPort: Int?

    @Option(name: .long, help: "Port of the Prometheus /metrics endpoint (default 0 = any free port).")
    var metricsPort: Int?

    @Option(name: .long, help: "Address to listen on (default 127.0.0.1).")
    var bind: String?

    @Option(name: .long, help: "Host other TaskManagers use to reach this one (default: the bind address).")
    var host: String?

    @Option(name: .long, help: "A fixed TaskManager id (default: generated, unique per process).")
    var id: String?

    @Option(name: .long, help: "YAML config file (e.g. cluster/sluice.yaml).")
    var config: String?

    func validate() throws {
        if let slots, !(1...1024).contains(slots) { throw ValidationError("--slots must be 1...1024, got \(slots)") }
        if let dataPort, !(0...65535).contains(dataPort) { throw ValidationError("--data-port must be 0...65535, got \(dataPort)") }
        if let metricsPort, !(0...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be 0...65535, got \(metricsPort)")
        }
        if let jobmanager, HostPort(parsing: jobmanager) == nil {
            throw ValidationError("--jobmanager must be HOST:PORT, got '\(jobmanager)'")
        }
    }

    func run() async throws {
        // One malloc arena per core instead of glibc's 8 per core: task threads come and go, and
        // each extra arena kept tens of MiB of freed memory resident (same advice as Flink's
        // MALLOC_ARENA_MAX for RocksDB).
        _ = mallopt(M_ARENA_MAX, Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
        // Keyed state grows and shrinks by tens of MiB as windows fill and expire. With glibc's
        // defaults each shrink hands pages back and the next growth faults them in zeroed again
        // (page faults were ~5 % of the attribution thread's time). Keep up to 128 MiB free per
        // arena and grow in 16 MiB steps; a fixed mmap threshold stops glibc from raising it after
        // each free of a big buffer. Finished tasks still give everything back (`malloc_trim` in
        // TaskExecutor).
        _ = mallopt(M_TRIM_THRESHOLD, 128 << 20)
        _ = mallopt(M_TOP_PAD, 16 << 20)
        _ = mallopt(M_MMAP_THRESHOLD, 4 << 20)
        var settings = try SluiceConfig.load(file: config)
        if let slots { settings.taskManager.slots = slots }
        if let dataPort { settings.taskManager.dataPort = dataPort }
        if let metricsPort { settings.taskManager.metricsPort = metricsPort }
        if let bind { settings.taskManager.bind = bind }
        if let host { settings.taskManager.host = host }
        let address = jobmanager ?? settings.jobManager.address
        guard let jobManager = HostPort(parsing: address) else {
            throw ValidationError("jobmanager.address must be HOST:PORT, got '\(address)'")
        }
        LoggingSystemSetup.bootstrap(level: settings.logLevel)
        let logger = Logger(label: "sluice.taskmanager")
        let server = try await TaskManagerServer(config: settings, jobManager: jobManager, id: id, logger: logger)
        logger.info("TaskManager starting", metadata: [
            "taskmanager": "\(server.identity.id)", "jobmanager": "\(jobManager)",
            "slots": "\(server.identity.slots)", "data-port": "\(server.identity.dataPort)",
            "metrics-port": "\(server.identity.metricsPort)"])
        try await server.run()
    }
}
