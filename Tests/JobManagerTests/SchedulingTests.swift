import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceEngine
import SluiceJobManager
import SluiceLibrary
import SluiceProtocol
import Testing

@Suite struct SchedulingTests {
    private func spec(parallelism: Int = 2) throws -> JobSpec {
        try JobSpecParser.parse(yaml: """
            name: j
            parallelism: \(parallelism)
            sources:
              - {id: clicks, kind: kafka-source, params: {topic: clicks, format: click}}
              - {id: checkouts, kind: kafka-source, params: {topic: checkouts, format: checkout}}
            operators:
              - {id: attribution, kind: first-click-attribution, inputs: [clicks, checkouts], key-by: [user_id, product_id]}
              - {id: enrich, kind: user-enrichment, inputs: [attribution]}
            sinks:
              - {id: sink, kind: postgres-sink, inputs: [enrich], params: {table: commerce.attributed_checkouts, key: checkout_id}}
            """, catalog: BuiltInKinds.catalog)
    }

    @Test func forwardEdgesChainAndKeyedEdgesHash() throws {
        let graph = JobGraph(spec: try spec())
        #expect(graph.chains.map(\.id) == ["clicks", "checkouts", "attribution"])
        #expect(graph.chain("attribution")?.operators.map(\.id) == ["attribution", "enrich", "sink"])
        #expect(graph.chain("attribution")?.inputs.map(\.partitioning) == [.hash, .hash])
        #expect(graph.slotsNeeded == 2)
    }

    @Test func slotsSpreadAcrossTaskManagersInsteadOfPacking() {
        #expect(SlotAssignment.assign(slots: 2, freeSlots: [("a", 4), ("b", 4)]) == ["a", "b"])
        #expect(SlotAssignment.assign(slots: 3, freeSlots: [("a", 2), ("b", 2)]) == ["a", "b", "a"])
        #expect(SlotAssignment.assign(slots: 3, freeSlots: [("a", 1), ("b", 4)]) == ["b", "a", "b"])
        #expect(SlotAssignment.assign(slots: 5, freeSlots: [("a", 2), ("b", 2)]) == nil)
        #expect(SlotAssignment.assign(slots: 1, freeSlots: [("a", 0), ("b", 1)]) == ["b"])
    }

    @Test func deploymentsConnectEveryProducerToEveryKeyedConsumer() throws {
        let spec = try spec()
        let planner = DeploymentPlanner(jobID: "job", spec: spec, graph: JobGraph(spec: spec), attempt: 3, slots: [
            .init(taskManager: "tm-a", host: "10.0.0.1", dataPort: 7001), .init(taskManager: "tm-b", host: "10.0.0.2", dataPort: 7002)])
        let deployments = planner.deployments()
        #expect(deployments.count == 6)
        let attribution1 = try #require(deployments.first { $0.key == TaskKey(vertex: "attribution", subtask: 1) })
        #expect(attribution1.taskManager == "tm-b")
        #expect(attribution1.message.task.attempt == 3)
        #expect(attribution1.message.inputs.map { edge in edge.producers.map { $0.taskManagerID } } == [["tm-a", "tm-b"], ["tm-a", "tm-b"]])
        #expect(attribution1.message.keyGroups.start == 64 && attribution1.message.keyGroups.end == 127)
        #expect(attribution1.message.chain.map(\.kind) == ["first-click-attribution", "user-enrichment", "postgres-sink"])
        let clicks0 = try #require(deployments.first { $0.key == TaskKey(vertex: "clicks", subtask: 0) })
        #expect(clicks0.message.outputs.first?.keyBy == ["user_id", "product_id"])
        #expect(clicks0.message.outputs.first?.consumers.map { $0.dataPort } == [7001, 7002])
        #expect(clicks0.message.outOfOrdernessMs == 15_000)
    }
}
