import Foundation
import Logging
import SluiceTestSupport
import Testing
@testable import SluiceJobManager

/// The JobManager's HA directory: what a restarted JobManager reads back.
@Suite struct HighAvailabilityStoreTests {
    @Test func recordsRoundTripAndRemovedOnesAreGone() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-ha")
        defer { directory.remove() }
        let store = try HighAvailabilityStore(directory: directory.path, logger: Logger(label: "test.ha"))
        let first = JobRecord(id: "a", lineage: "a", name: "one", specYAML: "name: one", parallelism: 2, attempt: 3,
                              submittedAt: 10, latestCheckpoint: "/ckpt/a/chk-7")
        let second = JobRecord(id: "b", lineage: "a", name: "two", specYAML: "name: two", parallelism: 1, attempt: 1,
                               submittedAt: 20, latestCheckpoint: nil)
        try store.save(second)
        try store.save(first)
        #expect(store.load() == [first, second], "oldest submission first")
        var updated = first
        updated.attempt = 4
        try store.save(updated)
        store.remove("b")
        #expect(store.load() == [updated])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/jobs")
        #expect(leftovers == ["a.json"], "no temp files left behind")
    }

    @Test func anUnreadableRecordIsSkippedNotFatal() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-ha")
        defer { directory.remove() }
        let store = try HighAvailabilityStore(directory: directory.path, logger: Logger(label: "test.ha"))
        let good = JobRecord(id: "good", lineage: "good", name: "n", specYAML: "y", parallelism: 1, attempt: 1, submittedAt: 1,
                             latestCheckpoint: nil)
        try store.save(good)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: directory.path + "/jobs/torn.json"))
        #expect(store.load() == [good])
    }
}
