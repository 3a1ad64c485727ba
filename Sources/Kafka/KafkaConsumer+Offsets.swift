import CRdKafka

/// Consumer-group offsets and offset lookups: what a source needs to start where a group left
/// off or at a time, and to publish its checkpointed progress to the group (Kafka lag tooling
/// reads it) without letting the group decide what it reads.
extension KafkaConsumer {
    /// Commits, for this consumer's `group.id`, the next offset to read of each partition.
    /// Asynchronous: librdkafka sends it in the background and reports a failure as a client
    /// error (logged); never blocks. Safe from any thread.
    public func commit(topic: String, nextOffsets: [Int32: Int64]) throws {
        guard !nextOffsets.isEmpty else { return }
        let list = try Self.partitionList(topic: topic, nextOffsets.map { ($0.key, $0.value) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        if let error = KafkaError.check(rd_kafka_commit(handle, list, 1), context: "offset commit for \(topic)", handle: handle) { throw error }
    }

    /// The group's committed next offset of each partition; a partition the group never
    /// committed is left out. Blocks up to `timeout`.
    public func committedOffsets(topic: String, partitions: [Int32], timeout: Duration = .seconds(10)) throws -> [Int32: Int64] {
        let list = try Self.partitionList(topic: topic, partitions.map { ($0, Int64(RD_KAFKA_OFFSET_INVALID)) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let code = rd_kafka_committed(handle, list, RDKafkaConfiguration.milliseconds(timeout))
        if let error = KafkaError.check(code, context: "committed offsets of \(topic)", handle: handle) { throw error }
        return try Self.offsets(in: list, topic: topic, what: "committed offset")
    }

    /// For each partition, the first offset whose record timestamp is at or after
    /// `timestampMillis`; a partition with no such record is left out. Blocks up to `timeout`.
    /// (librdkafka's mock cluster, the dev broker, finds no offset by time for any partition.)
    public func offsets(atOrAfter timestampMillis: Int64, topic: String, partitions: [Int32],
                        timeout: Duration = .seconds(10)) throws -> [Int32: Int64] {
        let list = try Self.partitionList(topic: topic, partitions.map { ($0, timestampMillis) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let code = rd_kafka_offsets_for_times(handle, list, RDKafkaConfiguration.milliseconds(timeout))
        if let error = KafkaError.check(code, context: "offsets for time \(timestampMillis) of \(topic)", handle: handle) { throw error }
        return try Self.offsets(in: list, topic: topic, what: "offset for time")
    }

    private static func partitionList(topic: String, _ entries: [(Int32, Int64)]) throws -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        guard let list = rd_kafka_topic_partition_list_new(Int32(clamping: max(entries.count, 1))) else {
            throw KafkaError.creationFailed(what: "topic partition list", reason: "rd_kafka_topic_partition_list_new returned NULL")
        }
        for (partition, offset) in entries {
            rd_kafka_topic_partition_list_add(list, topic, partition)?.pointee.offset = offset
        }
        return list
    }

    /// The valid (non-negative) offsets of `list`; a per-partition error is thrown.
    private static func offsets(in list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>, topic: String,
                                what: String) throws -> [Int32: Int64] {
        var result: [Int32: Int64] = [:]
        for index in 0..<Int(list.pointee.cnt) {
            let element = list.pointee.elems[index]
            if let error = KafkaError.check(element.err, context: "\(what) of \(topic)[\(element.partition)]") { throw error }
            if element.offset >= 0 { result[element.partition] = element.offset }
        }
        return result
    }
}
