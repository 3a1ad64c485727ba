import CRdKafka

/// Builds librdkafka configuration objects and client handles from string properties.
///
/// Internal plumbing shared by `KafkaProducer`, `KafkaConsumer` and `KafkaMockCluster`: every
/// path that fails frees what it created, so a caller either gets a live handle or an error.
enum RDKafkaConfiguration {
    /// A fresh `rd_kafka_conf_t` holding `properties`; destroyed again if one is rejected.
    static func make(_ properties: [String: String]) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw .creationFailed(what: "Kafka configuration", reason: "rd_kafka_conf_new returned NULL")
        }
        var errorText = [CChar](repeating: 0, count: 512)
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            let result = rd_kafka_conf_set(conf, key, value, &errorText, errorText.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw .invalidConfiguration(key: key, reason: errorText.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
            }
        }
        return conf
    }

    /// `rd_kafka_new`, which takes ownership of `conf` on success; on failure `conf` is destroyed here.
    static func makeClient(_ type: rd_kafka_type_t, conf: OpaquePointer, what: String) throws(KafkaError) -> OpaquePointer {
        var errorText = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(type, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw .creationFailed(what: what, reason: errorText.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
        return handle
    }

    /// Milliseconds for a librdkafka timeout argument, clamped to `Int32`.
    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let total = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(0, total))
    }
}
