import Hummingbird

/// `GET /prometheus/targets`: the cluster's scrape targets in Prometheus's HTTP service-discovery
/// format (`http_sd_configs`), so a Prometheus pointed at the JobManager follows TaskManagers as
/// they come and go, whatever metrics port each one picked.
///
/// Stateless: every request reads the membership afresh through `taskManagers` (thread-safe, on
/// whichever event-loop thread serves the request). Invariants of the answer: one group per
/// registered TaskManager that reported a metrics port (labels `taskmanager`, `role`), in the
/// membership's order, then one group for the JobManager itself (`role: jobmanager`).
struct PrometheusTargetsRoute<Context: RequestContext> {
    /// One entry of the http_sd answer: addresses to scrape and labels attached to their series.
    struct TargetGroup: Encodable, Equatable {
        var targets: [String]
        var labels: [String: String]
    }

    /// The registered TaskManagers, as the membership sees them now.
    let taskManagers: @Sendable () -> [TaskManagerInfo]

    func register(on router: Router<Context>) {
        router.get("/prometheus/targets") { request, context in
            // The JobManager is scraped where Prometheus reached it (the Host header): the bind
            // address may be 0.0.0.0 and the REST port is not known to the router.
            let jobManager = request.head.authority
            if jobManager == nil {
                context.logger.warning("GET /prometheus/targets without a Host header: the JobManager target is left out")
            }
            return Self.targetGroups(taskManagers: self.taskManagers(), jobManager: jobManager)
        }
    }

    /// The groups for `taskManagers` plus the JobManager at `jobManager` (`host:port`), if given.
    /// A TaskManager with metrics port 0 (it reported none) has nothing to scrape and is left out.
    static func targetGroups(taskManagers: [TaskManagerInfo], jobManager: String?) -> [TargetGroup] {
        var groups = taskManagers.filter { $0.metricsPort > 0 }.map { info in
            TargetGroup(targets: ["\(hostForURL(info.host)):\(info.metricsPort)"],
                        labels: ["taskmanager": info.id, "role": "taskmanager"])
        }
        if let jobManager, !jobManager.isEmpty {
            groups.append(TargetGroup(targets: [jobManager], labels: ["role": "jobmanager"]))
        }
        return groups
    }

    /// IPv6 literals need brackets in `host:port`.
    private static func hostForURL(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }
}
