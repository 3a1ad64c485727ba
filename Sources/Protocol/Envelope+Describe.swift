/// Short names of envelope bodies for log lines and protocol-violation messages.
extension _ProtoEnvelope {
    public var bodyName: String {
        guard let body else { return "empty envelope" }
        switch body {
        case .handshakeOffer: return "HandshakeOffer"
        case .handshakeChallenge: return "HandshakeChallenge"
        case .handshakeResponse: return "HandshakeResponse"
        case .handshakeAccept: return "HandshakeAccept"
        case .handshakeReject: return "HandshakeReject"
        case .registerTaskManager: return "RegisterTaskManager"
        case .registerTaskManagerAck: return "RegisterTaskManagerAck"
        case .heartbeat: return "Heartbeat"
        case .heartbeatAck: return "HeartbeatAck"
        case .disconnect: return "Disconnect"
        case .clusterStatusRequest: return "ClusterStatusRequest"
        case .clusterStatus: return "ClusterStatus"
        case .deployTask: return "DeployTask"
        case .taskStateChanged: return "TaskStateChanged"
        case .cancelTask: return "CancelTask"
        case .triggerCheckpoint: return "TriggerCheckpoint"
        case .acknowledgeCheckpoint: return "AcknowledgeCheckpoint"
        case .declineCheckpoint: return "DeclineCheckpoint"
        case .notifyCheckpointComplete: return "NotifyCheckpointComplete"
        case .notifyCheckpointAborted: return "NotifyCheckpointAborted"
        case .sinkPreviewRequest: return "SinkPreviewRequest"
        case .sinkPreviewReply: return "SinkPreviewReply"
        }
    }

    public static func with(_ body: _ProtoEnvelope.OneOf_Body) -> _ProtoEnvelope {
        var envelope = _ProtoEnvelope()
        envelope.body = body
        return envelope
    }
}
