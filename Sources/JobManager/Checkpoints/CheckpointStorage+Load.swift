import Foundation

extension CheckpointStorage {
    /// Reads the metadata of a checkpoint given either its `chk-<n>` directory or its `_metadata`
    /// file. Throws `CheckpointStorageError` naming the path and what to do about it.
    public static func load(path: String) throws(CheckpointStorageError) -> CheckpointMetadata {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .missing(path: path) }
        let file = isDirectory.boolValue ? "\(path)/\(metadataFileName)" : path
        guard FileManager.default.fileExists(atPath: file) else { throw .missing(path: file) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw .unreadable(path: file, reason: "\(error.localizedDescription)")
        }
        return try decode(data, path: file)
    }

    /// A completed checkpoint from its `chk-<n>` directory or `_metadata` file (e.g. the HA
    /// pointer), with the directory as its external path.
    public static func loadCompleted(path: String) throws(CheckpointStorageError) -> CompletedCheckpoint {
        let metadata = try load(path: path)
        let standardized = (path as NSString).standardizingPath
        let directory = (standardized as NSString).lastPathComponent == metadataFileName
            ? (standardized as NSString).deletingLastPathComponent : standardized
        return CompletedCheckpoint(metadata: metadata, externalPath: directory)
    }

    private struct VersionProbe: Decodable {
        var formatVersion: Int
        enum CodingKeys: String, CodingKey { case formatVersion = "format_version" }
    }

    static func decode(_ data: Data, path: String) throws(CheckpointStorageError) -> CheckpointMetadata {
        let decoder = JSONDecoder()
        let version: Int
        do {
            version = try decoder.decode(VersionProbe.self, from: data).formatVersion
        } catch {
            throw .malformed(path: path, reason: "no format_version (\(error))")
        }
        guard version == CheckpointMetadata.currentFormatVersion else {
            throw .unsupportedVersion(path: path, found: version, supported: CheckpointMetadata.currentFormatVersion)
        }
        do {
            return try decoder.decode(CheckpointMetadata.self, from: data)
        } catch {
            throw .malformed(path: path, reason: "\(error)")
        }
    }
}
