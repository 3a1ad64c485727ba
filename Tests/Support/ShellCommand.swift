import Foundation

/// Runs a command to completion (cluster scripts, `cc`), returning its combined output.
public enum ShellCommand {
    /// Runs the command and throws, with its output, unless it exits 0.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let (status, output) = try execute(executable, arguments, environment: environment)
        guard status == 0 else {
            throw TestSupportError.commandFailed(command: ([executable] + arguments).joined(separator: " "), status: status, output: output)
        }
        return output
    }

    /// Runs the command and returns its exit status and combined output, whatever the status.
    /// `directory`: the working directory (default: the test's).
    public static func execute(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                               directory: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        if let directory { process.currentDirectoryURL = directory }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
