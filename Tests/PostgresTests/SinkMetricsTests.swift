import Foundation
@testable import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
@testable import SluiceConnectors
@testable import SluiceEngine
@testable import SluiceLibrary
import SluiceOperators
import SluiceTestSupport
import Testing

/// The sink measures what it commits, against a real server: one batch per committed epoch
/// transaction (exactly-once) or per upsert (at-least-once), its commit round trip, and each
/// committed row's end-to-end latency — nothing before the rows are visible.
@Suite("PostgreSQL sink metrics", .postgresServer)
struct SinkMetricsTests {
    /// The fixture's rows carry event time 2023-11-14, so their latency is above every bound.
    private let rows = SinkFixture.rows([("c1", "k1"), ("c2", nil), ("c3", "k3")])

    @Test("an epoch is measured once, when COMMIT PREPARED made it visible")
    func exactlyOnceEpochIsMeasuredAtCommit() async throws {
        let fixture = try SinkFixture(table: "metrics_exactly_once")
        let listeners = CheckpointListeners()
        let sink = try fixture.openSink(listeners: listeners)
        defer { sink.close() }

        try sink.process(rows)
        _ = try sink.snapshotState(checkpointID: 1)
        #expect(sink.metrics.snapshot() == SinkFigures(), "prepared rows are not committed yet")

        listeners.checkpointCompleted(1)
        let figures = try await waitFor("the committer measured the epoch") {
            let figures = sink.metrics.snapshot()
            return figures.batchRows.count > 0 ? figures : nil
        }
        #expect(figures.batchRows.count == 1 && figures.batchRows.sum == 3)
        #expect(figures.commitSeconds.count == 1)
        #expect(figures.preparedToCommitSeconds.count == 1)
        #expect(figures.endToEndLatencySeconds.count == 3)
        #expect(figures.endToEndLatencySeconds.bucketCounts.last == 3, "rows of 2023 are older than an hour")
    }

    @Test("at-least-once: every upsert batch is a committed batch")
    func atLeastOnceBatchIsMeasuredAtWrite() throws {
        let fixture = try SinkFixture(table: "metrics_at_least_once")
        let sink = try fixture.openSink(checkpointing: false)
        defer { sink.close() }

        try sink.process(rows)
        try sink.finish(output: DiscardingOutput())
        let figures = sink.metrics.snapshot()
        #expect(figures.batchRows.count == 1 && figures.batchRows.sum == 3)
        #expect(figures.commitSeconds.count == 1)
        #expect(figures.preparedToCommitSeconds.count == 0)
        #expect(figures.endToEndLatencySeconds.count == 3)
    }
}
