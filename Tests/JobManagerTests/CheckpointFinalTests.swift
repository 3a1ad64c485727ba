import SluiceEngine
import SluiceJobManager
import SluiceTestSupport
import Testing

@Suite struct CheckpointFinalTests {
    private let sink1 = TaskKey(vertex: "sink", subtask: 1)

    @Test func finalCheckpointWaitsForTheOneInFlightThenCompletes() async throws {
        let harness = try CheckpointHarness()
        defer { harness.directory.remove() }
        harness.start()
        let inFlight = try #require(await harness.triggerNext())
        let final = Task { try await harness.coordinator.triggerFinal() }
        try await waitUntil("the final request is registered") { harness.coordinator.isFinalCheckpointRequested }
        #expect(harness.messenger.triggers().allSatisfy { !$0.message.isFinal })

        await harness.acknowledgeAll(inFlight)
        let finalID = try await waitFor("the final checkpoint is triggered") {
            harness.messenger.triggers().last.flatMap { $0.message.isFinal ? $0.message.checkpointID : nil }
        }
        #expect(finalID == inFlight + 1)
        await harness.acknowledgeAll(finalID)
        let completed = try await final.value
        #expect(completed.id == finalID && completed.metadata.isFinal)
        #expect(await harness.triggerNext() == nil, "no periodic checkpoint after the final one")
    }

    /// `stop --drain`: only the final checkpoint's trigger asks the sources to drain; the one in
    /// flight before it was periodic and does not.
    @Test func onlyTheFinalCheckpointOfADrainTellsTheSourcesToDrain() async throws {
        let harness = try CheckpointHarness()
        defer { harness.directory.remove() }
        harness.start()
        let inFlight = try #require(await harness.triggerNext())
        let final = Task { try await harness.coordinator.triggerFinal(drain: true) }
        try await waitUntil("the final request is registered") { harness.coordinator.isFinalCheckpointRequested }
        await harness.acknowledgeAll(inFlight)
        let finalID = try await waitFor("the final checkpoint is triggered") {
            harness.messenger.triggers().last.flatMap { $0.message.isFinal ? $0.message.checkpointID : nil }
        }
        let triggers = harness.messenger.triggers()
        #expect(triggers.filter { $0.message.checkpointID == inFlight }.allSatisfy { !$0.message.drain })
        #expect(!triggers.filter { $0.message.checkpointID == finalID }.isEmpty)
        #expect(triggers.filter { $0.message.checkpointID == finalID }.allSatisfy { $0.message.drain && $0.message.isFinal })
        await harness.acknowledgeAll(finalID)
        #expect(try await final.value.id == finalID)
    }

    @Test func aPlainStopDoesNotDrain() async throws {
        let harness = try CheckpointHarness()
        defer { harness.directory.remove() }
        harness.start()
        let final = Task { try await harness.coordinator.triggerFinal() }
        let finalID = try await waitFor("the final checkpoint is triggered") { harness.messenger.lastTriggeredID }
        #expect(harness.messenger.triggers().allSatisfy { !$0.message.drain })
        await harness.acknowledgeAll(finalID)
        _ = try await final.value
    }

    @Test func declinedFinalCheckpointThrowsAndPeriodicCheckpointsResume() async throws {
        let harness = try CheckpointHarness()
        defer { harness.directory.remove() }
        harness.start()
        let final = Task { try await harness.coordinator.triggerFinal() }
        let finalID = try await waitFor("the final checkpoint is triggered") { harness.messenger.lastTriggeredID }
        await harness.decline(sink1, checkpoint: finalID, reason: "sink cannot prepare")
        await #expect(throws: CheckpointCoordinatorError.self) { try await final.value }
        #expect(await harness.triggerNext() == finalID + 1)
    }

    @Test func finalCheckpointFailsWhenCheckpointingStops() async throws {
        let harness = try CheckpointHarness()
        defer { harness.directory.remove() }
        harness.start()
        let final = Task { try await harness.coordinator.triggerFinal() }
        try await waitUntil("the final checkpoint is triggered") { harness.messenger.lastTriggeredID != nil }
        await harness.coordinator.stop(reason: "job cancelled").value
        do {
            _ = try await final.value
            Issue.record("triggerFinal returned although checkpointing stopped")
        } catch let error as CheckpointCoordinatorError {
            #expect(error == .stopped(reason: "job cancelled"))
        }
    }

    @Test func finalCheckpointNeedsARunningAttempt() async throws {
        let harness = try CheckpointHarness()
        defer { harness.directory.remove() }
        await #expect(throws: CheckpointCoordinatorError.notRunning) { try await harness.coordinator.triggerFinal() }
    }

    @Test func timerTriggersWithoutManualTicks() async throws {
        let harness = try CheckpointHarness(settings: CheckpointSettings(intervalMillis: 1, timeoutMillis: 60_000),
                                            tickInterval: .milliseconds(5))
        defer { harness.directory.remove() }
        harness.start()
        harness.clock.advance(byMillis: 1)
        try await waitUntil("the timer triggered a checkpoint") { harness.messenger.lastTriggeredID == 1 }
        harness.coordinator.stop(reason: "test over")
    }
}
