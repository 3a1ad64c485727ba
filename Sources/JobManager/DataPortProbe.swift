import NIOCore
import NIOPosix

/// Checks that a TaskManager's advertised data address accepts connections, from the
/// JobManager's side: a TaskManager that advertises an address others cannot reach (a
/// container's internal address, a wrong `taskmanager.host`) would otherwise show up only as
/// data channels timing out when a job is deployed.
///
/// Stateless; a TCP connect (then close) with a deadline on NIO's shared event loops. Not
/// proof that every peer reaches it (the network between TaskManagers may differ), but it
/// catches the usual mistake at registration, with the address in the message.
enum DataPortProbe {
    /// Nil when `host:port` accepted a connection within `timeout`, else why not.
    static func problem(host: String, port: Int, timeout: Duration = .seconds(2)) async -> String? {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.milliseconds(Int64(timeout / .milliseconds(1))))
                .connect(host: host, port: port).get()
            try? await channel.close()
            return nil
        } catch {
            return "\(error)"
        }
    }
}
