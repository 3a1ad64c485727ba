import Foundation
import SluiceTestSupport
import Testing

/// The attribution pipeline on six hosts of a `NetnsCluster`: `jm` (JobManager), `tm1`…`tm3`
/// (TaskManagers, two slots each), `pg` (PostgreSQL) and `kafka` (the dev broker). Every process
/// binds and advertises its own host's address; nothing of it is reachable from the test's own
/// network namespace, so the test drives the cluster from inside (`curl` and `sluice` run in the
/// `kafka` host, which also produces the input and runs `sluice verify`).
///
/// The dev broker (librdkafka's mock cluster) binds and advertises 127.0.0.1 only; `netns.sh
/// relay` makes its port reachable from every host as 127.0.0.1:PORT over the bridge, so a host
/// cut off from the others loses Kafka as it would a real broker. The Sluice processes talk over
/// mutual TLS (`sluice certs init`, certificates naming every host). One test owns it; `stop()`
/// kills everything and deletes the namespaces.
final class MultiHostCluster: @unchecked Sendable {  // driven by the one test that made it
    static let hosts = ["jm", "tm1", "tm2", "tm3", "pg", "kafka"]

    let net: NetnsCluster
    let work: TemporaryDirectory
    let secret = "test-secret-\(UUID().uuidString)"
    let token = "token-\(UUID().uuidString)"
    let postgresURL: String
    let kafkaBootstrap: String
    private(set) var jobManager: ManagedProcess?
    private(set) var taskManagers: [String: ManagedProcess] = [:]
    private var started = 0

    /// HTTPS (`rest.tls: server`), with the JobManager's certificate naming its address.
    var restURL: String { "https://\(net.address("jm")):8081" }
    /// What `sluice certs init` wrote: the cluster CA and the processes' certificates.
    let certificates: CertificateDirectory
    var logDirectory: URL { work.url.appendingPathComponent("logs") }

    /// The hosts, PostgreSQL with the schema, and the dev broker with `topics`.
    init(topics: [String]) throws {
        net = try NetnsCluster.create(hosts: Self.hosts)
        work = try TemporaryDirectory(prefix: "sluice-multihost")
        do {
            try token.write(to: work.url.appendingPathComponent("rest-token"), atomically: true, encoding: .utf8)
            try Self.check(net.execute(on: "pg", "/bin/bash", [RepositoryLayout.clusterScript("postgres.sh").path, "start"],
                                       environment: Self.postgresEnvironment(work: work, net: net)), "postgres.sh start")
            postgresURL = "postgresql://sluice@\(net.address("pg")):5432/sluice"
            let kafkaDirectory = work.url.appendingPathComponent("kafka")
            try Self.check(net.execute(on: "kafka", "/bin/bash", [RepositoryLayout.clusterScript("devbroker.sh").path, "start"],
                                       environment: ["SLUICE_CLUSTER_DIR": kafkaDirectory.path,
                                                     "SLUICE_BIN_DIR": RepositoryLayout.binDirectory.path,
                                                     "SLUICE_KAFKA_TOPICS": topics.joined(separator: ",")]), "devbroker.sh start")
            // Mutual TLS between the Sluice processes, with certificates that name every host.
            let network = net
            (certificates, _) = try CertificateDirectory.initialize(work.url.appendingPathComponent("certs").path,
                                                                    hosts: Self.hosts.map { network.address($0) })
            kafkaBootstrap = try String(contentsOf: kafkaDirectory.appendingPathComponent("kafka.bootstrap"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            for address in kafkaBootstrap.split(separator: ",") {
                guard let port = address.split(separator: ":").last else { continue }
                try ShellCommand.run("/bin/bash", [RepositoryLayout.clusterScript("netns.sh").path, "relay", net.name, "kafka", String(port)])
            }
        } catch {
            net.destroy()
            work.remove()
            throw error
        }
    }

    /// How `cluster/postgres.sh` finds this cluster's server (on the `pg` host, port 5432).
    private static func postgresEnvironment(work: TemporaryDirectory, net: NetnsCluster) -> [String: String] {
        ["SLUICE_CLUSTER_DIR": work.url.appendingPathComponent("pg").path, "SLUICE_PG_HOST": net.address("pg"), "SLUICE_PG_PORT": "5432"]
    }

    /// Stops PostgreSQL (fast shutdown: sessions are cut, prepared transactions survive), keeps it
    /// down until `noticed` holds (the job has felt the outage), and starts it again on the same
    /// host, port and data.
    func restartPostgres(downUntil what: String, _ noticed: () async throws -> Bool) async throws {
        try Self.check(net.execute(on: "pg", "/bin/bash", [RepositoryLayout.clusterScript("postgres.sh").path, "stop"],
                                   environment: Self.postgresEnvironment(work: work, net: net)), "postgres.sh stop")
        try await waitUntil(what, timeout: .seconds(60), interval: .milliseconds(250), noticed)
        try Self.check(net.execute(on: "pg", "/bin/bash", [RepositoryLayout.clusterScript("postgres.sh").path, "start"],
                                   environment: Self.postgresEnvironment(work: work, net: net)), "postgres.sh start")
    }

    private static func check(_ result: (status: Int32, output: String), _ what: String) throws {
        guard result.status == 0 else { throw TestSupportError.commandFailed(command: what, status: result.status, output: result.output) }
    }

    /// What every Sluice process of the cluster shares.
    private var clusterEnvironment: [String: String] {
        ["SLUICE_CLUSTER_SECRET": secret, "SLUICE_CLUSTER_ID": "multihost",
         "SLUICE_JOBMANAGER_ADDRESS": "\(net.address("jm")):6123",
         "SLUICE_CHECKPOINTS_DIR": work.url.appendingPathComponent("checkpoints").path,
         "SLUICE_HIGH_AVAILABILITY_DIR": work.url.appendingPathComponent("ha").path,
         "SLUICE_POSTGRES_URL": postgresURL, "SLUICE_KAFKA_BOOTSTRAP": kafkaBootstrap,
         "SLUICE_HEARTBEAT_TIMEOUT_MS": "4000"]
    }

    /// Starts (or restarts) the JobManager on `jm`, REST guarded by the token, and waits for it.
    func startJobManager() async throws {
        started += 1
        jobManager = try net.start("jobmanager-\(started)", on: "jm", executable: try RepositoryLayout.executable("jobmanager"),
                                   arguments: ["start"],
                                   environment: clusterEnvironment.merging([
                                       "SLUICE_JOBMANAGER_BIND": net.address("jm"),
                                       "SLUICE_REST_TOKEN_FILE": work.url.appendingPathComponent("rest-token").path,
                                       "SLUICE_REST_TLS": "server",
                                   ]) { _, new in new }.merging(certificates.environment("jobmanager")) { _, new in new }, logDirectory: logDirectory)
        try await waitUntil("JobManager REST on \(restURL)", timeout: .seconds(20), interval: .milliseconds(200)) {
            guard jobManager?.isRunning == true else {
                throw TestSupportError.commandFailed(command: "jobmanager", status: jobManager?.exitStatus ?? -1, output: jobManager?.output() ?? "")
            }
            return (try? rest("GET", "/overview").status) == 200
        }
    }

    /// Starts the TaskManager of `host`, binding and advertising the host's address.
    @discardableResult
    /// `environment` adds or overrides variables (e.g. its own heartbeat timeout).
    func startTaskManager(on host: String, slots: Int = 2, environment overrides: [String: String] = [:]) throws -> ManagedProcess {
        started += 1
        let process = try net.start("taskmanager-\(host)-\(started)", on: host, executable: try RepositoryLayout.executable("taskmanager"),
                                    arguments: ["join", "--jobmanager", "\(net.address("jm")):6123", "--slots", "\(slots)"],
                                    environment: clusterEnvironment.merging([
                                        "SLUICE_TASKMANAGER_BIND": net.address(host), "SLUICE_TASKMANAGER_HOST": net.address(host),
                                        "SLUICE_TASKMANAGER_WORK_DIR": work.url.appendingPathComponent("work-\(host)").path,
                                    ]) { _, new in new }.merging(certificates.environment("taskmanager")) { _, new in new }
                                        .merging(overrides) { _, new in new }, logDirectory: logDirectory)
        taskManagers[host] = process
        return process
    }

    /// A REST call from inside the cluster (`curl` on the `kafka` host), with the token.
    func rest(_ method: String, _ path: String, body: String? = nil) throws -> (status: Int, text: String) {
        var arguments = ["-sS", "-m", "10", "--cacert", certificates.caFile,
                         "-X", method, "-H", "Authorization: Bearer \(token)", "-w", "\n%{http_code}"]
        if let body {
            let file = work.url.appendingPathComponent("body-\(UUID().uuidString).yaml")
            try body.write(to: file, atomically: true, encoding: .utf8)
            arguments += ["--data-binary", "@\(file.path)"]
        }
        let (status, output) = try net.execute(on: "kafka", "/usr/bin/curl", arguments + [restURL + path])
        guard status == 0, let newline = output.lastIndex(of: "\n"), let code = Int(output[output.index(after: newline)...]) else {
            throw TestSupportError.commandFailed(command: "curl \(method) \(path)", status: status, output: output)
        }
        return (code, String(output[..<newline]))
    }

    func restJSON(_ path: String) throws -> [String: Any] {
        let reply = try rest("GET", path)
        guard reply.status == 200, let object = try JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [String: Any] else {
            throw TestSupportError.commandFailed(command: "GET \(path)", status: Int32(reply.status), output: reply.text)
        }
        return object
    }

    /// The registered TaskManagers as `/taskmanagers` lists them.
    func registeredTaskManagers() throws -> [[String: Any]] {
        try restJSON("/taskmanagers")["taskmanagers"] as? [[String: Any]] ?? []
    }

    func waitForTaskManagers(_ count: Int, timeout: Duration = .seconds(30)) async throws {
        try await waitUntil("\(count) TaskManagers registered", timeout: timeout, interval: .milliseconds(250)) {
            (try? registeredTaskManagers().count) == count
        }
    }

    func submit(_ spec: String) throws -> String {
        let reply = try rest("POST", "/jobs", body: spec)
        guard reply.status == 202, let object = try? JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [String: Any],
              let id = object["jobid"] as? String else {
            throw TestSupportError.commandFailed(command: "POST /jobs", status: Int32(reply.status), output: reply.text)
        }
        return id
    }

    func jobProgress(_ id: String) throws -> JobProgress { try JobProgress(json: try restJSON("/jobs/\(id)")) }

    func waitForJob(_ id: String, state: String, timeout: Duration) async throws -> JobProgress {
        try await waitUntil("job \(id) \(state)", timeout: timeout, interval: .milliseconds(500)) {
            let progress = try jobProgress(id)
            if ["FAILED", "CANCELED"].contains(progress.state), progress.state != state {
                throw TestSupportError.commandFailed(command: "job \(id)", status: 1, output: "\(progress)\n\(logs())")
            }
            return progress.state == state
        }
        return try jobProgress(id)
    }

    /// `sluice` run on the `kafka` host (datagen, verify).
    func sluice(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try net.execute(on: "kafka", try RepositoryLayout.executable("sluice").path, arguments)
    }

    /// SQL run with psql on the `pg` host; returns the unaligned output.
    func sql(_ query: String) throws -> String {
        let (status, output) = try net.execute(on: "pg", "/usr/bin/psql", [postgresURL, "-X", "-tA", "-v", "ON_ERROR_STOP=1", "-c", query])
        guard status == 0 else { throw TestSupportError.commandFailed(command: "psql \(query)", status: status, output: output) }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func logs() -> String {
        ([jobManager].compactMap { $0 } + taskManagers.values).map { "=== \($0.name)\n\($0.output().suffix(4_000))" }
            .joined(separator: "\n")
    }

    /// Kills every process of the cluster and deletes its namespaces and files.
    func stop() {
        net.destroy()
        work.remove()
    }
}
