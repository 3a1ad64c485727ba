import Foundation
@testable import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
@testable import SluiceConnectors
@testable import SluiceEngine
@testable import SluiceLibrary
import SluiceOperators
import SluicePostgres
import SluiceTestSupport
import Testing

/// The exactly-once PostgreSQL sink against a real server (DESIGN.md §6): rows of epoch n
/// become visible when checkpoint n completes, recovery commits what the restored checkpoint
/// names and rolls back the rest, and a task of an older attempt can never make rows visible.
@Suite("Exactly-once PostgreSQL sink", .postgresServer)
struct ExactlyOnceSinkTests {
    @Test("rows of an epoch are invisible after the barrier and visible once its checkpoint completes")
    func epochRowsBecomeVisibleWhenCheckpointCompletes() async throws {
        let fixture = try SinkFixture(table: "eo_visibility")
        let listeners = CheckpointListeners()
        let sink = try fixture.openSink(listeners: listeners)
        defer { sink.close() }

        try sink.process(SinkFixture.rows([("c1", "k1"), ("c2", nil)]))
        let state = try sink.snapshotState(checkpointID: 1)
        #expect(state != nil, "the prepared transaction is part of the checkpoint")
        #expect(try fixture.visibleRows().isEmpty)
        #expect(try fixture.preparedGIDs() == ["sluice:\(fixture.lineage):sink:1:0:1"])

        listeners.checkpointCompleted(1)
        try await fixture.waitForRows(["c1": "k1", "c2": "-"])
        try await waitUntil("the committed transaction is no longer prepared") { try fixture.preparedGIDs().isEmpty }
    }

    @Test("rows of epoch 2 stay invisible while only checkpoint 1 completed")
    func laterEpochStaysInvisibleUntilItsCheckpointCompletes() async throws {
        let fixture = try SinkFixture(table: "eo_later_epoch")
        let listeners = CheckpointListeners()
        let sink = try fixture.openSink(listeners: listeners)
        defer { sink.close() }

        try sink.process(SinkFixture.rows([("c1", "k1")]))
        _ = try sink.snapshotState(checkpointID: 1)
        try sink.process(SinkFixture.rows([("c2", "k2")]))
        _ = try sink.snapshotState(checkpointID: 2)

        listeners.checkpointCompleted(1)
        try await fixture.waitForRows(["c1": "k1"])
        #expect(try fixture.preparedGIDs() == ["sluice:\(fixture.lineage):sink:1:0:2"])

        listeners.checkpointCompleted(2)
        try await fixture.waitForRows(["c1": "k1", "c2": "k2"])
    }

    @Test("an aborted checkpoint's transaction is committed with the next completed checkpoint")
    func abortedCheckpointCommitsWithNextCompletedOne() async throws {
        let fixture = try SinkFixture(table: "eo_aborted")
        let listeners = CheckpointListeners()
        let sink = try fixture.openSink(listeners: listeners)
        defer { sink.close() }

        try sink.process(SinkFixture.rows([("c1", "k1")]))
        _ = try sink.snapshotState(checkpointID: 1)  // checkpoint 1 never completes
        try sink.process(SinkFixture.rows([("c2", nil)]))
        let state = try #require(try sink.snapshotState(checkpointID: 2))
        #expect(try SinkStateCodec.decode(state).map(\.checkpointID) == [1, 2], "checkpoint 2 names both pending transactions")

        listeners.checkpointCompleted(2)
        try await fixture.waitForRows(["c1": "k1", "c2": "-"])
        try await waitUntil("both transactions are committed") { try fixture.preparedGIDs().isEmpty }
    }

    @Test("a restored sink commits the restored checkpoint's transaction and rolls back a later orphan")
    func restoreCommitsCheckpointedTransactionAndRollsBackOrphan() throws {
        let fixture = try SinkFixture(table: "eo_restore")
        let failed = try fixture.openSink(attempt: 1)
        try failed.process(SinkFixture.rows([("c1", "k1"), ("c2", "k2")]))
        let checkpoint1 = try #require(try failed.snapshotState(checkpointID: 1))
        try failed.process(SinkFixture.rows([("c3", "k3")]))
        _ = try failed.snapshotState(checkpointID: 2)  // prepared, but checkpoint 2 never completed
        failed.close()  // the task died; no completion notice reached it
        #expect(try fixture.preparedGIDs().count == 2)

        let restored = try fixture.openSink(attempt: 2, restoring: [checkpoint1])
        defer { restored.close() }
        #expect(try fixture.visibleRows() == ["c1": "k1", "c2": "k2"], "exactly epoch 1's rows")
        #expect(try fixture.preparedGIDs().isEmpty, "epoch 2's orphan was rolled back")
    }

    @Test("a restore after a rescale commits the transactions of every old subtask")
    func restoreCommitsTransactionsOfEveryOldSubtask() throws {
        let fixture = try SinkFixture(table: "eo_rescale")
        var states: [[UInt8]] = []
        for (subtask, checkout) in ["c1", "c2"].enumerated() {
            let old = try fixture.openSink(attempt: 1, subtask: subtask)
            try old.process(SinkFixture.rows([(checkout, "k\(subtask)")]))
            states.append(try #require(try old.snapshotState(checkpointID: 4)))
            old.close()
        }

        let restored = try fixture.openSink(attempt: 2, restoring: states)
        defer { restored.close() }
        #expect(try fixture.visibleRows() == ["c1": "k0", "c2": "k1"])
        #expect(try fixture.preparedGIDs().isEmpty)
    }

    @Test("after a newer attempt opened, the older attempt's next transaction fails as fenced and its rows never appear")
    func zombieNextTransactionIsFenced() async throws {
        let fixture = try SinkFixture(table: "eo_fenced")
        let zombieListeners = CheckpointListeners()
        let zombie = try fixture.openSink(attempt: 1, params: ["batch-size": "1"], listeners: zombieListeners)
        defer { zombie.close() }
        try zombie.process(SinkFixture.rows([("c1", "k1")]))
        let checkpoint1 = try #require(try zombie.snapshotState(checkpointID: 1))

        let successor = try fixture.openSink(attempt: 2, restoring: [checkpoint1])
        defer { successor.close() }
        #expect(try fixture.visibleRows() == ["c1": "k1"])

        let error = try #require(throws: ExactlyOnceSinkError.self) { try zombie.process(SinkFixture.rows([("c2", "k2")])) }
        guard case .fenced(_, _, let attempt, let fenceAttempt) = error else {
            Issue.record("expected fenced, got \(error)")
            return
        }
        #expect(attempt == 1 && fenceAttempt == 2)
        #expect(try fixture.visibleRows() == ["c1": "k1"])
        #expect(try fixture.preparedGIDs().isEmpty)
    }

    @Test("a zombie reaching the end of its bounded input after a newer attempt opened is refused, and commits nothing")
    func zombieFinishIsFenced() throws {
        let fixture = try SinkFixture(table: "eo_fenced_finish")
        let zombie = try fixture.openSink(attempt: 1, params: ["batch-size": "1"])
        defer { zombie.close() }
        try zombie.process(SinkFixture.rows([("c1", "k1")]))
        _ = try zombie.snapshotState(checkpointID: 1)  // prepared; checkpoint 1 never completes

        // The newer attempt restores from before checkpoint 1: it rolls the orphan back and raises the fence.
        let successor = try fixture.openSink(attempt: 2)
        defer { successor.close() }

        let error = try #require(throws: ExactlyOnceSinkError.self) { try zombie.finish(output: DiscardingOutput()) }
        guard case .fenced(_, _, let attempt, let fenceAttempt) = error else {
            Issue.record("expected fenced, got \(error)")
            return
        }
        #expect(attempt == 1 && fenceAttempt == 2)
        #expect(try fixture.visibleRows().isEmpty)
        #expect(try fixture.preparedGIDs().isEmpty)
    }

    @Test("an older attempt's open transaction does not hold up the newer attempt, and cannot be prepared")
    func zombieOpenTransactionCannotBePrepared() throws {
        let fixture = try SinkFixture(table: "eo_fenced_open")
        let zombie = try fixture.openSink(attempt: 1, params: ["batch-size": "1"])
        defer { zombie.close() }
        try zombie.process(SinkFixture.rows([("c1", "k1")]))  // written into the open epoch transaction

        let successor = try fixture.openSink(attempt: 2)
        defer { successor.close() }

        let error = try #require(throws: ExactlyOnceSinkError.self) { try zombie.snapshotState(checkpointID: 1) }
        guard case .fenced = error else {
            Issue.record("expected fenced, got \(error)")
            return
        }
        #expect(try fixture.visibleRows().isEmpty)
        #expect(try fixture.preparedGIDs().isEmpty)
    }

    @Test("an eager correction of a row whose transaction is prepared waits for the commit instead of deadlocking")
    func eagerCorrectionWaitsForCommitOfPreparedRow() async throws {
        let fixture = try SinkFixture(table: "eo_eager")
        let listeners = CheckpointListeners()
        let sink = try fixture.openSink(params: ["batch-size": "1", "lock-timeout-ms": "30000"], listeners: listeners)
        defer { sink.close() }
        try sink.process(SinkFixture.rows([("c1", nil)]))
        _ = try sink.snapshotState(checkpointID: 1)  // the prepared transaction keeps c1 locked

        // The correction blocks the task thread on c1's lock: run it on a thread of its own.
        let handedOver = UncheckedSendable(sink)
        async let correction: Void = onOwnThread { try handedOver.value.process(SinkFixture.rows([("c1", "k1")])) }
        // Deliver the notice even if the wait fails, so a failing test cannot leave the thread blocked.
        let lockWaitSeen = (try? await waitUntil("the correction waits for the prepared transaction's row lock") {
            try fixture.reader.execute("""
                SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
                  AND (query LIKE 'COPY "public"."eo_eager"%' OR query LIKE 'INSERT INTO "public"."eo_eager"%')
                """).value(row: 0, column: 0) == "1"
        }) != nil
        listeners.checkpointCompleted(1)  // what the TaskManager's network thread does
        try await correction
        #expect(lockWaitSeen, "the correction waited for the row lock of the prepared transaction")
        try await fixture.waitForRows(["c1": "-"])
        _ = try sink.snapshotState(checkpointID: 2)
        listeners.checkpointCompleted(2)
        try await fixture.waitForRows(["c1": "k1"])
    }

    @Test("a correction waiting for the row of a checkpoint that never completes fails the task after lock-timeout-ms")
    func correctionOfUncompletedCheckpointTimesOut() throws {
        let fixture = try SinkFixture(table: "eo_lock_timeout")
        let sink = try fixture.openSink(params: ["batch-size": "1", "lock-timeout-ms": "100"])
        try sink.process(SinkFixture.rows([("c1", nil)]))
        _ = try sink.snapshotState(checkpointID: 1)  // checkpoint 1 is aborted: no notice will come

        let error = try #require(throws: ExactlyOnceSinkError.self) {
            try sink.process(SinkFixture.rows([("c1", "k1")]))
            // The batch is sent without waiting: its error comes at the next barrier at the latest.
            _ = try sink.snapshotState(checkpointID: 2)
        }
        guard case .rowLockTimeout(let millis) = error else {
            Issue.record("expected rowLockTimeout, got \(error)")
            return
        }
        #expect(millis == 100)
        sink.close()
        let recovered = try fixture.openSink(attempt: 2)  // restored from checkpoint 0: epoch 1 is an orphan
        defer { recovered.close() }
        #expect(try fixture.visibleRows().isEmpty)
        #expect(try fixture.preparedGIDs().isEmpty)
    }

    @Test("end of a bounded input commits the open transaction and the prepared ones")
    func finishCommitsEverything() throws {
        let fixture = try SinkFixture(table: "eo_finish")
        let sink = try fixture.openSink()
        defer { sink.close() }
        try sink.process(SinkFixture.rows([("c1", "k1")]))
        _ = try sink.snapshotState(checkpointID: 1)  // no completion notice yet
        try sink.process(SinkFixture.rows([("c2", nil)]))

        try sink.finish(output: DiscardingOutput())
        #expect(try fixture.visibleRows() == ["c1": "k1", "c2": "-"])
        #expect(try fixture.preparedGIDs().isEmpty)
    }

    @Test("a batch PostgreSQL refuses (sent without waiting) fails the epoch at the barrier: nothing prepared, nothing visible")
    func failedBatchFailsTheEpochBeforePrepare() throws {
        let fixture = try SinkFixture(table: "eo_failed_batch")
        try fixture.reader.simpleQuery("ALTER TABLE \(fixture.table) ADD CHECK (checkout_id <> 'poison')")
        let sink = try fixture.openSink(params: ["batch-size": "1"])
        defer { sink.close() }
        // Batch "c1" is in flight when batch "poison" is sent; "poison" fails in the server while
        // the task goes on, and its error must stop the barrier's PREPARE.
        try sink.process(SinkFixture.rows([("c1", "k1"), ("poison", nil)]))
        let error = #expect(throws: PostgresError.self) { try sink.snapshotState(checkpointID: 1) }
        #expect(error?.sqlState == "23514")
        #expect(try fixture.preparedGIDs().isEmpty)
        #expect(try fixture.visibleRows().isEmpty)
    }

    @Test("without checkpointing each batch commits at once; a checkout already in the table is replaced (at-least-once)")
    func atLeastOnceUpsertsImmediately() throws {
        let fixture = try SinkFixture(table: "alo_upsert")
        let sink = try fixture.openSink(checkpointing: false, params: ["batch-size": "1"])
        defer { sink.close() }
        try sink.process(SinkFixture.rows([("c1", nil)]))
        #expect(try fixture.visibleRows() == ["c1": "-"])
        try sink.process(SinkFixture.rows([("c1", "k1")]))
        #expect(try fixture.visibleRows() == ["c1": "k1"])
        #expect(try sink.snapshotState(checkpointID: 1) == nil, "nothing to restore")
        #expect(try fixture.preparedGIDs().isEmpty)
    }

    @Test("asking for exactly-once without checkpointing is a configuration error naming checkpoints.interval-ms")
    func exactlyOnceWithoutCheckpointingIsRefused() throws {
        let fixture = try SinkFixture(table: "eo_refused")
        let error = try #require(throws: OperatorError.self) {
            _ = try fixture.openSink(checkpointing: false, params: ["delivery": "exactly-once"])
        }
        #expect(error.description.contains("checkpoints.interval-ms"))
    }

    @Test("the fence cannot be raised while a prepared transaction of an older attempt holds it")
    func fenceRaiseTimesOutWhilePreparedTransactionHoldsIt() throws {
        let fixture = try SinkFixture(table: "eo_fence_lock")
        let zombie = try fixture.openSink(attempt: 1, params: ["batch-size": "1"])
        try zombie.process(SinkFixture.rows([("c1", "k1")]))
        _ = try zombie.snapshotState(checkpointID: 1)  // holds the fence row FOR SHARE
        zombie.close()
        let gid = try #require(try fixture.preparedGIDs().first)

        let fence = SinkFence(lineage: fixture.lineage, operatorID: "sink", attempt: 2)
        #expect(try fence.raise(on: fixture.reader, lockTimeoutMillis: 50) == false)
        #expect(try fixture.reader.rollbackPrepared(gid) == .finished)
        #expect(try fence.raise(on: fixture.reader, lockTimeoutMillis: 50))
        #expect(throws: ExactlyOnceSinkError.self) {
            try SinkFence(lineage: fixture.lineage, operatorID: "sink", attempt: 1).check(on: fixture.reader, lock: false)
        }
    }

    @Test("a plain insert meeting a checkout already in the table redoes its epoch as upserts: every row lands, the new version wins")
    func conflictingInsertRedoesTheEpochAsUpserts() async throws {
        let fixture = try SinkFixture(table: "eo_redo")
        try fixture.insertCommitted(checkoutID: "c2", clickID: "old")
        let listeners = CheckpointListeners()
        let sink = try fixture.openSink(params: ["batch-size": "1"], listeners: listeners)
        defer { sink.close() }

        // c1 succeeds as an insert, c2 fails in the server while c3 is sent: the epoch starts over.
        try sink.process(SinkFixture.rows([("c1", "k1"), ("c2", "k2"), ("c3", nil)]))
        _ = try sink.snapshotState(checkpointID: 1)
        #expect(try fixture.visibleRows() == ["c2": "old"], "nothing of the epoch is visible before its checkpoint")
        listeners.checkpointCompleted(1)
        try await fixture.waitForRows(["c1": "k1", "c2": "k2", "c3": "-"])

        // From now on every batch upserts: a correction in the next epoch replaces the row.
        try await fixture.commitEpoch([("c1", nil), ("c4", "k4")], through: sink, checkpointID: 2, listeners: listeners,
                                      expecting: ["c1": "-", "c2": "k2", "c3": "-", "c4": "k4"])
    }

    @Test("a checkout corrected within one epoch, in separate batches, ends as its last version")
    func correctionWithinTheEpochEndsAsLastVersion() async throws {
        let fixture = try SinkFixture(table: "eo_redo_same_epoch")
        let listeners = CheckpointListeners()
        let sink = try fixture.openSink(params: ["batch-size": "1"], listeners: listeners)
        defer { sink.close() }
        try await fixture.commitEpoch([("c1", nil), ("c2", "k2"), ("c1", "k1")], through: sink, checkpointID: 1, listeners: listeners,
                                      expecting: ["c1": "k1", "c2": "k2"])
    }

    @Test("an epoch outgrowing insert-redo-rows takes a fresh savepoint: a later conflict redoes only the rows since, the earlier ones stay")
    func conflictAfterASavepointRedoesOnlyTheRowsSince() async throws {
        let fixture = try SinkFixture(table: "eo_redo_savepoint")
        try fixture.insertCommitted(checkoutID: "c4", clickID: "old")
        let listeners = CheckpointListeners()
        let sink = try fixture.openSink(params: ["batch-size": "1", "insert-redo-rows": "2"], listeners: listeners)
        defer { sink.close() }
        // c3 would exceed the limit: c2 is settled and a new savepoint taken, so c1 and c2 are
        // behind it; c4 conflicts when the barrier settles it, and c3 and c4 go again as upserts.
        try await fixture.commitEpoch([("c1", "k1"), ("c2", "k2"), ("c3", nil), ("c4", "k4")], through: sink, checkpointID: 1, listeners: listeners,
                                      expecting: ["c1": "k1", "c2": "k2", "c3": "-", "c4": "k4"])
    }

    @Test("an epoch past the savepoint cap upserts the rest: a conflict there still lands as the new version")
    func epochPastTheSavepointCapUpserts() async throws {
        let fixture = try SinkFixture(table: "eo_redo_cap")
        try fixture.insertCommitted(checkoutID: "c2", clickID: "old")
        try fixture.insertCommitted(checkoutID: "c39", clickID: "old")
        let listeners = CheckpointListeners()
        let sink = try fixture.openSink(params: ["batch-size": "1", "insert-redo-rows": "1"], listeners: listeners)
        defer { sink.close() }
        // Epoch 1: every row takes a savepoint until the cap; c39 comes after it, as an upsert.
        let first = (1...40).filter { $0 != 2 }.map { ("c\($0)", "k\($0)") as (String, String?) }
        var expected = Dictionary(uniqueKeysWithValues: first.map { ($0.0, $0.1 ?? "-") })
        expected["c2"] = "old"
        try await fixture.commitEpoch(first, through: sink, checkpointID: 1, listeners: listeners, expecting: expected)
        // Epoch 2 inserts again: its conflict (c2) is redone from its savepoint.
        expected["c2"] = "k2"
        expected["c41"] = "-"
        try await fixture.commitEpoch([("c41", nil), ("c2", "k2")], through: sink, checkpointID: 2, listeners: listeners, expecting: expected)
    }

    @Test("with insert-redo-rows 0 the sink only upserts; past the limit without a conflict the epoch still commits whole")
    func redoLimitZeroAndNoConflict() async throws {
        let fixture = try SinkFixture(table: "eo_redo_off")
        try fixture.insertCommitted(checkoutID: "c1", clickID: "old")
        let listeners = CheckpointListeners()
        let upserting = try fixture.openSink(params: ["batch-size": "1", "insert-redo-rows": "0"], listeners: listeners)
        try await fixture.commitEpoch([("c1", "k1"), ("c2", nil)], through: upserting, checkpointID: 1, listeners: listeners,
                                      expecting: ["c1": "k1", "c2": "-"])
        upserting.close()

        let limited = try fixture.openSink(attempt: 2, restoring: [], params: ["batch-size": "2", "insert-redo-rows": "3"])
        defer { limited.close() }
        try limited.process(SinkFixture.rows([("c3", nil), ("c4", nil), ("c5", nil), ("c6", nil), ("c7", nil)]))
        try limited.finish(output: DiscardingOutput())
        #expect(try fixture.visibleRows() == ["c1": "k1", "c2": "-", "c3": "-", "c4": "-", "c5": "-", "c6": "-", "c7": "-"])
    }
}
