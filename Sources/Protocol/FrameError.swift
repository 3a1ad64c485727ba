/// Why an inbound frame was refused. The connection that sent it is closed; the process goes on.
public enum FrameError: Error, CustomStringConvertible, Equatable {
    /// The 4-byte length prefix announced more than the configured maximum.
    case frameTooLarge(length: UInt32, maximum: Int)
    /// The frame's bytes are not a valid `Envelope`.
    case undecodable(length: Int, reason: String)
    /// The peer closed the connection in the middle of a frame.
    case truncated(bufferedBytes: Int)

    public var description: String {
        switch self {
        case .frameTooLarge(let length, let maximum):
            return "frame of \(length) bytes exceeds the maximum of \(maximum) bytes (rpc.max-frame-bytes)"
        case .undecodable(let length, let reason):
            return "frame of \(length) bytes is not a valid Envelope: \(reason)"
        case .truncated(let buffered):
            return "connection closed in the middle of a frame (\(buffered) bytes buffered)"
        }
    }

    /// A short, stable label for metrics (`reason="frame_too_large"`).
    public var metricLabel: String {
        switch self {
        case .frameTooLarge: "frame_too_large"
        case .undecodable: "undecodable"
        case .truncated: "truncated"
        }
    }
}
