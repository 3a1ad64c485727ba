import Foundation

/// Hosts on one machine as Linux network namespaces on a private bridge (`cluster/netns.sh`),
/// for tests of Sluice across hosts and of network faults: each process runs in its host's
/// namespace and reaches the others by their subnet addresses only.
///
/// `create` first removes what a crashed earlier run left (namespaces whose owning test process
/// is gone) and names the cluster uniquely, so suites can run side by side; `destroy()` kills
/// every process in the namespaces and deletes them — call it in a `defer`. One test owns it.
public final class NetnsCluster: @unchecked Sendable {  // driven by the one test that created it
    public let name: String
    public let hosts: [String]
    private let addresses: [String: String]
    private var destroyed = false

    private static var script: String { RepositoryLayout.clusterScript("netns.sh").path }

    private init(name: String, hosts: [String], addresses: [String: String]) {
        self.name = name
        self.hosts = hosts
        self.addresses = addresses
    }

    /// Creates the hosts (each gets `10.77.0.x` on the cluster's bridge).
    public static func create(hosts: [String]) throws -> NetnsCluster {
        try ShellCommand.run("/bin/bash", [script, "sweep"])
        let name = "t" + String(UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(6))
        let output = try ShellCommand.run("/bin/bash", [script, "up", name] + hosts,
                                          environment: ["SLUICE_NETNS_OWNER": "\(ProcessInfo.processInfo.processIdentifier)"])
        var addresses: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            if fields.count == 3, hosts.contains(fields[0]) { addresses[fields[0]] = fields[1] }
        }
        guard addresses.count == hosts.count else {
            _ = try? ShellCommand.run("/bin/bash", [script, "down", name])
            throw TestSupportError.commandFailed(command: "netns.sh up \(name)", status: 0, output: output)
        }
        return NetnsCluster(name: name, hosts: hosts, addresses: addresses)
    }

    /// The host's address on the bridge.
    public func address(_ host: String) -> String {
        guard let address = addresses[host] else { preconditionFailure("no host \(host) in \(hosts)") }
        return address
    }

    /// Starts `executable` in `host`'s namespace (the pid is the program's own: the script and
    /// `ip netns exec` exec into it).
    public func start(_ processName: String, on host: String, executable: URL, arguments: [String],
                      environment: [String: String] = [:], logDirectory: URL) throws -> ManagedProcess {
        try ManagedProcess(name: processName, executable: URL(fileURLWithPath: "/bin/bash"),
                           arguments: [Self.script, "exec", name, host, executable.path] + arguments,
                           environment: environment, logDirectory: logDirectory)
    }

    /// Runs a command to completion in `host`'s namespace; returns its status and output.
    public func execute(on host: String, _ executable: String, _ arguments: [String],
                        environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        try ShellCommand.execute("/bin/bash", [Self.script, "exec", name, host, executable] + arguments, environment: environment)
    }

    /// Partitions `host` from every other host: its packets vanish at the bridge.
    public func cut(_ host: String) throws { try ShellCommand.run("/bin/bash", [Self.script, "cut", name, host]) }

    public func heal(_ host: String) throws { try ShellCommand.run("/bin/bash", [Self.script, "heal", name, host]) }

    /// Drops what `host` sends to `peer` (and so every connection between them).
    public func block(_ host: String, from peer: String) throws {
        try ShellCommand.run("/bin/bash", [Self.script, "block", name, host, peer])
    }

    public func unblock(_ host: String, from peer: String) throws {
        try ShellCommand.run("/bin/bash", [Self.script, "unblock", name, host, peer])
    }

    /// Degrades what `host` receives from each of `peers`, as `tc netem delay MEAN JITTER loss
    /// LOSS%` would (`netns.sh netem`: the kernel drops, a netfilter queue delays).
    public func degrade(_ host: String, from peers: [String], delayMilliseconds: Int, jitterMilliseconds: Int,
                        lossPercent: Double) throws {
        try ShellCommand.run("/bin/bash", [Self.script, "netem", name, host, "\(delayMilliseconds)", "\(jitterMilliseconds)",
                                           "\(lossPercent)"] + peers)
    }

    /// Undoes `degrade`; returns what the host's delay queue reported (packets delayed) and the
    /// packets its loss rule dropped.
    @discardableResult
    public func restore(_ host: String) async throws -> (delayed: Int, dropped: Int) {
        let (_, rules) = try execute(on: host, "/usr/sbin/iptables", ["-w", "-L", "sluice-netem", "-v", "-x", "-n"])
        let dropped = rules.split(separator: "\n").filter { $0.contains("DROP") }
            .compactMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).first ?? "") }.reduce(0, +)
        try ShellCommand.run("/bin/bash", [Self.script, "unnetem", name, host])
        let log = "/run/sluice-netns/\(name)-\(host).netem.log"
        var delayed = 0
        do {
            try await waitUntil("nfq-delay in \(host) to report and exit", timeout: .seconds(10)) {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                guard let line = text.split(separator: "\n").last(where: { $0.contains("packets delayed") }) else { return false }
                delayed = Int(line.split(separator: " ")[1]) ?? 0
                return true
            }
        } catch {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? "(no \(log))"
            throw TestSupportError.commandFailed(command: "netns.sh unnetem \(name) \(host)", status: 0, output: "\(error); its log: \(text)")
        }
        return (delayed, dropped)
    }

    /// Kills every process in the namespaces and deletes them.
    public func destroy() {
        guard !destroyed else { return }
        destroyed = true
        _ = try? ShellCommand.run("/bin/bash", [Self.script, "down", name])
    }

    deinit { destroy() }

    /// The pids of every process in the cluster's namespaces.
    public func pids() throws -> [Int32] {
        try ShellCommand.run("/bin/bash", [Self.script, "pids", name]).split(separator: "\n").compactMap { Int32($0) }
    }

    /// Whether process `pid` exists and is not a zombie (exited, not yet reaped).
    public static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[close...].dropFirst(2).hasPrefix("Z")
    }

    /// Every namespace any netns cluster has now (for leak checks).
    public static func namespaces() throws -> [String] {
        try ShellCommand.run("/bin/bash", [script, "list"]).split(separator: "\n").map(String.init)
    }
}
