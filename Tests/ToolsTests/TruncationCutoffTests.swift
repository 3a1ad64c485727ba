import SluiceKafka
import SluiceTools
import Testing

@Suite("verify: where the comparison starts after the broker dropped data")
struct TruncationCutoffTests {
    static let hour: Int64 = 3_600_000

    @Test("no truncated partition: everything is compared")
    func nothingTruncatedComparesAll() {
        #expect(TruncationCutoff.compute(truncated: [], latestEventTime: 5, windowMillis: Self.hour, maxDisorderMillis: 0) == nil)
    }

    @Test("the latest earliest-surviving time over truncated partitions, plus window and disorder")
    func latestSurvivingTimePlusWindow() {
        let cutoff = TruncationCutoff.compute(
            truncated: [(KafkaTopicPartition(topic: "clicks", partition: 0), 1_000),
                        (KafkaTopicPartition(topic: "checkouts", partition: 3), 9_000)],
            latestEventTime: 50_000, windowMillis: Self.hour, maxDisorderMillis: 500)
        #expect(cutoff == 9_000 + Self.hour + 500)
    }

    @Test("a partition with nothing left pushes the cut-off past the newest event")
    func emptiedPartitionExcludesEverything() {
        let cutoff = TruncationCutoff.compute(truncated: [(KafkaTopicPartition(topic: "clicks", partition: 1), nil)],
                                              latestEventTime: 50_000, windowMillis: Self.hour, maxDisorderMillis: 0)
        #expect(cutoff == 50_000 + Self.hour)
    }
}
