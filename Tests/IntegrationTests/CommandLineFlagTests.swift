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
