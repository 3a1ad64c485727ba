import SluiceOperators

/// Everything a task's operators measure, as one value copied out for the scraper: event
/// counters, the enrichment cache's hit ratio, Kafka consumer lag and the sink's histograms.
///
/// Built by `OperatorCounters` (task-thread figures at each publish, thread-safe ones at
/// scrape time) and turned into series by `TaskMetrics`. Optional figures are nil when the
/// chain has no operator that measures them, so no empty series is exported for it.
struct OperatorFigures: Sendable {
    var counters: [OperatorCounterKey: UInt64] = [:]
    /// Of the chain's `user-enrichment` operator; NaN before its first lookup.
    var cacheHitRatio: Double?
    /// Of the chain's Kafka source, per assigned partition whose lag is known.
    var consumerLag: [KafkaPartitionLag] = []
    /// Of the chain's PostgreSQL sink.
    var sink: SinkFigures?
}
