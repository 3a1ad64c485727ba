import SluiceEngine
import SluiceProtocol

/// A `keyed-rocksdb` state handle read back from checkpoint metadata and validated: which
/// checkpoint it belongs to, where its private files are, which shared SST files it references
/// and which key groups it holds.
///
/// The metadata comes from disk, so nothing in it is trusted: paths may not leave the job's
/// checkpoint root, file names may not leave the directory they are restored into. A value of
/// this type only exists for a handle that passed those checks. Immutable; any thread.
struct KeyedStateHandle: Sendable {
    /// One referenced shared file: its name in the RocksDB directory and its path under the root.
    struct SharedFile: Sendable, Equatable {
        var localName: String
        var path: String
    }

    static let kind = "keyed-rocksdb"
    static let sharedDirectory = "shared"

    /// `chk-<n>`, for messages.
    let checkpoint: String
    /// The job's checkpoint root the handle's paths are relative to.
    let jobRoot: String
    /// Absolute directory of the private (non-SST) files.
    let privateDirectory: String
    let sharedFiles: [SharedFile]
    let keyGroups: KeyGroupRange
    let subtask: Int

    init(_ handle: _ProtoStateHandle, jobRoot: String) throws(KeyedStateError) {
        let components = handle.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        checkpoint = components.first ?? ""
        guard components.count >= 2, checkpoint.hasPrefix("chk-"), components.allSatisfy(Self.isPlainName) else {
            throw .invalidHandle(checkpoint: handle.path, reason: "path '\(handle.path)' is not chk-<n>/<task>/<operator>")
        }
        let range = handle.keyGroups
        guard handle.hasKeyGroups, range.start <= range.end, range.end < 32_768 else {
            throw .invalidHandle(checkpoint: checkpoint, reason: "key-group range \(range.start)...\(range.end)")
        }
        var seen: Set<String> = []
        var files: [SharedFile] = []
        for entry in handle.sharedFiles {
            guard let file = Self.parse(entry), seen.insert(file.localName).inserted else {
                throw .invalidHandle(checkpoint: checkpoint, reason: "shared-file entry '\(entry)' is not a unique <file>=shared/<name>")
            }
            files.append(file)
        }
        self.jobRoot = jobRoot
        privateDirectory = jobRoot + "/" + handle.path
        sharedFiles = files
        keyGroups = KeyGroupRange(start: Int(range.start), end: Int(range.end))
        subtask = Int(handle.subtaskIndex)
    }

    /// Where a referenced shared file is in checkpoint storage.
    func storagePath(of file: SharedFile) -> String {
        jobRoot + "/" + file.path
    }

    /// The shared files as `KeyedStateSnapshotter` takes them for reuse.
    var reusable: [String: String] {
        Dictionary(sharedFiles.map { ($0.localName, $0.path) }, uniquingKeysWith: { first, _ in first })
    }

    /// The `shared_files` entry of a handle: `<local file name>=shared/<unique name>`.
    static func entry(localName: String, sharedPath: String) -> String {
        localName + "=" + sharedPath
    }

    private static func parse(_ entry: String) -> SharedFile? {
        guard let separator = entry.firstIndex(of: "=") else { return nil }
        let localName = String(entry[..<separator])
        let path = String(entry[entry.index(after: separator)...])
        let pathComponents = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard isPlainName(localName), pathComponents.count == 2, pathComponents[0] == sharedDirectory,
              isPlainName(pathComponents[1]) else { return nil }
        return SharedFile(localName: localName, path: path)
    }

    /// A single path component that stays where it is put.
    private static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
    }
}
