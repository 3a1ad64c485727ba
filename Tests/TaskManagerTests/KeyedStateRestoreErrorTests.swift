import Foundation
import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import SluiceProtocol
import SluiceTaskManager
import Testing

@Suite struct KeyedStateRestoreErrorTests {
    private let all = KeyGroupRange(start: 0, end: 127)

    /// Checkpoint 5 of one subtask holding every key group.
    private func checkpoint(_ fixture: KeyedStateFixture) throws -> _ProtoStateHandle {
        let backend = try fixture.backend("source", keyGroups: all)
        try SampleKeyedState(keysPerGroup: 10).write(into: backend)
        return try fixture.checkpoint(backend, fixture.snapshotter(task: "keyed-0", subtask: 0), id: 5).handle
    }

    private func firstSharedFile(of handle: _ProtoStateHandle, in fixture: KeyedStateFixture) throws -> String {
        let entry = try #require(handle.sharedFiles.first)
        return fixture.jobRoot + "/" + String(entry.split(separator: "=")[1])
    }

    @Test func missingSharedFileIsNamedWithItsCheckpoint() throws {
        let fixture = try KeyedStateFixture()
        let handle = try checkpoint(fixture)
        let file = try firstSharedFile(of: handle, in: fixture)
        try FileManager.default.removeItem(atPath: file)

        #expect(throws: KeyedStateError.missingCheckpointFile(path: file, checkpoint: "chk-5")) {
            try fixture.restore([handle], keyGroups: all, into: "restored")
        }
    }

    @Test func missingPrivateFilesAreNamedWithTheirCheckpoint() throws {
        let fixture = try KeyedStateFixture()
        let handle = try checkpoint(fixture)
        try FileManager.default.removeItem(atPath: fixture.jobRoot + "/chk-5")

        #expect(throws: KeyedStateError.missingCheckpointFile(path: fixture.jobRoot + "/" + handle.path, checkpoint: "chk-5")) {
            try fixture.restore([handle], keyGroups: all, into: "restored")
        }
    }

    @Test(arguments: [FileDamage.overwriteFooter, .truncate])
    func damagedSharedFileIsReportedAsCorruptNamingTheFile(damage: FileDamage) throws {
        let fixture = try KeyedStateFixture()
        let handle = try checkpoint(fixture)
        let file = try firstSharedFile(of: handle, in: fixture)
        try damage.apply(to: file)

        let error = #expect(throws: KeyedStateError.self) {
            try fixture.restore([handle], keyGroups: all, into: "restored")
        }
        guard case .corruptCheckpoint(let checkpoint, let named, _) = error else {
            Issue.record("expected a corrupt-checkpoint error, got \(String(describing: error))")
            return
        }
        #expect(checkpoint == "chk-5")
        #expect(named == file, "\(String(describing: error))")
    }

    @Test(arguments: [HandleDefect.pathLeavingTheRoot, .sharedFileLeavingTheRoot, .localNameWithSlash, .noKeyGroups])
    func handleThatCouldNotHaveBeenWrittenIsRejected(defect: HandleDefect) throws {
        let fixture = try KeyedStateFixture()
        var handle = try checkpoint(fixture)
        defect.apply(to: &handle)

        let error = #expect(throws: KeyedStateError.self) {
            try fixture.restore([handle], keyGroups: all, into: "restored")
        }
        guard case .invalidHandle = error else {
            Issue.record("expected an invalid-handle error, got \(String(describing: error))")
            return
        }
    }

    @Test func keyGroupsWithoutAHandleAreAnErrorNotAnEmptyState() throws {
        let fixture = try KeyedStateFixture()
        let backend = try fixture.backend("half", keyGroups: KeyGroupRange(start: 0, end: 63))
        let handle = try fixture.checkpoint(backend, fixture.snapshotter(task: "keyed-0", subtask: 0), id: 5).handle

        let error = #expect(throws: KeyedStateError.self) {
            try fixture.restore([handle], keyGroups: all, into: "restored")
        }
        #expect(error.map { "\($0)".contains("key group 64") } == true, "\(String(describing: error))")
    }

    /// How a test damages a file in checkpoint storage.
    enum FileDamage: CustomStringConvertible {
        case overwriteFooter, truncate

        var description: String { self == .truncate ? "truncated" : "footer overwritten" }

        func apply(to path: String) throws {
            let handle = try #require(FileHandle(forUpdatingAtPath: path))
            defer { try? handle.close() }
            let size = try handle.seekToEnd()
            switch self {
            case .overwriteFooter:
                try handle.seek(toOffset: size - 48)
                try handle.write(contentsOf: Data(repeating: 0xEE, count: 48))
            case .truncate:
                try handle.truncate(atOffset: size / 2)
            }
        }
    }

    /// A handle edited so it points outside the checkpoint or lacks what every snapshot writes.
    enum HandleDefect: CustomStringConvertible {
        case pathLeavingTheRoot, sharedFileLeavingTheRoot, localNameWithSlash, noKeyGroups

        var description: String {
            switch self {
            case .pathLeavingTheRoot: "path leaving the root"
            case .sharedFileLeavingTheRoot: "shared file leaving the root"
            case .localNameWithSlash: "local name with a slash"
            case .noKeyGroups: "no key groups"
            }
        }

        func apply(to handle: inout _ProtoStateHandle) {
            switch self {
            case .pathLeavingTheRoot: handle.path = "chk-5/../../etc"
            case .sharedFileLeavingTheRoot: handle.sharedFiles[0] = "000001.sst=shared/../../etc/passwd"
            case .localNameWithSlash: handle.sharedFiles[0] = "../000001.sst=" + handle.sharedFiles[0].split(separator: "=")[1]
            case .noKeyGroups: handle.clearKeyGroups()
            }
        }
    }
}
