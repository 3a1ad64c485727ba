import Foundation
import Logging

/// The directory of one job lineage's checkpoints: `<checkpoints.dir>/<lineage>`.
///
/// Layout (fixed; TaskManagers write into it): `chk-<n>/` holds the tasks' private files
/// (`chk-<n>/<vertex>-<subtask>/<operator>/…`) and the metadata `chk-<n>/_metadata`; `shared/`
/// holds incremental files referenced by several checkpoints. Handle paths are relative to
/// `root`. Stateless apart from the root; blocking file I/O on the calling thread.
public struct CheckpointStorage: Sendable {
    public static let metadataFileName = "_metadata"
    public static let sharedDirectoryName = "shared"

    /// Absolute, standardized.
    public let root: String

    public init(root: String) throws(CheckpointStorageError) {
        guard root.hasPrefix("/") else { throw .relativeRoot(root) }
        self.root = (root as NSString).standardizingPath
    }

    /// `root/chk-<id>`.
    public func checkpointDirectory(_ checkpointID: UInt64) -> String {
        "\(root)/chk-\(checkpointID)"
    }

    public var sharedDirectory: String { "\(root)/\(Self.sharedDirectoryName)" }

    /// The checkpoint id of a directory named `chk-<n>`, nil for any other name.
    static func checkpointID(directoryName name: String) -> UInt64? {
        guard name.hasPrefix("chk-") else { return nil }
        return UInt64(name.dropFirst(4))
    }

    /// Writes `metadata` atomically into `chk-<n>/_metadata` (creating the directory if no task
    /// wrote private files) and returns the checkpoint's directory.
    @discardableResult
    public func writeMetadata(_ metadata: CheckpointMetadata) throws(CheckpointStorageError) -> String {
        let directory = checkpointDirectory(metadata.checkpointID)
        let path = "\(directory)/\(Self.metadataFileName)"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed(path: path, step: "create directory \(directory)", reason: "\(error)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(metadata)
        } catch {
            throw .writeFailed(path: path, step: "encode", reason: "\(error)")
        }
        try DurableFileWriter.write(data, to: path)
        return directory
    }

    /// Deletes `chk-<n>` with its private files (never shared files). Missing is fine.
    func deleteCheckpointDirectory(_ checkpointID: UInt64, logger: Logger) {
        let directory = checkpointDirectory(checkpointID)
        guard FileManager.default.fileExists(atPath: directory) else { return }
        do {
            try FileManager.default.removeItem(atPath: directory)
        } catch {
            logger.warning("could not delete checkpoint directory; delete it by hand",
                           metadata: ["checkpoint": "\(checkpointID)", "path": "\(directory)", "error": "\(error)"])
        }
    }

    /// Whether `path` (absolute) lies inside this storage root.
    public func contains(_ path: String) -> Bool {
        let standardized = (path as NSString).standardizingPath
        return standardized == root || standardized.hasPrefix(root + "/")
    }
}
