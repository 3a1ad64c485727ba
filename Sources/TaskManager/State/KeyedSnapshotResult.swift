import SluiceProtocol

/// What one uploaded keyed-state snapshot adds to a checkpoint acknowledgement.
public struct KeyedSnapshotResult: Sendable {
    /// The `keyed-rocksdb` handle for the checkpoint metadata.
    public var handle: _ProtoStateHandle
    /// Full size of the state: private files plus every shared file the handle references.
    public var stateSize: UInt64
    /// Bytes this snapshot wrote to checkpoint storage (new SST files and private files).
    public var uploadedBytes: UInt64
}
