/// A checkpoint every task acknowledged and whose metadata is durable.
///
/// A value. `externalPath` is its absolute `chk-<n>` directory: what the HA pointer stores and
/// what `CheckpointStorage.load(path:)` reads back.
public struct CompletedCheckpoint: Sendable, Equatable {
    public var metadata: CheckpointMetadata
    public var externalPath: String

    public init(metadata: CheckpointMetadata, externalPath: String) {
        self.metadata = metadata
        self.externalPath = externalPath
    }

    public var id: UInt64 { metadata.checkpointID }
}
