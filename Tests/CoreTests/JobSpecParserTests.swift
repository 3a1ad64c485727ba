import Foundation
import SluiceOperators
import Testing

@Suite struct JobSpecParserTests {
    private let valid = """
        name: attribution
        parallelism: 2
        sources:
          - {id: clicks, kind: kafka-source, params: {topic: clicks, event: click}}
          - {id: checkouts, kind: kafka-source, params: {topic: checkouts, event: checkout}}
        operators:
          - {id: attribution, kind: first-click-attribution, inputs: [clicks, checkouts], key-by: [user_id, product_id]}
        sinks:
          - {id: sink, kind: postgres-sink, inputs: attribution}
        """

    private func error(_ yaml: String) -> JobSpecError? {
        do {
            _ = try JobSpecParser.parse(yaml: yaml)
            return nil
        } catch let error as JobSpecError {
            return error
        } catch {
            return JobSpecError("unexpected", "\(error)")
        }
    }

    @Test func theShippedJobSpecParses() throws {
        let text = try String(contentsOfFile: #filePath.replacingOccurrences(of: "Tests/CoreTests/JobSpecParserTests.swift", with: "jobs/checkout-attribution.yaml"), encoding: .utf8)
        let spec = try JobSpecParser.parse(yaml: text)
        #expect(spec.name == "checkout-attribution")
        #expect(spec.vertices.map(\.id) == ["clicks", "checkouts", "attribution", "enrich", "sink"])
        #expect(spec.eventTime.outOfOrdernessMillis == 15_000)
    }

    @Test func parallelismOverrideWins() throws {
        #expect(try JobSpecParser.parse(yaml: valid, parallelismOverride: 3).parallelism == 3)
        #expect(try JobSpecParser.parse(yaml: valid).parallelism == 2)
    }

    @Test func unknownKindNamesTheField() {
        #expect(error(valid.replacingOccurrences(of: "kind: postgres-sink", with: "kind: postgres-sunk"))?.field == "sinks[0].kind")
    }

    @Test func unknownParameterNamesTheField() {
        #expect(error(valid.replacingOccurrences(of: "topic: clicks,", with: "topik: clicks, topic: clicks,"))?.field == "sources[0].params.topik")
    }

    @Test func missingRequiredParameterNamesIt() {
        #expect(error(valid.replacingOccurrences(of: "{topic: clicks, event: click}", with: "{event: click}"))?.field == "sources[0].params.topic")
    }

    @Test func inputThatDoesNotExistIsRefused() {
        #expect(error(valid.replacingOccurrences(of: "inputs: attribution", with: "inputs: atribution"))?.field == "sink.inputs")
    }

    @Test func duplicateIdsAreRefused() {
        #expect(error(valid.replacingOccurrences(of: "id: checkouts", with: "id: clicks"))?.message.contains("duplicate") == true)
    }

    @Test func attributionMustKeyByUserAndProduct() {
        #expect(error(valid.replacingOccurrences(of: "key-by: [user_id, product_id]", with: "key-by: [user_id]"))?.field == "operators[0].key-by")
    }

    @Test func wrongInputCountIsRefused() {
        #expect(error(valid.replacingOccurrences(of: "inputs: [clicks, checkouts]", with: "inputs: [clicks]"))?.field == "operators[0].inputs")
    }

    @Test func badParallelismAndUnknownTopLevelFieldsAreRefused() {
        #expect(error(valid.replacingOccurrences(of: "parallelism: 2", with: "parallelism: 0"))?.field == "parallelism")
        #expect(error(valid + "\nextra: 1\n")?.field == "extra")
        #expect(error("- just\n- a list\n")?.field == "(document)")
        #expect(error("name: [unclosed\n")?.field == "(document)")
    }
}
