import CRdKafka

/// Blocking cluster queries shared by the producer, the consumer and the dev broker's monitor.
///
/// Each function takes a borrowed `rd_kafka_t` (the caller owns it and keeps it alive) and
/// blocks the calling thread for at most `timeout`; keep calls off event loops.
enum RDKafkaQueries {
    /// The number of partitions of `topic`, from a metadata request for that topic only.
    static func partitionCount(handle: OpaquePointer, topicHandle: OpaquePointer, topic: String, timeout: Duration) throws(KafkaError) -> Int {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let code = rd_kafka_metadata(handle, 0, topicHandle, &metadata, RDKafkaConfiguration.milliseconds(timeout))
        if let error = KafkaError.check(code, context: "metadata request for topic \(topic)", handle: handle) { throw error }
        guard let metadata else {
            throw .failed(code: RD_KAFKA_RESP_ERR__BAD_MSG.rawValue, message: "no metadata returned", context: "metadata request for topic \(topic)")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        for index in 0..<Int(metadata.pointee.topic_cnt) {
            let entry = metadata.pointee.topics[index]
            guard String(cString: entry.topic) == topic else { continue }
            if let error = KafkaError.check(entry.err, context: "metadata for topic \(topic)") { throw error }
            return Int(entry.partition_cnt)
        }
        throw .failed(code: RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC.rawValue, message: "topic missing from the metadata response",
                      context: "metadata request for topic \(topic)")
    }

    /// Low and high watermark of one partition, asked from the partition leader.
    static func watermarks(handle: OpaquePointer, topic: String, partition: Int32, timeout: Duration) throws(KafkaError) -> KafkaWatermarks {
        var low: Int64 = -1
        var high: Int64 = -1
        let code = rd_kafka_query_watermark_offsets(handle, topic, partition, &low, &high, RDKafkaConfiguration.milliseconds(timeout))
        if let error = KafkaError.check(code, context: "watermark query for \(topic)[\(partition)]", handle: handle) { throw error }
        return KafkaWatermarks(low: low, high: high)
    }
}
