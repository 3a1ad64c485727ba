import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started by a test, with its output captured to a log file.
///
/// Tests stop what they start: call `stop()` (SIGTERM, then SIGKILL) or `kill()` (SIGKILL, as
/// a crash would) in a `defer`. Not thread-safe; one test owns it.
public final class ManagedProcess: @unchecked Sendable {  // Foundation.Process is not Sendable; one test drives it.
    public let name: String
    public let logFile: URL
    private let process: Process

    /// Starts `executable` with `arguments`; `environment` is added to the test's own environment.
    public init(name: String, executable: URL, arguments: [String], environment: [String: String] = [:], logDirectory: URL) throws {
        self.name = name
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        logFile = logDirectory.appendingPathComponent("\(name).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        handle.seekToEndOfFile()
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    public var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }

    /// The captured output so far (for assertions and failure messages).
    public func output() -> String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    /// SIGKILL, as a crash would, and waits until the process is gone.
    public func kill() async throws {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        try await waitForExit(timeout: .seconds(10))
    }

    /// Sends any signal (SIGSTOP/SIGCONT freeze and thaw a process without closing its sockets).
    public func signal(_ number: Int32) {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, number)
    }

    /// SIGTERM; SIGKILL if it has not exited within `grace`.
    public func stop(grace: Duration = .seconds(5)) async {
        guard process.isRunning else { return }
        process.terminate()
        if (try? await waitForExit(timeout: grace)) == nil {
            Glibc.kill(process.processIdentifier, SIGKILL)
            try? await waitForExit(timeout: .seconds(10))
        }
    }

    public func waitForExit(timeout: Duration) async throws {
        try await waitUntil("\(name) (pid \(pid)) to exit", timeout: timeout, interval: .milliseconds(20)) { !process.isRunning }
    }
}
