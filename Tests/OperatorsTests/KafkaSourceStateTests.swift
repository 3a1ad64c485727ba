@testable import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
@testable import SluiceConnectors
@testable import SluiceEngine
@testable import SluiceLibrary
import SluiceOperators
import Testing

/// The checkpointed offsets of Kafka source subtasks, merged on restore (also at another parallelism).
@Suite struct KafkaSourceStateTests {
    @Test func statesOfAllOldSubtasksMergeIntoEveryPartitionsPosition() throws {
        let first = KafkaSourceState.encode([0: .init(next: 120, end: 500), 2: .init(next: 7, end: nil)])
        let second = KafkaSourceState.encode([1: .init(next: 98, end: 98), 3: .init(next: -1, end: 40)])
        let merged = try KafkaSourceState.merge([first, second], operatorID: "clicks")
        #expect(merged == [0: .init(next: 120, end: 500), 1: .init(next: 98, end: 98), 2: .init(next: 7, end: nil),
                           3: .init(next: -1, end: 40)])
    }

    @Test func corruptOrForeignStateIsAConfigurationErrorNotACrash() {
        #expect(throws: OperatorError.self) { _ = try KafkaSourceState.merge([[9, 1, 2]], operatorID: "clicks") }
        #expect(throws: OperatorError.self) { _ = try KafkaSourceState.merge([[1, 5]], operatorID: "clicks") }
    }
}
