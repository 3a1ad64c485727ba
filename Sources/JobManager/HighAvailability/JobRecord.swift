/// What the HA directory keeps of a job so a restarted JobManager can take it back.
///
/// One JSON file per job; written when the job is submitted, when an attempt starts and when a
/// checkpoint completes; removed when the job reaches a terminal state.
public struct JobRecord: Codable, Sendable, Equatable {
    public static let formatVersion = 1

    public var formatVersion: Int
    public var id: String
    public var lineage: String
    public var name: String
    /// The spec as submitted; parsed again (with `parallelism`) on recovery.
    public var specYAML: String
    public var parallelism: Int
    public var attempt: UInt32
    public var submittedAt: Int64
    /// The `_metadata` file of the latest completed checkpoint (or the one the job was resumed
    /// from); nil until there is one.
    public var latestCheckpoint: String?

    public init(id: String, lineage: String, name: String, specYAML: String, parallelism: Int, attempt: UInt32,
                submittedAt: Int64, latestCheckpoint: String?) {
        formatVersion = Self.formatVersion
        self.id = id
        self.lineage = lineage
        self.name = name
        self.specYAML = specYAML
        self.parallelism = parallelism
        self.attempt = attempt
        self.submittedAt = submittedAt
        self.latestCheckpoint = latestCheckpoint
    }
}
