import SluiceProtocol

/// Why a data-plane operation failed. Thrown by `OutputChannel.send` and
/// `DataPlane.connectInput`, and passed to `ChannelEventSink.channelFailed`.
public enum DataPlaneError: Error, CustomStringConvertible, Equatable {
    /// This TaskManager tore the channel down: `release`, `fence` or `shutdown`.
    case cancelled
    /// The other side of the channel is gone (the consumer closed it or its connection died), or
    /// the producer already sent `.endOfPartition`.
    case closed
    /// The producer's TaskManager runs a newer attempt of this job; this attempt is a zombie.
    case fenced(jobID: String, attempt: UInt32)
    /// The producer's TaskManager refused to open the channel (it already has a consumer, the
    /// attempt was released, or the TaskManager is shutting down).
    case refused(String)
    /// Nothing succeeded before the deadline; says what was awaited and the last error.
    case timedOut(String)
    /// Authentication with the producer's TaskManager failed.
    case handshake(HandshakeError)
    /// The peer sent something the protocol does not allow; the connection was closed.
    case protocolViolation(String)
    /// The connection ended before `.endOfPartition` (or could not be made at all).
    case connectionLost(String)
    /// A buffer too large for one frame: its bytes plus 5 (kind and record count) must fit
    /// `rpc.max-frame-bytes`.
    case bufferTooLarge(bytes: Int, maximum: Int)

    public var description: String {
        switch self {
        case .cancelled:
            return "the data channel was released on this TaskManager"
        case .closed:
            return "the data channel is closed (its consumer is gone or the partition has ended)"
        case .fenced(let jobID, let attempt):
            return "job \(jobID) attempt \(attempt) is fenced: a newer attempt of the job is running"
        case .refused(let reason):
            return "the producer's TaskManager refused the data channel: \(reason)"
        case .timedOut(let what):
            return "timed out: \(what)"
        case .handshake(let error):
            return "data connection handshake failed: \(error)"
        case .protocolViolation(let what):
            return "data-plane protocol violation: \(what)"
        case .connectionLost(let why):
            return "data connection lost: \(why)"
        case .bufferTooLarge(let bytes, let maximum):
            return "buffer of \(bytes) bytes exceeds the maximum of \(maximum) bytes per frame (rpc.max-frame-bytes)"
        }
    }

    /// True when connecting again may succeed (the producer's TaskManager is not up yet, or a
    /// connection broke); false when only a configuration change or a new attempt helps.
    var isRetriable: Bool {
        switch self {
        case .timedOut, .connectionLost:
            return true
        case .handshake(let error):
            if case .protocolViolation = error { return false }
            return !error.isPermanent
        case .cancelled, .closed, .fenced, .refused, .protocolViolation, .bufferTooLarge:
            return false
        }
    }
}
