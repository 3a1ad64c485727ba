import Foundation

/// A private PostgreSQL server for tests, started through `cluster/postgres.sh` (the same
/// script `make run` uses) in a fresh temporary cluster folder on a free port.
///
/// Owns the server process and the folder: `stop()` stops the server and deletes the folder
/// (and the script's /tmp fallback folder, if it used one). Call it in a `defer` right after
/// `start()` so the server is stopped when the test fails too.
public final class PostgresServer: Sendable {
    /// `postgresql://sluice@127.0.0.1:PORT/sluice` (role `sluice` is a superuser, trust auth).
    public let url: String
    public let port: Int
    /// The cluster folder (`SLUICE_CLUSTER_DIR`) holding data and logs.
    public let directory: TemporaryDirectory

    private init(url: String, port: Int, directory: TemporaryDirectory) {
        self.url = url
        self.port = port
        self.directory = directory
    }

    /// Starts a server; retries on another port if the chosen one was taken meanwhile.
    public static func start(attempts: Int = 3) throws -> PostgresServer {
        var lastError: (any Error)?
        for _ in 0..<max(1, attempts) {
            let directory = try TemporaryDirectory(prefix: "sluice-pg")
            let port = try FreePort.next()
            do {
                try ShellCommand.run("/bin/bash", [script, "start"], environment: environment(directory: directory, port: port))
                let url = try String(contentsOf: directory.url.appendingPathComponent("postgres.url"), encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                return PostgresServer(url: url, port: port, directory: directory)
            } catch {
                lastError = error
                cleanUp(directory: directory, port: port)
            }
        }
        throw lastError ?? TestSupportError.timedOut("PostgreSQL to start")
    }

    /// The server's log so far (for failure messages).
    public func log() -> String {
        (try? String(contentsOf: directory.url.appendingPathComponent("logs/postgres.log"), encoding: .utf8)) ?? ""
    }

    /// Stops the server (fast shutdown: open sessions are cut, prepared transactions survive)
    /// but keeps its data, so `startAgain()` brings the same database back on the same port.
    public func shutDown() throws {
        try ShellCommand.run("/bin/bash", [Self.script, "stop"], environment: Self.environment(directory: directory, port: port))
    }

    /// Starts the server again after `shutDown()`: same data folder, same port, same URL.
    public func startAgain() throws {
        try ShellCommand.run("/bin/bash", [Self.script, "start"], environment: Self.environment(directory: directory, port: port))
    }

    /// Stops the server (fast shutdown) and removes its folder.
    public func stop() {
        Self.cleanUp(directory: directory, port: port)
    }

    private static var script: String { RepositoryLayout.clusterScript("postgres.sh").path }

    private static func environment(directory: TemporaryDirectory, port: Int) -> [String: String] {
        ["SLUICE_CLUSTER_DIR": directory.path, "SLUICE_PG_PORT": "\(port)"]
    }

    private static func cleanUp(directory: TemporaryDirectory, port: Int) {
        _ = try? ShellCommand.run("/bin/bash", [script, "stop"], environment: environment(directory: directory, port: port))
        let location = directory.url.appendingPathComponent("postgres.location")
        if let fallback = try? String(contentsOf: location, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           fallback.hasPrefix("/tmp/sluice-postgres-") {
            try? FileManager.default.removeItem(atPath: fallback)
        }
        directory.remove()
    }
}
