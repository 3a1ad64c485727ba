import Foundation
import SluiceJobManager
import SluiceProtocol
import SluiceTestSupport
import Testing

@Suite struct CheckpointStorageTests {
    private static let job = CheckpointJobInfo(jobID: "job-7", lineage: "lineage-7", jobName: "clicks", specYAML: "name: clicks\n")

    private func metadata(_ id: UInt64) -> CheckpointMetadata {
        var handle = _ProtoStateHandle()
        handle.operatorID = "clicks"
        handle.kind = "source-offsets"
        handle.inlineData = Data([0, 1, 2, 255])
        handle.subtaskIndex = 1
        return CheckpointMetadata(job: Self.job, attempt: 2, checkpointID: id, triggerTimestamp: 10, completionTimestamp: 20,
                                  isFinal: true, tasks: [.init(vertex: "clicks", subtask: 1, parallelism: 2, stateHandles: [StoredStateHandle(handle)])])
    }

    @Test func metadataRoundTripsThroughTheDirectoryOrTheFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let storage = try CheckpointStorage(root: directory.path)
        let path = try storage.writeMetadata(metadata(3))
        #expect(path == directory.path + "/chk-3")
        #expect(try CheckpointStorage.load(path: path) == metadata(3))
        #expect(try CheckpointStorage.load(path: path + "/_metadata") == metadata(3))
        let completed = try CheckpointStorage.loadCompleted(path: path + "/_metadata")
        #expect(completed.externalPath == path && completed.id == 3)
        let restored = try #require(completed.metadata.handles(forVertex: "clicks").first)
        #expect(restored.inlineData == Data([0, 1, 2, 255]) && !restored.hasKeyGroups && restored.subtaskIndex == 1)
    }

    @Test func loadingExplainsWhatIsWrong() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: CheckpointStorageError.missing(path: directory.path + "/chk-9")) {
            try CheckpointStorage.load(path: directory.path + "/chk-9")
        }
        try FileManager.default.createDirectory(atPath: directory.path + "/chk-8", withIntermediateDirectories: true)
        #expect(throws: CheckpointStorageError.missing(path: directory.path + "/chk-8/_metadata")) {
            try CheckpointStorage.load(path: directory.path + "/chk-8")
        }
        let future = directory.path + "/future.json"
        try Data(#"{"format_version": 7, "job_id": "x"}"#.utf8).write(to: URL(fileURLWithPath: future))
        #expect(throws: CheckpointStorageError.unsupportedVersion(path: future, found: 7, supported: 1)) {
            try CheckpointStorage.load(path: future)
        }
        let garbage = directory.path + "/garbage"
        try Data("not json".utf8).write(to: URL(fileURLWithPath: garbage))
        #expect {
            try CheckpointStorage.load(path: garbage)
        } throws: { error in
            guard case .malformed(let path, _)? = error as? CheckpointStorageError else { return false }
            return path == garbage
        }
    }

    @Test func relativeRootIsRefused() {
        #expect(throws: CheckpointStorageError.relativeRoot("checkpoints/lineage")) {
            try CheckpointStorage(root: "checkpoints/lineage")
        }
    }
}
