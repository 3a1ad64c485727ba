import SluiceProtocol

/// The JobManager's handle on one TaskManager's control connection.
///
/// A seam so `Membership` and job scheduling can be tested without sockets; the RPC server
/// provides the real one.
public protocol TaskManagerConnection: Sendable {
    /// Sends one control message (DeployTask, CancelTask, ...); throws if the connection is gone.
    func send(_ envelope: _ProtoEnvelope) async throws
    /// Closes the connection, e.g. once the TaskManager was declared lost.
    func close(reason: String)
}
