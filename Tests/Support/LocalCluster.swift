import Foundation

/// A JobManager and TaskManagers as real OS processes on free loopback ports.
///
/// Each test makes its own (own ports, own log folder), so suites can run side by side. The
/// owner must call `stop()`; processes are SIGTERMed, then SIGKILLed.
public final class LocalCluster: @unchecked Sendable {  // mutated only by the one test that owns it
    public let secret: String
    public let clusterID: String
    public let rpcPort: Int
    public let restPort: Int
    public let logDirectory: URL
    public let environment: [String: String]
    public private(set) var jobManager: ManagedProcess?
    public private(set) var taskManagers: [ManagedProcess] = []
    /// JobManager processes replaced by a restart (`startJobManager()` again), kept for their logs.
    public private(set) var formerJobManagers: [ManagedProcess] = []
    private var started = 0

    public var rest: RESTProbe { RESTProbe(port: restPort) }
    public var rpcAddress: String { "127.0.0.1:\(rpcPort)" }
    /// Where the JobManager keeps checkpoints (`<dir>/<lineage>/chk-N`).
    public var checkpointsDirectory: String { environment["SLUICE_CHECKPOINTS_DIR"] ?? "" }

    /// `settings` are extra `SLUICE_*` variables (e.g. a shorter heartbeat timeout).
    public init(name: String, settings: [String: String] = [:]) throws {
        secret = "test-secret-\(UUID().uuidString)"
        clusterID = "test-\(name)"
        rpcPort = try FreePort.next()
        restPort = try FreePort.next()
        logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-\(name)-\(UUID().uuidString.prefix(6))")
        environment = ["SLUICE_CLUSTER_SECRET": secret, "SLUICE_CLUSTER_ID": clusterID,
                       "SLUICE_JOBMANAGER_RPC_PORT": "\(rpcPort)", "SLUICE_JOBMANAGER_REST_PORT": "\(restPort)",
                       "SLUICE_JOBMANAGER_ADDRESS": "127.0.0.1:\(rpcPort)",
                       // Per cluster, so no test resumes another test's jobs or checkpoints.
                       "SLUICE_CHECKPOINTS_DIR": logDirectory.appendingPathComponent("checkpoints").path,
                       "SLUICE_HIGH_AVAILABILITY_DIR": logDirectory.appendingPathComponent("ha").path].merging(settings) { _, new in new }
    }

    /// Starts (or restarts, same ports and directories) the JobManager and waits until its REST
    /// API answers. A previous JobManager process should have been killed or stopped first.
    public func startJobManager() async throws {
        started += 1
        if let previous = jobManager { formerJobManagers.append(previous) }
        let process = try ManagedProcess(name: "jobmanager-\(started)", executable: try RepositoryLayout.executable("jobmanager"),
                                         arguments: ["start"], environment: environment, logDirectory: logDirectory)
        jobManager = process
        // `rest` speaks plain HTTP: an HTTPS REST port (rest.tls) is ready when the log says so.
        let https = !["", "off"].contains(environment["SLUICE_REST_TLS"] ?? "")
        try await waitUntil("JobManager REST on port \(restPort) (log: \(process.logFile.path))", timeout: .seconds(20)) {
            guard process.isRunning else { throw TestSupportError.commandFailed(command: "jobmanager", status: process.exitStatus ?? -1, output: process.output()) }
            if https { return process.output().contains("REST server listening") }
            return try await rest.get("/overview").status == 200
        }
    }

    /// Starts one more TaskManager; `environment` overrides the cluster's (e.g. a wrong secret).
    @discardableResult
    public func startTaskManager(slots: Int = 2, environment overrides: [String: String] = [:]) throws -> ManagedProcess {
        started += 1
        let process = try ManagedProcess(
            name: "taskmanager-\(started)", executable: try RepositoryLayout.executable("taskmanager"),
            arguments: ["join", "--jobmanager", rpcAddress, "--slots", "\(slots)"],
            environment: environment.merging(overrides) { _, new in new }, logDirectory: logDirectory)
        taskManagers.append(process)
        return process
    }

    /// Waits until `/overview` reports exactly `count` TaskManagers.
    public func waitForTaskManagers(_ count: Int, timeout: Duration = .seconds(20)) async throws {
        try await waitUntil("\(count) TaskManagers in /overview", timeout: timeout) {
            try await rest.taskManagerCount() == count
        }
    }

    /// The TaskManager process with OS process id `pid` (as `GET /taskmanagers` reports it).
    public func taskManager(pid: Int32) -> ManagedProcess? {
        taskManagers.first { $0.pid == pid }
    }

    public func stop() async {
        for process in taskManagers { await process.stop() }
        for process in formerJobManagers + [jobManager].compactMap({ $0 }) { await process.stop() }
    }

    /// All captured output, for failure messages.
    public func logs() -> String {
        (formerJobManagers + [jobManager].compactMap { $0 } + taskManagers).map { "=== \($0.name)\n\($0.output())" }.joined(separator: "\n")
    }
}
