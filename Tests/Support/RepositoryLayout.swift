import Foundation

/// Where the package's files and built executables are, for tests that start real processes.
public enum RepositoryLayout {
    /// The package root (the folder holding Package.swift).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// The folder holding `jobmanager`, `taskmanager`, `sluice`, `devbroker`: `SLUICE_BIN_DIR`
    /// (the Makefile sets it to `swift build --show-bin-path`), else the test bundle's own folder.
    public static let binDirectory: URL = {
        if let dir = ProcessInfo.processInfo.environment["SLUICE_BIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }()

    /// A built executable of this package; throws with the fix when it has not been built.
    public static func executable(_ name: String) throws -> URL {
        let url = binDirectory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw TestSupportError.missingExecutable(url.path)
        }
        return url
    }

    /// A script under `cluster/`.
    public static func clusterScript(_ name: String) -> URL {
        root.appendingPathComponent("cluster").appendingPathComponent(name)
    }

    /// The text of `cluster/schema.sql`, the schema every cluster start applies (idempotent).
    public static func schemaSQL() throws -> String {
        try String(contentsOf: clusterScript("schema.sql"), encoding: .utf8)
    }
}
