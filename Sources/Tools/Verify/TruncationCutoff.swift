import SluiceKafka

/// Where the comparison starts when the broker dropped the oldest records of some partitions.
///
/// A checkout at T depends on the clicks in [T − window, T] of its partition. If a partition
/// lost its oldest records, a dropped click may be missing from the oracle's input while the job
/// saw it, so only checkouts that cannot depend on dropped data are compared: those with
///
///     T ≥ max over truncated partitions (earliest surviving event time) + window + maxDisorder
///
/// The maximum (not the minimum) over partitions, because a checkout may sit in any of them;
/// `maxDisorder` because a dropped record may carry a slightly later event time than the first
/// surviving one (bounded disorder). A truncated partition with nothing left pushes the cut-off
/// to the newest event time seen anywhere, so nothing is compared that could depend on it.
public enum TruncationCutoff {
    /// The earliest event time to compare, or nil when no partition is truncated.
    ///
    /// - Parameters:
    ///   - truncated: each truncated partition with the earliest event time still in it (nil if none).
    ///   - latestEventTime: the newest event time read from any partition.
    public static func compute(truncated: [(partition: KafkaTopicPartition, earliestSurviving: Int64?)],
                               latestEventTime: Int64?, windowMillis: Int64, maxDisorderMillis: Int64) -> Int64? {
        guard !truncated.isEmpty else { return nil }
        let bounds = truncated.map { $0.earliestSurviving ?? latestEventTime ?? 0 }
        guard let latest = bounds.max() else { return nil }
        return latest + windowMillis + maxDisorderMillis
    }
}
