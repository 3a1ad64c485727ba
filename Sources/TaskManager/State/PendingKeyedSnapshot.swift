import Logging
import SluiceEngine
import SluiceProtocol

/// A RocksDB checkpoint taken on the task thread and not yet in checkpoint storage.
///
/// Owns the local checkpoint directory until `upload()` or `discard()` deletes it; call exactly
/// one of them, on any thread. The database itself is not touched any more: the local directory
/// holds hard links to immutable SST files plus copies of the small metadata files.
public struct PendingKeyedSnapshot: Sendable {
    let snapshotter: KeyedStateSnapshotter
    public let checkpointID: UInt64
    let operatorID: String
    let keyGroups: KeyGroupRange
    let localDirectory: String

    /// Uploads the SST files the last completed checkpoint did not already hold and the private
    /// files, then deletes the local checkpoint directory (also when the upload fails).
    public func upload() throws -> KeyedSnapshotResult {
        defer { discard() }
        let jobRoot = snapshotter.jobRoot
        let privatePath = "chk-\(checkpointID)/\(snapshotter.taskName)/\(operatorID)"
        let sharedDirectory = jobRoot + "/" + KeyedStateHandle.sharedDirectory
        try CheckpointFiles.makeDirectories(jobRoot + "/" + privatePath)
        try CheckpointFiles.makeDirectories(sharedDirectory)
        let reusable = snapshotter.reusableFiles
        var referenced: [String: String] = [:]
        var stateSize: UInt64 = 0
        var uploadedBytes: UInt64 = 0
        for file in try CheckpointFiles.files(in: localDirectory) {
            let source = localDirectory + "/" + file.name
            stateSize += file.size
            guard file.name.hasSuffix(".sst") else {
                uploadedBytes += try CheckpointFiles.copy(from: source, to: "\(jobRoot)/\(privatePath)/\(file.name)", durable: true)
                continue
            }
            if let shared = reusable[file.name] {
                if CheckpointFiles.exists(jobRoot + "/" + shared) {
                    referenced[file.name] = shared
                    continue
                }
                // The last completed checkpoint still needs it, so someone deleted it too early.
                snapshotter.logger.warning("shared file of the last completed checkpoint is gone; uploading it again",
                                           metadata: ["checkpoint": "\(checkpointID)", "file": "\(shared)"])
            }
            let shared = snapshotter.sharedPath(for: file.name, checkpointID: checkpointID)
            uploadedBytes += try CheckpointFiles.copy(from: source, to: jobRoot + "/" + shared, durable: true)
            referenced[file.name] = shared
        }
        try syncDirectories(jobRoot: jobRoot, privatePath: privatePath)
        snapshotter.recordUploaded(checkpointID: checkpointID, files: referenced)
        snapshotter.logger.info("keyed state snapshot uploaded", metadata: [
            "checkpoint": "\(checkpointID)", "stateBytes": "\(stateSize)", "uploadedBytes": "\(uploadedBytes)",
            "sharedFiles": "\(referenced.count)", "reusedFiles": "\(referenced.count { reusable[$0.key] == $0.value })",
        ])
        return KeyedSnapshotResult(handle: handle(privatePath: privatePath, sharedFiles: referenced, size: stateSize),
                                   stateSize: stateSize, uploadedBytes: uploadedBytes)
    }

    /// Drops the local checkpoint without uploading (checkpoint aborted, task cancelled).
    public func discard() {
        do {
            try CheckpointFiles.removeTree(localDirectory)
        } catch {
            // Only costs disk space until the task's state directory is removed; not worth failing over.
            snapshotter.logger.warning("cannot remove local checkpoint directory", metadata: [
                "checkpoint": "\(checkpointID)", "error": "\(error)",
            ])
        }
    }

    /// Makes the new files and directories durable before the JobManager may reference them.
    private func syncDirectories(jobRoot: String, privatePath: String) throws {
        var directory = privatePath
        while !directory.isEmpty {
            try CheckpointFiles.syncDirectory(jobRoot + "/" + directory)
            directory = directory.split(separator: "/").dropLast().joined(separator: "/")
        }
        try CheckpointFiles.syncDirectory(jobRoot + "/" + KeyedStateHandle.sharedDirectory)
        try CheckpointFiles.syncDirectory(jobRoot)
    }

    private func handle(privatePath: String, sharedFiles: [String: String], size: UInt64) -> _ProtoStateHandle {
        var handle = _ProtoStateHandle()
        handle.operatorID = operatorID
        handle.kind = KeyedStateHandle.kind
        handle.path = privatePath
        handle.sizeBytes = size
        handle.keyGroups.start = UInt32(clamping: keyGroups.start)
        handle.keyGroups.end = UInt32(clamping: keyGroups.end)
        handle.sharedFiles = sharedFiles.sorted { $0.key < $1.key }.map { KeyedStateHandle.entry(localName: $0.key, sharedPath: $0.value) }
        handle.subtaskIndex = UInt32(clamping: snapshotter.subtask)
        return handle
    }
}
