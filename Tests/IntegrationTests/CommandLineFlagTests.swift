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
