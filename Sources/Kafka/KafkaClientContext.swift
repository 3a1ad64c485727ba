import CRdKafka
import Logging
import Synchronization

/// What librdkafka's C callbacks of one client reach through the configuration's opaque
/// pointer: the client's logger and its delivery-report counters.
///
/// Ownership: the client class that creates it keeps it alive and destroys its `rd_kafka_t`
/// first (stored properties are released after `deinit` runs), so a callback never sees a
/// dangling pointer. Thread rules: callbacks run on librdkafka's threads (logs) and on the
/// threads calling poll/flush (delivery reports, errors); all state is atomic.
final class KafkaClientContext: Sendable {
    let logger: Logger
    let delivered = Atomic<Int>(0)
    let failed = Atomic<Int>(0)
    let lastFailureCode = Atomic<Int32>(0)

    init(logger: Logger) {
        self.logger = logger
    }

    /// Sets this context as `conf`'s opaque and installs the log and error callbacks, plus the
    /// delivery-report callback for producers.
    func install(on conf: OpaquePointer, deliveryReports: Bool) {
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(self).toOpaque())
        rd_kafka_conf_set_log_cb(conf, kafkaLogCallback)
        rd_kafka_conf_set_error_cb(conf, kafkaErrorCallback)
        if deliveryReports {
            rd_kafka_conf_set_dr_msg_cb(conf, kafkaDeliveryReportCallback)
        }
    }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> KafkaClientContext? {
        opaque.map { Unmanaged<KafkaClientContext>.fromOpaque($0).takeUnretainedValue() }
    }
}

/// librdkafka's syslog-style levels mapped onto swift-log's.
private func logLevel(syslog level: Int32) -> Logger.Level {
    switch level {
    case ...2: .critical
    case 3: .error
    case 4: .warning
    case 5: .notice
    case 6: .info
    default: .debug
    }
}

private let kafkaLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = { handle, level, facility, message in
    guard let handle, let context = KafkaClientContext.from(rd_kafka_opaque(handle)) else { return }
    context.logger.log(
        level: logLevel(syslog: level),
        "\(message.map { String(cString: $0) } ?? "")",
        metadata: ["rdkafka.facility": "\(facility.map { String(cString: $0) } ?? "")",
                   "rdkafka.client": "\(String(cString: rd_kafka_name(handle)))"])
}

private let kafkaErrorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = { _, code, reason, opaque in
    guard let context = KafkaClientContext.from(opaque) else { return }
    let fatal = code == RD_KAFKA_RESP_ERR__FATAL.rawValue
    context.logger.log(
        level: fatal ? .error : .warning,
        "librdkafka reported \(KafkaError.name(of: code)): \(reason.map { String(cString: $0) } ?? "")")
}

private let kafkaDeliveryReportCallback: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = { _, message, opaque in
    guard let message, let context = KafkaClientContext.from(opaque) else { return }
    let code = message.pointee.err
    if code == RD_KAFKA_RESP_ERR_NO_ERROR {
        context.delivered.add(1, ordering: .relaxed)
    } else {
        context.lastFailureCode.store(code.rawValue, ordering: .relaxed)
        context.failed.add(1, ordering: .relaxed)
    }
}
