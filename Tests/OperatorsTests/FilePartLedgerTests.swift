@testable import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
@testable import SluiceConnectors
@testable import SluiceEngine
@testable import SluiceLibrary
import SluiceOperators
import Testing

/// The file sink's ledger of closed, uncommitted part files: what a checkpoint stores and what a
/// completion commits.
@Suite struct FilePartLedgerTests {
    private func part(_ checkpoint: UInt64, _ n: Int) -> FilePartLedger.Part {
        FilePartLedger.Part(checkpointID: checkpoint, temporary: ".part-\(n).jsonl.inprogress", final: "part-\(n).jsonl")
    }

    @Test func aCompletionCommitsItsPartsAndOlderOnesOnlyOnce() {
        var ledger = FilePartLedger()
        ledger.closed(part(3, 0))
        ledger.closed(part(4, 1))
        ledger.closed(part(6, 2))
        #expect(ledger.commitThrough(2).isEmpty, "nothing closed at or before checkpoint 2")
        #expect(ledger.commitThrough(4) == [part(3, 0), part(4, 1)], "checkpoint 4 subsumes 3")
        #expect(ledger.commitThrough(4).isEmpty, "never twice")
        #expect(ledger.parts == [part(6, 2)])
    }

    @Test func theLedgerRoundTripsThroughItsCheckpointBytes() throws {
        var ledger = FilePartLedger()
        ledger.closed(part(7, 0))
        ledger.closed(part(.max, 1))
        #expect(try FilePartLedger.decode(ledger.encoded()) == ledger)
        #expect(try FilePartLedger.decode(FilePartLedger().encoded()) == FilePartLedger())
    }

    @Test func corruptStateIsRefusedNotTrusted() {
        var ledger = FilePartLedger()
        ledger.closed(part(7, 0))
        let bytes = ledger.encoded()
        #expect(throws: (any Error).self) { try FilePartLedger.decode(Array(bytes.dropLast(3))) }
        #expect(throws: (any Error).self) { try FilePartLedger.decode(bytes + [1]) }
        #expect(throws: (any Error).self) { try FilePartLedger.decode([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) }
    }
}
