import Hummingbird

/// `GET /jobs/:id/checkpoints` in Flink's shape (`CheckpointingStatistics`): counts, summary,
/// latest completed/savepoint/failed/restored, and the recent history, newest first.
struct CheckpointingStatisticsResponse: ResponseEncodable {
    struct Counts: Codable {
        var restored: Int
        var total: Int
        var inProgress: Int
        var completed: Int
        var failed: Int
        enum CodingKeys: String, CodingKey { case restored, total, inProgress = "in_progress", completed, failed }
    }

    struct MinMaxAvg: Codable {
        var min: Int64
        var max: Int64
        var avg: Int64
    }

    struct Summary: Codable {
        var stateSize: MinMaxAvg
        var checkpointedSize: MinMaxAvg
        var endToEndDuration: MinMaxAvg
        enum CodingKeys: String, CodingKey {
            case stateSize = "state_size", checkpointedSize = "checkpointed_size", endToEndDuration = "end_to_end_duration"
        }
    }

    /// One checkpoint of `history` / `latest` (Flink's Completed/Pending/FailedCheckpointStatistics).
    struct Checkpoint: Codable {
        var className: String
        var id: UInt64
        var status: String
        var isSavepoint: Bool
        var checkpointType: String
        var triggerTimestamp: Int64
        var latestAckTimestamp: Int64
        var stateSize: UInt64
        var checkpointedSize: UInt64
        var endToEndDuration: Int64
        var alignmentDuration: UInt64
        var numSubtasks: Int
        var numAcknowledgedSubtasks: Int
        var externalPath: String?
        var discarded: Bool?
        var failureTimestamp: Int64?
        var failureMessage: String?

        enum CodingKeys: String, CodingKey {
            case className, id, status, discarded
            case isSavepoint = "is_savepoint", checkpointType = "checkpoint_type", triggerTimestamp = "trigger_timestamp"
            case latestAckTimestamp = "latest_ack_timestamp", stateSize = "state_size", checkpointedSize = "checkpointed_size"
            case endToEndDuration = "end_to_end_duration", alignmentDuration = "alignment_duration", numSubtasks = "num_subtasks"
            case numAcknowledgedSubtasks = "num_acknowledged_subtasks", externalPath = "external_path"
            case failureTimestamp = "failure_timestamp", failureMessage = "failure_message"
        }

        init(_ stats: CheckpointStats) {
            id = stats.id
            status = stats.status.rawValue
            isSavepoint = false
            checkpointType = stats.isFinal ? "FINAL_CHECKPOINT" : "CHECKPOINT"
            triggerTimestamp = stats.triggerTimestamp
            latestAckTimestamp = stats.latestAckTimestamp
            stateSize = stats.stateSize
            checkpointedSize = stats.uploadedSize
            endToEndDuration = stats.endToEndDuration
            alignmentDuration = stats.alignmentDuration
            numSubtasks = stats.numSubtasks
            numAcknowledgedSubtasks = stats.numAcknowledgedSubtasks
            switch stats.status {
            case .completed:
                className = ".CompletedCheckpointStatistics"
                externalPath = stats.externalPath
                discarded = stats.discarded
            case .failed:
                className = ".FailedCheckpointStatistics"
                failureTimestamp = stats.failureTimestamp
                failureMessage = stats.failureMessage
            case .inProgress:
                className = ".PendingCheckpointStatistics"
            }
        }
    }

    struct Restored: Codable {
        var id: UInt64
        var restoreTimestamp: Int64
        var isSavepoint: Bool
        var externalPath: String
        enum CodingKeys: String, CodingKey {
            case id, restoreTimestamp = "restore_timestamp", isSavepoint = "is_savepoint", externalPath = "external_path"
        }
    }

    /// Every key is always present, `null` when there is no such checkpoint, as Flink renders it.
    struct Latest: Codable {
        var completed: Checkpoint?
        var savepoint: Checkpoint?
        var failed: Checkpoint?
        var restored: Restored?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(completed, forKey: .completed)
            try container.encode(savepoint, forKey: .savepoint)
            try container.encode(failed, forKey: .failed)
            try container.encode(restored, forKey: .restored)
        }
    }

    var counts: Counts
    var summary: Summary
    var latest: Latest
    var history: [Checkpoint]

    init(_ snapshot: CheckpointStatsSnapshot) {
        counts = Counts(restored: snapshot.counts.restored, total: snapshot.counts.total, inProgress: snapshot.counts.inProgress,
                        completed: snapshot.counts.completed, failed: snapshot.counts.failed)
        let size = MinMaxAvg(snapshot.stateSize)
        summary = Summary(stateSize: size, checkpointedSize: MinMaxAvg(snapshot.uploadedSize), endToEndDuration: MinMaxAvg(snapshot.endToEndDuration))
        latest = Latest(completed: snapshot.latestCompleted.map(Checkpoint.init), savepoint: nil,
                        failed: snapshot.latestFailed.map(Checkpoint.init),
                        restored: snapshot.latestRestored.map {
                            Restored(id: $0.id, restoreTimestamp: $0.restoreTimestamp, isSavepoint: false, externalPath: $0.externalPath)
                        })
        history = snapshot.history.map(Checkpoint.init)
    }
}

extension CheckpointingStatisticsResponse.MinMaxAvg {
    init(_ summary: CheckpointStatsSnapshot.Summary) {
        self.init(min: summary.min, max: summary.max, avg: summary.average)
    }
}
