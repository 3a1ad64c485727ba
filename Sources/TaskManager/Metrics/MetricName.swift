import Prometheus

/// Names and help texts of the TaskManager's series, in one place so every registration of a
/// family is identical (the registry requires one help text per name).
///
/// Conventions (Prometheus): `sluice_` prefix, base units, counters end in `_total`, units
/// before it (`_seconds_total`, `_bytes_total`).
/// (Computed: `MetricNameDescriptor` is not `Sendable`, so it cannot be a stored static.)
/// The histograms rendered by `HistogramFamilies` are named in `histograms`.
enum MetricName {
    /// A histogram family `HistogramFamilies` renders: full name and help text.
    struct Histogram: Sendable {
        var name: String
        var help: String
    }

    static let sinkBatchRows = Histogram(name: "sluice_sink_batch_rows",
        help: "Rows per committed sink batch: per epoch transaction (exactly-once) or per upsert batch (at-least-once).")
    static let sinkCommit = Histogram(name: "sluice_sink_commit_seconds",
        help: "Round trip of the sink's COMMIT PREPARED, final COMMIT, or autocommit upsert (at-least-once).")
    static let sinkPreparedToCommit = Histogram(name: "sluice_sink_prepared_to_commit_seconds",
        help: "Time from PREPARE TRANSACTION at a barrier to its COMMIT PREPARED after the checkpoint completed (exactly-once).")
    static let endToEndLatency = Histogram(name: "sluice_end_to_end_latency_seconds",
        help: "Commit wall time minus checkout event time, per committed attributed row (includes the watermark delay; replays land in the top buckets).")

    static func descriptor(_ name: String, _ unit: String = "", _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "sluice", metricName: name, unitName: unit, helpText: help)
    }

    static var recordsIn: MetricNameDescriptor {
        descriptor("task_records_in", "total", "Records a subtask received from its input channels.")
    }
    static var recordsOut: MetricNameDescriptor {
        descriptor("task_records_out", "total", "Records a subtask sent to its output channels.")
    }
    static var bytesIn: MetricNameDescriptor {
        descriptor("task_input", "bytes_total", "Payload bytes a subtask received from its input channels.")
    }
    static var bytesOut: MetricNameDescriptor {
        descriptor("task_output", "bytes_total", "Payload bytes a subtask sent to its output channels.")
    }
    static var backPressured: MetricNameDescriptor {
        descriptor("task_back_pressured", "seconds_total",
            "Time a subtask was blocked sending, waiting for credit from a slow consumer.")
    }
    static var watermark: MetricNameDescriptor {
        descriptor("task_watermark", "seconds",
            "Current event-time watermark of a subtask (Unix seconds; NaN before the first). Per chain: operators chained into one task share it; vertex is the chain's first operator.")
    }
    static var watermarkLag: MetricNameDescriptor {
        descriptor("task_watermark_lag", "seconds",
            "Wall clock minus the subtask's watermark (NaN before the first; 0 once input ended). Per chain, like sluice_task_watermark_seconds.")
    }
    static var checkpointsAcknowledged: MetricNameDescriptor {
        descriptor("task_checkpoints_acknowledged", "total",
            "Checkpoints a subtask snapshotted and acknowledged.")
    }
    static var lastCheckpoint: MetricNameDescriptor {
        descriptor("task_checkpoint_last_acknowledged_id", "",
            "Id of the latest checkpoint a subtask acknowledged.")
    }
    static var alignment: MetricNameDescriptor {
        descriptor("task_checkpoint_alignment", "seconds",
            "Time from a subtask's first barrier of a checkpoint to the last (barrier alignment).")
    }
    static var synchronous: MetricNameDescriptor {
        descriptor("task_checkpoint_sync", "seconds",
            "Synchronous part of a subtask's snapshot: the task processes nothing meanwhile.")
    }
    static var asynchronous: MetricNameDescriptor {
        descriptor("task_checkpoint_async", "seconds",
            "Asynchronous part of a subtask's snapshot: uploading keyed state.")
    }
    static var checkpointSize: MetricNameDescriptor {
        descriptor("task_checkpoint_last_size", "bytes",
            "State size of the latest checkpoint a subtask acknowledged.")
    }
    static var operatorCounter: MetricNameDescriptor {
        descriptor("operator_events", "total",
            "Per-operator event counts (label `event`: attributed, unattributed, late, dead_lettered, …).")
    }
    static var consumerLag: MetricNameDescriptor {
        descriptor("kafka_consumer_lag", "records",
            "Records between a source subtask's next offset and the partition's end (high watermark, or a bounded read's end offset), from librdkafka's cached watermarks, refreshed about once a second.")
    }
    static var cacheHitRatio: MetricNameDescriptor {
        descriptor("user_cache_hit_ratio", "",
            "Share of user lookups the enrichment cache answered since the subtask started (NaN before the first lookup).")
    }
    static var residentMemory: MetricNameDescriptor {
        descriptor("process_resident_memory", "bytes", "Resident set size of the TaskManager process.")
    }
    static var cpu: MetricNameDescriptor {
        descriptor("process_cpu", "seconds_total", "User and system CPU time of the TaskManager process.")
    }
}
