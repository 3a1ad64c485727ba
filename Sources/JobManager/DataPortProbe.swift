import NIOCore
import NIOPosix
import SluiceTLS

/// Checks that a TaskManager's advertised data address accepts connections, from the
/// JobManager's side: a TaskManager that advertises an address others cannot reach (a
/// container's internal address, a wrong `taskmanager.host`) would otherwise show up only as
/// data channels timing out when a job is deployed.
///
/// Stateless; a TCP connect, or a TLS handshake when the cluster runs TLS, then close, with a
/// deadline on NIO's shared event loops. Not proof that every peer reaches it (the network
/// between TaskManagers may differ), but it catches the usual mistake at registration, with
/// the address in the message.
enum DataPortProbe {
    /// Nil when `host:port` accepted a connection within `timeout` (with `tls`, completed a
    /// mutual TLS handshake), else why not.
    static func problem(host: String, port: Int, tls: ClusterTLS?, timeout: Duration = .seconds(2)) async -> String? {
        do {
            if let tls {
                try await tls.handshake(host: host, port: port, timeout: timeout)
                return nil
            }
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
