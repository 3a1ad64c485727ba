import Prometheus

/// The JobManager's Prometheus metrics; `render()` is what `/metrics` serves.
///
/// Thread-safe (the registry and its metrics are). Every series is created once, here, with its
/// help text, so each exists from start at 0 and no call site can register it differently.
/// Names follow Prometheus conventions: counters end in `_total`, families start with `sluice_`.
public final class JobManagerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let taskManagers: Gauge
    private let slotsTotal: Gauge
    private let slotsAvailable: Gauge
    private let connections: Counter
    private let membershipEvents: [String: Counter]
    private let rejections: [String: Counter]

    public static let membershipEventNames = ["joined", "rejoined", "lost"]
    /// Every reason a connection can be refused (`FrameError`/`HandshakeError` metric labels, plus
    /// `protocol_violation` after the handshake).
    public static let rejectionReasons = ["frame_too_large", "undecodable", "truncated", "version_mismatch",
                                          "cluster_mismatch", "unsupported_role", "bad_proof", "protocol_violation",
                                          "handshake_timeout", "closed_during_handshake", "rejected"]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        taskManagers = registry.makeGauge(name: "sluice_jobmanager_taskmanagers", help: "Registered TaskManagers.")
        slotsTotal = registry.makeGauge(name: "sluice_jobmanager_slots_total", help: "Task slots offered by registered TaskManagers.")
        slotsAvailable = registry.makeGauge(name: "sluice_jobmanager_slots_available", help: "Task slots not running a task.")
        connections = registry.makeCounter(name: "sluice_rpc_connections_total", help: "RPC connections accepted.")
        membershipEvents = Dictionary(uniqueKeysWithValues: Self.membershipEventNames.map { event in
            (event, registry.makeCounter(name: "sluice_jobmanager_membership_events_total", labels: [("event", event)],
                                         help: "TaskManager membership changes."))
        })
        rejections = Dictionary(uniqueKeysWithValues: Self.rejectionReasons.map { reason in
            (reason, registry.makeCounter(name: "sluice_rpc_rejected_connections_total", labels: [("reason", reason)],
                                          help: "RPC connections closed because of bad input or a failed handshake."))
        })
    }

    func setMembership(taskManagers: Int, slotsTotal: Int, slotsAvailable: Int) {
        self.taskManagers.set(Double(taskManagers))
        self.slotsTotal.set(Double(slotsTotal))
        self.slotsAvailable.set(Double(slotsAvailable))
    }

    func membershipEvent(_ event: String) {
        membershipEvents[event]?.increment()
    }

    func connectionAccepted() {
        connections.increment()
    }

    func connectionRejected(reason: String) {
        (rejections[reason] ?? rejections["protocol_violation"])?.increment()
    }

    /// The checkpoint series of job `job` (made on first use; the same series on every call).
    public func checkpoints(job: String) -> CheckpointMetrics {
        CheckpointMetrics(registry: registry, job: job)
    }

    public func render() -> String { registry.emitToString() }
}
