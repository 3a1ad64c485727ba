import SluiceConnectorKinds
import SluiceEngine
/// What a PostgreSQL sink subtask measured since it opened: rows per committed batch, commit
/// round trips, prepare-to-commit time (exactly-once only) and end-to-end latency of every
/// committed row (commit wall time − checkout event time), as bucketed counts.
///
/// A value copied out of `SinkMetrics`; the TaskManager turns it into the `sluice_sink_*` and
/// `sluice_end_to_end_latency_seconds` histograms. The bucket bounds live here so every
/// subtask's histograms have the same `le` values.
public struct SinkFigures: Sendable, Equatable {
    /// Rows per flushed batch (at-least-once) or per committed epoch transaction (exactly-once).
    public static let batchRowBounds: [Double] = [1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 50_000]
    /// Seconds of one COMMIT / COMMIT PREPARED (or autocommit upsert) round trip.
    public static let commitBounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// Seconds from PREPARE TRANSACTION to COMMIT PREPARED: about one checkpoint's round trip.
    public static let preparedToCommitBounds: [Double] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]
    /// Seconds from a checkout's event time to its row's commit: 10 ms to an hour (replayed old
    /// data lands in the top buckets).
    public static let latencyBounds: [Double] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 30, 60,
                                                 120, 300, 600, 1_800, 3_600]

    public var batchRows = HistogramCounts(upperBounds: batchRowBounds)
    public var commitSeconds = HistogramCounts(upperBounds: commitBounds)
    public var preparedToCommitSeconds = HistogramCounts(upperBounds: preparedToCommitBounds)
    public var endToEndLatencySeconds = HistogramCounts(upperBounds: latencyBounds)

    public init() {}

    /// The histograms in the families `postgres-sink` declares.
    public var readings: [HistogramReading] {
        [HistogramReading(PostgresSinkKind.batchRows, counts: batchRows),
         HistogramReading(PostgresSinkKind.commitSeconds, counts: commitSeconds),
         HistogramReading(PostgresSinkKind.preparedToCommitSeconds, counts: preparedToCommitSeconds),
         HistogramReading(PostgresSinkKind.endToEndLatency, counts: endToEndLatencySeconds)]
    }

    /// Adds `other`'s observations to each histogram.
    public mutating func add(_ other: SinkFigures) {
        batchRows.add(other.batchRows)
        commitSeconds.add(other.commitSeconds)
        preparedToCommitSeconds.add(other.preparedToCommitSeconds)
        endToEndLatencySeconds.add(other.endToEndLatencySeconds)
    }

    /// What was observed since `earlier` (see `HistogramCounts.subtracting`).
    public func subtracting(_ earlier: SinkFigures) -> SinkFigures {
        var delta = self
        delta.batchRows = batchRows.subtracting(earlier.batchRows)
        delta.commitSeconds = commitSeconds.subtracting(earlier.commitSeconds)
        delta.preparedToCommitSeconds = preparedToCommitSeconds.subtracting(earlier.preparedToCommitSeconds)
        delta.endToEndLatencySeconds = endToEndLatencySeconds.subtracting(earlier.endToEndLatencySeconds)
        return delta
    }

    /// Counts the latency of each row committed at `committedAtMillis` whose checkout happened
    /// at `eventTimesMillis` (Unix milliseconds). A checkout stamped in the future (clock skew
    /// between producer and TaskManager) counts as 0, not as a negative latency.
    public mutating func observeCommitted(eventTimesMillis: [Int64], committedAtMillis: Int64) {
        for eventTime in eventTimesMillis {
            endToEndLatencySeconds.observe(Double(max(0, committedAtMillis - eventTime)) / 1000)
        }
    }
}
