/// What the coordinator writes about its job into every checkpoint's metadata.
///
/// A plain value given once by the JobMaster. `lineage` stays the same across restarts and
/// resumes (the id of the job that first ran the pipeline) and names the storage directory.
public struct CheckpointJobInfo: Sendable, Equatable {
    public var jobID: String
    public var lineage: String
    public var jobName: String
    /// The job spec YAML as submitted, so a checkpoint alone is enough to resume the job.
    public var specYAML: String

    public init(jobID: String, lineage: String, jobName: String, specYAML: String) {
        self.jobID = jobID
        self.lineage = lineage
        self.jobName = jobName
        self.specYAML = specYAML
    }
}
