/// The JobManager's handle on one TaskManager's control connection.
///
/// A seam so `Membership` can be tested without sockets; the RPC server provides the real one.
public protocol TaskManagerConnection: Sendable {
    /// Closes the connection, e.g. once the TaskManager was declared lost.
    func close(reason: String)
}
