import Foundation
import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceEngine
import SluiceLibrary
import SluiceTestSupport
import Testing

@Suite struct JobSpecParserTests {
    private let valid = """
        name: attribution
        parallelism: 2
        sources:
          - {id: clicks, kind: kafka-source, params: {topic: clicks, format: click}}
          - {id: checkouts, kind: kafka-source, params: {topic: checkouts, format: checkout}}
        operators:
          - {id: attribution, kind: first-click-attribution, inputs: [clicks, checkouts], key-by: [user_id, product_id]}
          - {id: enrich, kind: user-enrichment, inputs: attribution}
        sinks:
          - {id: sink, kind: postgres-sink, inputs: enrich, params: {table: commerce.attributed_checkouts, key: checkout_id}}
        """


    @Test func theShippedJobSpecParses() throws {
        let text = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/checkout-attribution.yaml"), encoding: .utf8)
        let spec = try JobSpecParser.parse(yaml: text, catalog: BuiltInKinds.catalog)
        #expect(spec.name == "checkout-attribution")
        #expect(spec.vertices.map(\.id) == ["clicks", "checkouts", "attribution", "enrich", "sink"])
        #expect(spec.eventTime.outOfOrdernessMillis == 15_000)
    }

    @Test func parallelismOverrideWins() throws {
        #expect(try JobSpecParser.parse(yaml: valid, catalog: BuiltInKinds.catalog, parallelismOverride: 3).parallelism == 3)
        #expect(try JobSpecParser.parse(yaml: valid, catalog: BuiltInKinds.catalog).parallelism == 2)
    }

    @Test func unknownKindNamesTheField() {
        #expect(builtInRefusal(valid.replacingOccurrences(of: "kind: postgres-sink", with: "kind: postgres-sunk"))?.field == "sinks[0].kind")
    }

    @Test func unknownParameterNamesTheField() {
        #expect(builtInRefusal(valid.replacingOccurrences(of: "topic: clicks,", with: "topik: clicks, topic: clicks,"))?.field == "sources[0].params.topik")
    }

    @Test func missingRequiredParameterNamesIt() {
        #expect(builtInRefusal(valid.replacingOccurrences(of: "{topic: clicks, format: click}", with: "{format: click}"))?.field == "sources[0].params.topic")
    }

    @Test func inputThatDoesNotExistIsRefused() {
        let typo = builtInRefusal(valid.replacingOccurrences(of: "inputs: enrich", with: "inputs: enrih"))
        #expect(typo?.field == "sinks[0].inputs[0]")
        #expect(typo?.message.contains("did you mean 'enrich'") == true, "\(String(describing: typo))")
    }

    @Test func duplicateIdsAreRefused() {
        #expect(builtInRefusal(valid.replacingOccurrences(of: "id: checkouts", with: "id: clicks"))?.message.contains("duplicate") == true)
    }

    @Test func attributionMustKeyByUserAndProduct() {
        #expect(builtInRefusal(valid.replacingOccurrences(of: "key-by: [user_id, product_id]", with: "key-by: [user_id]"))?.field == "operators[0].key-by")
    }

    @Test func wrongInputCountIsRefused() {
        #expect(builtInRefusal(valid.replacingOccurrences(of: "inputs: [clicks, checkouts]", with: "inputs: [clicks]"))?.field == "operators[0].inputs")
    }

    @Test func badParallelismAndUnknownTopLevelFieldsAreRefused() {
        #expect(builtInRefusal(valid.replacingOccurrences(of: "parallelism: 2", with: "parallelism: 0"))?.field == "parallelism")
        #expect(builtInRefusal(valid + "\nextra: 1\n")?.field == "extra")
        #expect(builtInRefusal("- just\n- a list\n")?.field == "(document)")
        #expect(builtInRefusal("name: [unclosed\n")?.field == "(document)")
    }
}
