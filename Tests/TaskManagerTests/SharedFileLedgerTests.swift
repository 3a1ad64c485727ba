@testable import SluiceTaskManager
import Testing

@Suite struct SharedFileLedgerTests {
    private let first: SharedFileLedger.Files = ["000009.sst": "shared/a-9"]
    private let second: SharedFileLedger.Files = ["000009.sst": "shared/a-9", "000012.sst": "shared/b-12"]

    @Test func startsWithTheRestoredFiles() {
        #expect(SharedFileLedger(restored: first).reusable == first)
    }

    @Test func uploadedFilesBecomeReusableOnlyWhenTheirCheckpointCompletes() {
        var ledger = SharedFileLedger()
        ledger.recordUploaded(checkpointID: 1, files: first)
        #expect(ledger.reusable.isEmpty)
        ledger.checkpointCompleted(1)
        #expect(ledger.reusable == first)
    }

    @Test func abortedCheckpointsFilesAreNeverReused() {
        var ledger = SharedFileLedger()
        ledger.recordUploaded(checkpointID: 1, files: first)
        ledger.checkpointAborted(1)
        ledger.checkpointCompleted(1)
        #expect(ledger.reusable.isEmpty)
    }

    @Test func aLateCompletionOfAnOlderCheckpointChangesNothing() {
        var ledger = SharedFileLedger()
        ledger.recordUploaded(checkpointID: 1, files: first)
        ledger.recordUploaded(checkpointID: 2, files: second)
        ledger.checkpointCompleted(2)
        ledger.checkpointCompleted(1)
        #expect(ledger.reusable == second)
    }

    @Test func pendingCheckpointsAreBoundedWhenCompletionsNeverArrive() {
        var ledger = SharedFileLedger(pendingLimit: 2)
        for id in 1...3 { ledger.recordUploaded(checkpointID: UInt64(id), files: ["\(id).sst": "shared/\(id)"]) }
        ledger.checkpointCompleted(1)
        #expect(ledger.reusable.isEmpty, "the oldest pending set was dropped")
        ledger.checkpointCompleted(3)
        #expect(ledger.reusable == ["3.sst": "shared/3"])
    }
}
