/// Why bytes on a data connection are not a valid frame. The connection that carried them is
/// closed with a logged reason; other connections and the process go on.
public enum DataFrameError: Error, CustomStringConvertible, Equatable {
    /// The length prefix announced more than the configured maximum.
    case frameTooLarge(length: UInt32, maximum: Int)
    /// A length of 0: not even a kind byte.
    case emptyFrame
    /// The kind byte is not one of the protocol's kinds.
    case unknownKind(UInt8)
    /// The payload does not have the layout its kind requires.
    case malformed(kind: DataFrame.Kind, reason: String)
    /// The peer closed the connection in the middle of a frame.
    case truncated(bufferedBytes: Int)
    /// A frame cannot be written (a field does not fit its wire type).
    case unencodable(String)

    public var description: String {
        switch self {
        case .frameTooLarge(let length, let maximum):
            return "data frame of \(length) bytes exceeds the maximum of \(maximum) bytes (rpc.max-frame-bytes)"
        case .emptyFrame:
            return "data frame of length 0 (no kind byte)"
        case .unknownKind(let kind):
            return "unknown data frame kind \(kind)"
        case .malformed(let kind, let reason):
            return "malformed \(kind) frame: \(reason)"
        case .truncated(let buffered):
            return "connection closed in the middle of a data frame (\(buffered) bytes buffered)"
        case .unencodable(let what):
            return "cannot encode data frame: \(what)"
        }
    }
}
