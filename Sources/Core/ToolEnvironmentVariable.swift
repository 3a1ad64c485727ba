/// The `SLUICE_*` environment variables that are not config keys: read by the scripts under
/// `cluster/` and `bench/`, the tests and the CLI. Listed so that a misspelt variable is refused
/// (with the closest known name) instead of silently ignored, while these pass.
///
/// One source of truth: the README's configuration section lists the same names.
public enum ToolEnvironmentVariable {
    /// Name → what reads it.
    public static let names: [String: String] = [
        "SLUICE_CLUSTER_DIR": "cluster/*.sh, bench/*.sh: the local cluster's folder",
        "SLUICE_BIN_DIR": "cluster/*.sh: where the built commands are",
        "SLUICE_CONFIG": "cluster/cluster.sh: the YAML config",
        "SLUICE_TASKMANAGERS": "cluster/cluster.sh: how many TaskManagers",
        "SLUICE_EVENT_RATE": "cluster/cluster.sh: the background generator's events/s",
        "SLUICE_TLS": "cluster/cluster.sh: 1 (default) runs the local cluster with mutual TLS, 0 plaintext",
        "SLUICE_PG_PORT": "cluster/postgres.sh: PostgreSQL's port",
        "SLUICE_PG_BIN": "cluster/postgres.sh: PostgreSQL's binaries",
        "SLUICE_PG_START_TIMEOUT": "cluster/postgres.sh: start-up wait",
        "SLUICE_PG_HOST": "cluster/postgres.sh: the address to listen on (a test network's host)",
        "SLUICE_NETNS_OWNER": "cluster/netns.sh: the process owning a namespace cluster",
        "SLUICE_KAFKA_TOPICS": "cluster/devbroker.sh: topics and partitions",
        "SLUICE_KAFKA_BROKERS": "cluster/devbroker.sh: mock brokers",
        "SLUICE_DEVBROKER_CHECK_INTERVAL": "devbroker: start-offset check interval",
        "SLUICE_DEVBROKER_START_TIMEOUT": "cluster/devbroker.sh: start-up wait",
        "SLUICE_MONITOR_START_TIMEOUT": "cluster/monitor.sh: start-up wait",
        "SLUICE_REST_URL": "sluice: the JobManager's REST address",
        "SLUICE_CPEER": "make test: the C peer binary",
    ]

    /// Prefixes of families of variables (the benchmark scripts' settings).
    public static let prefixes = ["SLUICE_BENCH_"]

    public static func isKnown(_ name: String) -> Bool {
        names[name] != nil || prefixes.contains { name.hasPrefix($0) }
    }
}
