/// Why a handshake failed. Both sides log it; `description` says what to check.
public enum HandshakeError: Error, CustomStringConvertible, Equatable {
    case versionMismatch(local: UInt32, remote: UInt32)
    case clusterMismatch(local: String, remote: String)
    case unsupportedRole(String)
    /// The peer's proof did not match: it holds another cluster secret.
    case badClientProof(peer: String)
    /// The server's proof did not match: we may be talking to the wrong cluster or a spoofing server.
    case badServerProof
    case rejected(reason: _ProtoRejectReason, message: String)
    case protocolViolation(String)
    case timedOut
    case connectionClosed

    public var description: String {
        switch self {
        case .versionMismatch(let local, let remote):
            return "protocol version mismatch: this process speaks v\(local), the peer v\(remote); run the same Sluice release on both sides"
        case .clusterMismatch(let local, let remote):
            return "cluster id mismatch: this process is in cluster '\(local)', the peer in '\(remote)'; check cluster.id"
        case .unsupportedRole(let role):
            return "peer role \(role) is not accepted on this port"
        case .badClientProof(let peer):
            return "authentication failed for \(peer): its proof does not match our cluster secret; check SLUICE_CLUSTER_SECRET / cluster.secret-file on both sides"
        case .badServerProof:
            return "the server failed authentication: its proof does not match our cluster secret (wrong secret on one side, or not a Sluice JobManager of this cluster)"
        case .rejected(let reason, let message):
            return "refused by the peer (\(reason)): \(message)"
        case .protocolViolation(let what):
            return "protocol violation during handshake: \(what)"
        case .timedOut:
            return "handshake did not complete in time (rpc.handshake-timeout-ms)"
        case .connectionClosed:
            return "connection closed during the handshake"
        }
    }

    /// True when retrying cannot help until someone changes a config (secret, cluster id, release).
    public var isPermanent: Bool {
        switch self {
        case .versionMismatch, .clusterMismatch, .unsupportedRole, .badClientProof, .badServerProof:
            return true
        case .rejected(let reason, _):
            return [.versionMismatch, .clusterMismatch, .badProof, .unsupportedRole].contains(reason)
        case .protocolViolation, .timedOut, .connectionClosed:
            return false
        }
    }

    /// A short, stable label for metrics.
    public var metricLabel: String {
        switch self {
        case .versionMismatch: "version_mismatch"
        case .clusterMismatch: "cluster_mismatch"
        case .unsupportedRole: "unsupported_role"
        case .badClientProof, .badServerProof: "bad_proof"
        case .rejected(let reason, _): reason == .badProof ? "bad_proof" : "rejected"
        case .protocolViolation: "protocol_violation"
        case .timedOut: "handshake_timeout"
        case .connectionClosed: "closed_during_handshake"
        }
    }
}
