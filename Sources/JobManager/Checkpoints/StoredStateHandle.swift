import Foundation
import SluiceProtocol

/// One operator state handle as kept in checkpoint metadata: the JSON twin of `_ProtoStateHandle`.
///
/// A plain value; converts both ways without loss so a restored task receives exactly what
/// it acknowledged. `path` and `sharedFiles` are relative to the storage root; `inlineData` is
/// encoded as base64 in JSON.
public struct StoredStateHandle: Codable, Sendable, Equatable {
    /// An inclusive key-group range (kept as plain numbers: metadata is external input and must
    /// never trap on a bad range, unlike `KeyGroupRange`).
    public struct KeyGroups: Codable, Sendable, Equatable {
        public var start: UInt32
        public var end: UInt32
    }

    public var operatorID: String
    public var kind: String
    public var path: String
    public var sizeBytes: UInt64
    public var keyGroups: KeyGroups?
    /// Entries `"<local name>=shared/<unique name>"`.
    public var sharedFiles: [String]
    public var inlineData: Data
    public var subtaskIndex: UInt32

    enum CodingKeys: String, CodingKey {
        case operatorID = "operator_id", kind, path, sizeBytes = "size_bytes", keyGroups = "key_groups"
        case sharedFiles = "shared_files", inlineData = "inline_data", subtaskIndex = "subtask_index"
    }

    public init(_ handle: _ProtoStateHandle) {
        operatorID = handle.operatorID
        kind = handle.kind
        path = handle.path
        sizeBytes = handle.sizeBytes
        keyGroups = handle.hasKeyGroups ? KeyGroups(start: handle.keyGroups.start, end: handle.keyGroups.end) : nil
        sharedFiles = handle.sharedFiles
        inlineData = handle.inlineData
        subtaskIndex = handle.subtaskIndex
    }

    public var proto: _ProtoStateHandle {
        var handle = _ProtoStateHandle()
        handle.operatorID = operatorID
        handle.kind = kind
        handle.path = path
        handle.sizeBytes = sizeBytes
        if let keyGroups {
            handle.keyGroups.start = keyGroups.start
            handle.keyGroups.end = keyGroups.end
        }
        handle.sharedFiles = sharedFiles
        handle.inlineData = inlineData
        handle.subtaskIndex = subtaskIndex
        return handle
    }

    /// The storage-relative paths of the shared files (`shared/<unique name>`), without local names.
    public var sharedPaths: [String] {
        sharedFiles.compactMap { entry in
            guard let separator = entry.firstIndex(of: "=") else { return nil }
            let path = entry[entry.index(after: separator)...]
            return path.isEmpty ? nil : String(path)
        }
    }
}
