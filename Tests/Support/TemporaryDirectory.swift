import Foundation

/// A fresh directory under the system temp dir; `remove()` deletes it.
public struct TemporaryDirectory: Sendable {
    public let url: URL
    public var path: String { url.path }

    public init(prefix: String = "sluice-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        // Services started as another user (PostgreSQL runs as `postgres` when we are root) need to enter it.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
