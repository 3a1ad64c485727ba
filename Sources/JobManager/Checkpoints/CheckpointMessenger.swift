import SluiceProtocol

/// How the checkpoint coordinator reaches TaskManagers: a seam so the coordinator is tested
/// without sockets (`MembershipCheckpointMessenger` is the real one).
public protocol CheckpointMessenger: Sendable {
    /// Sends one control message to TaskManager `taskManager`; throws if it cannot be reached.
    func send(_ envelope: _ProtoEnvelope, to taskManager: String) async throws
}
