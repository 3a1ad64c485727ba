import SluiceKafka

/// Collects the generator's records into one `KafkaProducerBatch` per topic and hands a batch
/// to the producer when it is full (or when asked), translating failures into `DatagenError`.
struct TopicBatcher {
    /// Records per `sendBatch` call and topic.
    static let batchSize = 5_000

    private let producer: KafkaProducer
    private let topicNames: [String]
    private var batches: [KafkaProducerBatch]

    /// `topicNames[topic.index]` is where records of `topic` go.
    init(producer: KafkaProducer, topicNames: [String]) {
        self.producer = producer
        self.topicNames = topicNames
        batches = topicNames.map { _ in KafkaProducerBatch(reservingMessages: Self.batchSize, bytes: Self.batchSize * 400) }
    }

    /// Adds one record (key = the user id's decimal digits); sends the topic's batch when full.
    mutating func append(to topic: EventTopic, key: [UInt8], value: [UInt8]) throws {
        batches[topic.index].append(partition: KafkaProducer.anyPartition, key: key, value: value)
        if batches[topic.index].count >= Self.batchSize { try send(topic.index) }
    }

    /// Sends every non-empty batch.
    mutating func sendAll() throws {
        for index in batches.indices where !batches[index].isEmpty { try send(index) }
    }

    private mutating func send(_ index: Int) throws {
        do {
            try producer.sendBatch(topic: topicNames[index], batches[index])
        } catch {
            let delivery = producer.deliveryCounts
            throw DatagenError.deliveryFailed(reason: "\(error)", delivered: delivery.delivered, failed: delivery.failed)
        }
        batches[index].removeAll()
    }
}
