import SluiceEngine
import Testing

@Suite struct KeyGroupTests {
    @Test(arguments: [1, 2, 3, 5, 7, 128])
    func subtaskRangesPartitionAllKeyGroups(parallelism: Int) {
        let ranges = (0..<parallelism).map { KeyGroupRange.forSubtask($0, parallelism: parallelism, maxParallelism: 128) }
        #expect(ranges.first?.start == 0)
        #expect(ranges.last?.end == 127)
        for (previous, next) in zip(ranges, ranges.dropFirst()) {
            #expect(next.start == previous.end + 1)
        }
        #expect(ranges.map(\.count).max()! - ranges.map(\.count).min()! <= 1)
    }

    @Test(arguments: [1, 2, 3, 4, 6])
    func subtaskForKeyGroupAgreesWithTheRanges(parallelism: Int) {
        let assigner = KeyGroupAssigner(maxParallelism: 128)
        for group in 0..<128 {
            let subtask = assigner.subtask(forKeyGroup: group, parallelism: parallelism)
            #expect(KeyGroupRange.forSubtask(subtask, parallelism: parallelism, maxParallelism: 128).contains(group))
        }
    }

    @Test func murmur3MatchesReferenceValues() {
        // Reference values of MurmurHash3_x86_32 with seed 0.
        let assigner = KeyGroupAssigner(maxParallelism: 1 << 15)
        #expect(assigner.keyGroup(forKey: [UInt8]()) == 0)
        #expect(assigner.keyGroup(forKey: Array("hello".utf8)) == Int(0x248b_fa47 % (1 << 15)))
        #expect(assigner.keyGroup(forKey: Array("The quick brown fox jumps over the lazy dog".utf8)) == Int(0x2e4f_f723 % (1 << 15)))
    }

    @Test func keysSpreadOverAllGroups() {
        let assigner = KeyGroupAssigner(maxParallelism: 128)
        let groups = Set((0..<10_000).map { assigner.keyGroup(forKey: Array("user-\($0)".utf8)) })
        #expect(groups.count == 128)
    }
}
