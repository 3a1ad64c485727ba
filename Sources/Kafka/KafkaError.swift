import CRdKafka

/// A failure reported by librdkafka, carrying its `rd_kafka_resp_err_t` code (where the call
/// produced one) and the operation that failed, e.g. `produce to clicks[3]`.
///
/// `isRetriable` says whether the same call may succeed later (queue full, broker not reachable
/// yet, leader moving); `isFatal` says the client instance is unusable and must be recreated.
public enum KafkaError: Error, CustomStringConvertible, Sendable {
    /// librdkafka rejected a configuration property (`rd_kafka_conf_set`).
    case invalidConfiguration(key: String, reason: String)
    /// `rd_kafka_new`, `rd_kafka_topic_new` or `rd_kafka_mock_cluster_new` returned NULL.
    case creationFailed(what: String, reason: String)
    /// A call returned a non-zero `rd_kafka_resp_err_t`.
    case failed(code: Int32, message: String, context: String)
    /// The client raised a fatal error (`rd_kafka_fatal_error`); `code` is the underlying one.
    case fatal(code: Int32, message: String, context: String)
    /// `flush` ran out of time with `remaining` messages still queued or in flight.
    case flushTimedOut(remaining: Int, context: String)
    /// Delivery reports said `count` messages were not delivered; `code` is the last failure's.
    case deliveryFailed(count: Int, code: Int32, context: String)

    /// The librdkafka error code, when the failure has one.
    public var code: Int32? {
        switch self {
        case .invalidConfiguration, .creationFailed: nil
        case .failed(let code, _, _), .fatal(let code, _, _), .deliveryFailed(_, let code, _): code
        case .flushTimedOut: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue
        }
    }

    /// The symbolic name librdkafka gives the code, e.g. `_QUEUE_FULL`.
    public var codeName: String? {
        code.map { String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: $0))) }
    }

    /// The same call may succeed when retried later.
    public var isRetriable: Bool {
        switch self {
        case .invalidConfiguration, .creationFailed, .fatal: false
        case .flushTimedOut: true
        case .failed(let code, _, _), .deliveryFailed(_, let code, _): Self.retriableCodes.contains(code)
        }
    }

    /// The client instance is unusable and must be destroyed and recreated.
    public var isFatal: Bool {
        if case .fatal = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .invalidConfiguration(let key, let reason):
            return "Kafka configuration property '\(key)' rejected: \(reason)"
        case .creationFailed(let what, let reason):
            return "could not create \(what): \(reason)"
        case .failed(let code, let message, let context):
            return "\(context) failed: \(message) (\(Self.name(of: code)), code \(code))"
        case .fatal(let code, let message, let context):
            return "fatal Kafka client error during \(context): \(message) (\(Self.name(of: code)), code \(code)); the client must be recreated"
        case .flushTimedOut(let remaining, let context):
            return "\(context): \(remaining) messages still queued or in flight when the flush timed out"
        case .deliveryFailed(let count, let code, let context):
            return "\(context): \(count) messages could not be delivered (last error \(Self.name(of: code)), code \(code))"
        }
    }

    /// Builds the error for `code`, or returns nil for `RD_KAFKA_RESP_ERR_NO_ERROR`. A `_FATAL`
    /// code is resolved to the underlying fatal error of `handle`.
    static func check(_ code: rd_kafka_resp_err_t, context: @autoclosure () -> String, handle: OpaquePointer? = nil) -> KafkaError? {
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        if code == RD_KAFKA_RESP_ERR__FATAL, let handle {
            return fatal(of: handle, context: context())
        }
        return .failed(code: code.rawValue, message: String(cString: rd_kafka_err2str(code)), context: context())
    }

    /// The fatal error `handle` raised, if any.
    static func fatal(of handle: OpaquePointer, context: String) -> KafkaError? {
        var buffer = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(handle, &buffer, buffer.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        let message = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return .fatal(code: code.rawValue, message: message, context: context)
    }

    static func name(of code: Int32) -> String {
        String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: code)))
    }

    /// Local and broker codes after which the same request can succeed.
    private static let retriableCodes: Set<Int32> = [
        RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__TIMED_OUT,
        RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE,
        RD_KAFKA_RESP_ERR__WAIT_COORD, RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
        RD_KAFKA_RESP_ERR__RESOLVE, RD_KAFKA_RESP_ERR__PREV_IN_PROGRESS,
        RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
        RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
        RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
        RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND,
        RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR, RD_KAFKA_RESP_ERR_FETCH_SESSION_ID_NOT_FOUND,
        RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_PREFERRED_LEADER_NOT_AVAILABLE,
    ].reduce(into: Set<Int32>()) { $0.insert($1.rawValue) }
}
