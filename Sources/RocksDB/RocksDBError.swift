/// A failure reported by librocksdb, with its status code (parsed from the status text the C
/// API returns, e.g. `IO error: …`) and the operation and path where it happened.
public enum RocksDBError: Error, CustomStringConvertible, Sendable {
    /// The `rocksdb::Status::Code` of a failure, as named in the status text.
    public enum Status: String, Sendable {
        case notFound = "NotFound"
        case corruption = "Corruption"
        case notSupported = "Not implemented"
        case invalidArgument = "Invalid argument"
        case ioError = "IO error"
        case mergeInProgress = "Merge in progress"
        case incomplete = "Result incomplete"
        case shutdownInProgress = "Shutdown in progress"
        case timedOut = "Operation timed out"
        case aborted = "Operation aborted"
        case busy = "Resource busy"
        case expired = "Operation expired"
        case tryAgain = "Operation failed. Try again."
        case compactionTooLarge = "Compaction too large"
        case columnFamilyDropped = "Column family dropped"
        case unknown = "Unknown"

        /// The status named at the start of a RocksDB status text.
        init(statusText: String) {
            let prefix = statusText.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            self = Status(rawValue: prefix) ?? .unknown
        }
    }

    /// `rocksdb_open` failed (missing folder without create-if-missing, a file in the way, the
    /// lock held by another open instance, …).
    case openFailed(path: String, status: Status, message: String)
    /// An operation on an open database failed; `operation` names it, e.g. `put`, `checkpoint to /x`.
    case operationFailed(operation: String, path: String, status: Status, message: String)

    public var status: Status {
        switch self {
        case .openFailed(_, let status, _), .operationFailed(_, _, let status, _): status
        }
    }

    public var description: String {
        switch self {
        case .openFailed(let path, let status, let message):
            return "cannot open RocksDB at \(path): \(message) (status \(status))"
        case .operationFailed(let operation, let path, let status, let message):
            return "RocksDB \(operation) failed for \(path): \(message) (status \(status))"
        }
    }

    /// Consumes an `errptr` the C API set: frees it and returns the error it describes, or nil
    /// when no error was set.
    static func take(_ errorPointer: inout UnsafeMutablePointer<CChar>?, _ make: (Status, String) -> RocksDBError) -> RocksDBError? {
        guard let pointer = errorPointer else { return nil }
        let message = String(cString: pointer)
        rocksDBFree(pointer)
        errorPointer = nil
        return make(Status(statusText: message), message)
    }
}
