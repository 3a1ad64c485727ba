import Foundation
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// Flags are checked as the config file and the environment are: a port outside 0–65535 is
    /// refused with the flag and the value, before anything starts.
    @Suite struct CommandLineFlagTests {
        @Test(arguments: [("jobmanager", ["start", "--rest-port", "99999"], "--rest-port must be 0...65535, got 99999"),
                          ("jobmanager", ["start", "--rpc-port", "65536"], "--rpc-port must be 0...65535, got 65536"),
                          ("taskmanager", ["join", "--data-port", "70000"], "--data-port must be 0...65535, got 70000")])
        func aPortOutOfRangeIsRefusedWithTheFlagAndValue(_ executable: String, _ arguments: [String], _ message: String) throws {
            let (status, output) = try ShellCommand.execute(try RepositoryLayout.executable(executable).path, arguments)
            #expect(status != 0, "\(output)")
            #expect(output.contains(message), "\(output)")
        }
    }
}

extension IntegrationSuite.CommandLineFlagTests {
    /// `make install` (cluster/install.sh) puts the commands on PATH as links that run.
    @Test func installLinksTheCommandsIntoPrefixBin() throws {
        let prefix = try TemporaryDirectory(prefix: "sluice-prefix")
        defer { prefix.remove() }
        let script = RepositoryLayout.clusterScript("install.sh").path
        let output = try ShellCommand.run("/bin/bash", [script],
                                          environment: ["SLUICE_BIN_DIR": RepositoryLayout.binDirectory.path, "PREFIX": prefix.path])
        #expect(output.contains("are in \(prefix.path)/bin"), "\(output)")
        let (status, help) = try ShellCommand.execute(prefix.path + "/bin/sluice", ["kinds", "tumbling-window"])
        #expect(status == 0 && help.contains("tumbling-window (operator)"), "\(help)")
        let again = try ShellCommand.run("/bin/bash", [script],
                                         environment: ["SLUICE_BIN_DIR": RepositoryLayout.binDirectory.path, "PREFIX": prefix.path])
        #expect(again.contains("are in"), "running it twice is fine")
    }
}

extension IntegrationSuite.CommandLineFlagTests {
    /// A misspelt `SLUICE_*` variable is refused by every command that reads the config, with
    /// the closest known name, before anything starts.
    @Test(arguments: [("jobmanager", ["start"]), ("taskmanager", ["join"]), ("sluice", ["datagen", "--users-only"])])
    func anUnknownSluiceVariableIsRefusedWithTheClosestName(_ executable: String, _ arguments: [String]) throws {
        let (status, output) = try ShellCommand.execute(try RepositoryLayout.executable(executable).path, arguments,
                                                        environment: ["SLUICE_JOBMANAGER_REST_PROT": "1",
                                                                      "SLUICE_CLUSTER_SECRET": "a-secret-of-the-test"])
        #expect(status != 0, "\(output)")
        #expect(output.contains("unknown environment variable SLUICE_JOBMANAGER_REST_PROT (did you mean SLUICE_JOBMANAGER_REST_PORT?)"),
                "\(output)")
    }

    /// `--rate 0` without `--events` would stamp event times ahead of the wall clock: refused
    /// with what to give instead, before anything is produced.
    @Test func datagenAsFastAsPossibleWithoutAnEndIsRefused() throws {
        let (status, output) = try ShellCommand.execute(try RepositoryLayout.executable("sluice").path,
                                                        ["datagen", "--skip-users", "--rate", "0", "--kafka", "127.0.0.1:1"])
        #expect(status != 0, "\(output)")
        #expect(output.contains("--rate") && output.contains("--events N") && output.contains("ahead of the wall clock"), "\(output)")
    }

    /// SIGTERM is how the scripts (and systemd, and Kubernetes) stop the processes: both shut down
    /// cleanly and exit 0, with no error printed.
    @Test func sigtermStopsTheTaskManagerAndTheJobManagerWithStatusZero() async throws {
        try await withLocalCluster("sigterm") { cluster in
            try await cluster.startJobManager()
            let taskManager = try cluster.startTaskManager()
            try await cluster.waitForTaskManagers(1)
            taskManager.signal(SIGTERM)
            try await taskManager.waitForExit(timeout: .seconds(15))
            #expect(taskManager.exitStatus == 0, "\(taskManager.output().suffix(2_000))")
            let jobManager = try #require(cluster.jobManager)
            jobManager.signal(SIGTERM)
            try await jobManager.waitForExit(timeout: .seconds(15))
            #expect(jobManager.exitStatus == 0, "\(jobManager.output().suffix(2_000))")
            #expect(!jobManager.output().contains("Error:"), "\(jobManager.output().suffix(2_000))")
        }
    }
}
