import SluiceProtocol

/// `CheckpointMessenger` over the registered TaskManagers' control connections.
///
/// Stateless; safe from any task. A TaskManager that is not (or no longer) registered is an
/// error the coordinator turns into an aborted checkpoint.
public struct MembershipCheckpointMessenger: CheckpointMessenger {
    private let membership: Membership

    public init(membership: Membership) {
        self.membership = membership
    }

    public func send(_ envelope: _ProtoEnvelope, to taskManager: String) async throws {
        guard let connection = membership.connection(to: taskManager) else { throw JobMasterError.taskManagerGone(taskManager) }
        try await connection.send(envelope)
    }
}
