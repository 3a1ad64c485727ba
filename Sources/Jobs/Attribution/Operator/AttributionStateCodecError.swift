import SluiceEngine
/// Why stored attribution state could not be read back. The bytes came from RocksDB or a
/// checkpoint, so this means corruption or a format from another build: the task fails with
/// this description instead of crashing or silently losing the key's clicks.
public enum AttributionStateCodecError: Error, CustomStringConvertible, Equatable, Sendable {
    case empty
    case unsupportedVersion(UInt8)
    case corrupt(String)
    case trailingBytes(Int)

    public var description: String {
        switch self {
        case .empty:
            return "attribution state is empty (0 bytes)"
        case .unsupportedVersion(let version):
            return "attribution state has format version \(version), this build reads versions \(AttributionStateCodec.oldestReadableVersion) to \(AttributionStateCodec.formatVersion)"
        case .corrupt(let detail):
            return "attribution state is corrupt: \(detail)"
        case .trailingBytes(let count):
            return "attribution state is corrupt: \(count) unexpected bytes after the last entry"
        }
    }
}
