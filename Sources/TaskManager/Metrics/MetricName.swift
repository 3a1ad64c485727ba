import Prometheus

/// Names and help texts of the TaskManager's series, in one place so every registration of a
/// family is identical (the registry requires one help text per name).
///
/// Conventions (Prometheus): `sluice_` prefix, base units, counters end in `_total`, units
/// before it (`_seconds_total`, `_bytes_total`).
/// (Computed: `MetricNameDescriptor` is not `Sendable`, so it cannot be a stored static.)
/// Operators' own gauge and histogram families are declared with their kinds (`MetricFamily`).
enum MetricName {
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
    static var residentMemory: MetricNameDescriptor {
        descriptor("process_resident_memory", "bytes", "Resident set size of the TaskManager process.")
    }
    static var cpu: MetricNameDescriptor {
        descriptor("process_cpu", "seconds_total", "User and system CPU time of the TaskManager process.")
    }
}
