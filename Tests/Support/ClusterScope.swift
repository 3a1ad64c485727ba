import Foundation

/// Runs `body` with a started cluster and always stops it, also when the body throws.
/// `removeFilesOnSuccess` deletes the cluster's folder (logs, checkpoints, HA records) after a
/// body that returned, for tests whose checkpoints are large; a failure always keeps them.
public func withLocalCluster<T>(
    _ name: String, settings: [String: String] = [:], removeFilesOnSuccess: Bool = false, _ body: (LocalCluster) async throws -> T
) async throws -> T {
    let cluster = try LocalCluster(name: name, settings: settings)
    do {
        let result = try await body(cluster)
        await cluster.stop()
        if removeFilesOnSuccess { try? FileManager.default.removeItem(at: cluster.logDirectory) }
        return result
    } catch {
        let logs = cluster.logs()
        await cluster.stop()
        throw ClusterTestFailure(underlying: error, logs: logs)
    }
}

/// A failed cluster test, carrying the processes' output so the failure explains itself.
public struct ClusterTestFailure: Error, CustomStringConvertible {
    public var underlying: any Error
    public var logs: String
    public var description: String { "\(underlying)\n--- process logs ---\n\(logs.suffix(8_000))" }
}
