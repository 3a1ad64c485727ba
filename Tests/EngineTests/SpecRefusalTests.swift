import Foundation
import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceEngine
import SluiceLibrary
import SluiceTestSupport
import Testing

/// Bad specs against the built-in kinds: each is refused with the offending field and a message
/// that says how to fix it (issue: type-checked jobs).
@Suite struct SpecRefusalTests {
    /// The shipped attribution job, as a user would start from it.
    private static let shipped: String = {
        (try? String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/checkout-attribution.yaml"), encoding: .utf8)) ?? ""
    }()


    /// `shipped` with `original` replaced by `replacement` (which must occur).
    private func edited(_ original: String, _ replacement: String) throws -> String {
        try #require(Self.shipped.contains(original), "the shipped spec contains \(original)")
        return Self.shipped.replacingOccurrences(of: original, with: replacement)
    }

    @Test func theShippedSpecTypeChecksWithASchemaOnEveryEdge() throws {
        let spec = try JobSpecParser.parse(yaml: Self.shipped, catalog: BuiltInKinds.catalog)
        let schemas = Dictionary(uniqueKeysWithValues: spec.vertices.map { ($0.id, $0.schema) })
        #expect(schemas["clicks"] == AttributionSchemas.click)
        #expect(schemas["checkouts"] == AttributionSchemas.checkout)
        #expect(schemas["attribution"] == AttributionSchemas.attributed)
        #expect(schemas["enrich"] == AttributionSchemas.enriched)
        #expect(schemas["sink"] == .some(nil))
        #expect(spec.vertex("attribution")?.keyed == true && spec.vertex("enrich")?.keyed == false)
    }

    @Test func aRenamedParameterIsRefusedWithItsNewName() throws {
        let error = builtInRefusal(try edited("{topic: clicks, format: click}", "{topic: clicks, event: click}"))
        #expect(error?.field == "sources[0].params.event")
        #expect(error?.message.contains("now called 'format'") == true && error?.message.contains("format: click") == true)
    }

    @Test func aRecordFormatNoJobRegisteredIsRefusedWithTheRegisteredOnes() throws {
        let error = builtInRefusal(try edited("{topic: clicks, format: click}", "{topic: clicks, format: clicks}"))
        #expect(error?.field == "sources[0].params.format")
        #expect(error?.message.contains("click") == true && error?.message.contains("checkout") == true)
    }

    @Test func aDocumentedParameterIsAccepted() throws {
        // Was refused ("it takes emit-mode, window-ms") although the README documented it.
        let spec = try JobSpecParser.parse(yaml: try edited("emit-mode: on-watermark}", "emit-mode: on-watermark, state-cache-mb: 64}"),
                                           catalog: BuiltInKinds.catalog)
        #expect(spec.vertex("attribution")?.params["state-cache-mb"] == "64")
    }

    @Test func defaultsAreFilledInFromTheDeclarations() throws {
        let spec = try JobSpecParser.parse(yaml: Self.shipped, catalog: BuiltInKinds.catalog)
        #expect(spec.vertex("attribution")?.params["state-cache-mb"] == FirstClickAttributionKind.stateCacheMb.defaultValue)
        #expect(spec.vertex("sink")?.params["batch-size"] == "500")
        #expect(spec.vertex("sink")?.params["delivery"] == nil, "an optional parameter without default stays unset")
    }

    @Test func aSourceWiredStraightIntoThePostgresSinkIsCheckedLikeAnyRows() throws {
        // Was accepted; the sink then dropped every record silently. Clicks are rows now, so the
        // sink takes them, but only into a table keyed by columns they have.
        let error = builtInRefusal(try edited("inputs: [enrich]", "inputs: [clicks]"))
        #expect(error?.field == "sinks[0].params.key")
        #expect(error?.message.contains("no column 'checkout_id'") == true && error?.message.contains("click_id") == true,
                "\(String(describing: error))")
    }

    @Test func kafkaPropertiesAreKeyValuePairsAndLeaveTheKindsOwnKeysToTheirParameters() throws {
        #expect(try KafkaProperties.parse(" security.protocol=SASL_SSL ;sasl.mechanisms = PLAIN; ") ==
                ["security.protocol": "SASL_SSL", "sasl.mechanisms": "PLAIN"])
        let owned = builtInRefusal(try edited("params: {topic: clicks, format: click}",
                                              "params: {topic: clicks, format: click, properties: \"group.id=mine\"}"))
        #expect(owned?.field == "sources[0].params.properties" && owned?.message.contains("params.group-id") == true,
                "\(String(describing: owned))")
        let malformed = builtInRefusal(try edited("params: {topic: clicks, format: click}",
                                                  "params: {topic: clicks, format: click, properties: \"debug\"}"))
        #expect(malformed?.message.contains("is not key=value") == true, "\(String(describing: malformed))")
    }

    @Test func aKafkaStartPositionIsOneOfTheDocumentedForms() throws {
        #expect(try KafkaStartPosition(parsing: "timestamp:1764547200000") == .timestamp(1_764_547_200_000))
        #expect(try KafkaStartPosition(parsing: "group-offsets") == .groupOffsets)
        let bad = builtInRefusal(try edited("params: {topic: clicks, format: click}", "params: {topic: clicks, format: click, start: yesterday}"))
        #expect(bad?.field == "sources[0].params.start" && bad?.message.contains("timestamp:<epoch ms>") == true, "\(String(describing: bad))")
        let badTime = builtInRefusal(try edited("params: {topic: clicks, format: click}", "params: {topic: clicks, format: click, start: \"timestamp:soon\"}"))
        #expect(badTime?.field == "sources[0].params.start", "\(String(describing: badTime))")
    }

    @Test func theKafkaSinkTakesTheAttributionsRowsAndRefusesUnknownKeyColumns() throws {
        let attributionToKafka = try edited("kind: postgres-sink", "kind: kafka-sink")
            .replacingOccurrences(of: "params: {table: commerce.attributed_checkouts, key: checkout_id}", with: "params: {topic: out, key: checkout_id}")
        #expect(builtInRefusal(attributionToKafka) == nil, "the attribution's output is rows: any sink takes them")
        let clicks = builtInRefusal(attributionToKafka.replacingOccurrences(of: "inputs: [enrich]", with: "inputs: [clicks]"))
        #expect(clicks?.field == "sinks[0].params.key" && clicks?.message.contains("no column 'checkout_id'") == true,
                "\(String(describing: clicks))")
        let library = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/product-revenue.yaml"), encoding: .utf8)
        let toKafka = library.replacingOccurrences(of: "kind: postgres-sink", with: "kind: kafka-sink")
            .replacingOccurrences(of: #"params: {table: commerce.product_revenue_minutely, key: "product_id, window_start"}"#,
                                  with: #"params: {topic: revenue, key: "product_id, minute"}"#)
        let unknown = builtInRefusal(toKafka)
        #expect(unknown?.field == "sinks[0].params.key" && unknown?.message.contains("no column 'minute'") == true, "\(String(describing: unknown))")
        #expect(builtInRefusal(toKafka.replacingOccurrences(of: "product_id, minute", with: "product_id, window_start")) == nil)
        let noTopic = builtInRefusal(toKafka.replacingOccurrences(of: "topic: revenue, ", with: ""))
        #expect(noTopic?.field == "sinks[0].params.topic", "\(String(describing: noTopic))")
    }

    @Test func inputsInTheWrongOrderAreRefused() throws {
        let error = builtInRefusal(try edited("inputs: [clicks, checkouts]", "inputs: [checkouts, clicks]"))
        #expect(error?.field == "operators[0].inputs[0]")
        #expect(error?.message.contains("needs click rows") == true && error?.message.contains("format: click") == true)
    }

    @Test func anUnknownKindSuggestsTheClosestOne() throws {
        let error = builtInRefusal(try edited("kind: kafka-source\n    params: {topic: clicks", "kind: kafka-sauce\n    params: {topic: clicks"))
        #expect(error?.field == "sources[0].kind")
        #expect(error?.message.contains("did you mean 'kafka-source'") == true && error?.message.contains("sluice kinds") == true)
    }

    @Test func anUnknownParameterSuggestsTheClosestOne() throws {
        let error = builtInRefusal(try edited("window-ms: 3600000", "window: 3600000"))
        #expect(error?.field == "operators[0].params.window")
        #expect(error?.message.contains("did you mean 'window-ms'") == true && error?.message.contains("state-cache-mb") == true)
    }

    @Test func aParameterOfTheWrongTypeIsRefusedWithTheExpectedType() throws {
        let error = builtInRefusal(try edited("window-ms: 3600000", "window-ms: an hour"))
        #expect(error?.field == "operators[0].params.window-ms")
        #expect(error?.message.contains("must be an integer in 1…31622400000") == true, "\(String(describing: error))")
    }

    @Test func aParameterOutOfRangeIsRefused() throws {
        let error = builtInRefusal(try edited("params: {table: commerce.attributed_checkouts, key: checkout_id}", "params: {table: commerce.attributed_checkouts, key: checkout_id, batch-size: 0}"))
        #expect(error?.field == "sinks[0].params.batch-size")
        #expect(error?.message.contains("1…5000") == true)
    }

    @Test func aChoiceOutsideItsWordsIsRefused() throws {
        let error = builtInRefusal(try edited("emit-mode: on-watermark", "emit-mode: sometimes"))
        #expect(error?.field == "operators[0].params.emit-mode")
        #expect(error?.message.contains("one of on-watermark, eager") == true)
    }

    @Test func aBooleanParameterTakesOnlyTrueOrFalse() throws {
        let error = builtInRefusal(try edited("{topic: clicks, format: click}", "{topic: clicks, format: click, bounded: maybe}"))
        #expect(error?.field == "sources[0].params.bounded")
        #expect(error?.message.contains("true or false") == true)
    }

    @Test func aMissingRequiredParameterIsNamedWithItsMeaning() throws {
        let error = builtInRefusal(try edited("{topic: clicks, format: click}", "{topic: clicks}"))
        #expect(error?.field == "sources[0].params.schema")
        #expect(error?.message.contains("format: click/checkout") == true && error?.message.contains("event-time") == true)
    }

    @Test func aKeyColumnTheInputsLackIsRefusedWithTheClosestName() throws {
        // The attribution kind fixes its key, so the generic column check shows on the sink's exchange.
        let error = builtInRefusal(try edited("    inputs: [enrich]\n", "    inputs: [enrich]\n    key-by: [user_nam]\n"))
        #expect(error?.field == "sinks[0].key-by")
        #expect(error?.message.contains("no column 'user_nam' (did you mean 'user_name'?)") == true, "\(String(describing: error))")
    }

    @Test func aKeyedKindWithoutKeyByIsToldWhatToSet() throws {
        let error = builtInRefusal(try edited("    key-by: [user_id, product_id]\n", ""))
        #expect(error?.field == "operators[0].key-by")
        #expect(error?.message.contains("key-by: [user_id, product_id]") == true)
    }

    @Test func aSourceCannotBeKeyed() throws {
        let error = builtInRefusal(try edited("    params: {topic: clicks, format: click}\n", "    params: {topic: clicks, format: click}\n    key-by: [user_id]\n"))
        #expect(error?.field == "sources[0].key-by")
    }

    @Test func aSinkCannotBeAnInput() throws {
        let spec = try edited("sinks:\n", "sinks:\n  - {id: after, kind: blackhole-sink, inputs: [sink]}\n")
        let error = builtInRefusal(spec)
        #expect(error?.field == "sinks[0].inputs[0]")
        #expect(error?.message.contains("is a sink") == true)
    }

    @Test func aKindListedInTheWrongSectionSaysWhereItBelongs() throws {
        let error = builtInRefusal(try edited("sinks:\n", "sinks:\n  - {id: again, kind: user-enrichment, inputs: [attribution]}\n"))
        #expect(error?.field == "sinks[0].kind")
        #expect(error?.message.contains("list it under operators") == true)
    }

    @Test func aFileSourceCannotBeUnbounded() {
        let error = builtInRefusal("""
            name: f
            sources: [{id: clicks, kind: file-source, params: {path: /tmp/c.jsonl, format: click, bounded: false}}]
            sinks: [{id: out, kind: blackhole-sink, inputs: [clicks]}]
            """)
        #expect(error?.field == "sources[0].params.bounded")
    }

    @Test func endOffsetsWithoutABoundedReadAreRefused() throws {
        let error = builtInRefusal(try edited("{topic: clicks, format: click}", "{topic: clicks, format: click, end-offsets: '0:10'}"))
        #expect(error?.field == "sources[0].params.end-offsets")
        #expect(error?.message.contains("bounded: true") == true)
    }
}

/// Every spec in jobs/ is accepted as shipped, with a schema on every edge.
@Suite struct ShippedJobsTests {
    @Test(arguments: ["checkout-attribution", "product-revenue", "trending-products"])
    func theShippedJobTypeChecks(_ name: String) throws {
        let text = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/\(name).yaml"), encoding: .utf8)
        let spec = try JobSpecParser.parse(yaml: text, catalog: BuiltInKinds.catalog)
        #expect(spec.name == name)
        #expect(spec.vertices.allSatisfy { ($0.role == .sink) == ($0.schema == nil) })
    }

    @Test func productRevenueRowsCarryTheWindowAndItsAggregates() throws {
        let text = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/product-revenue.yaml"), encoding: .utf8)
        let spec = try JobSpecParser.parse(yaml: text, catalog: BuiltInKinds.catalog)
        #expect(spec.vertex("per-minute")?.schema?.columnList
                == "product_id string, window_start timestamp, window_end timestamp, revenue decimal(18,2), checkouts int64")
    }

    @Test func aSumOverAStringColumnOfADeclaredSchemaIsRefused() throws {
        let text = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/product-revenue.yaml"), encoding: .utf8)
        let error = builtInRefusal(text.replacingOccurrences(of: "revenue=sum(total_amount)", with: "revenue=sum(checkout_id)"))
        #expect(error?.field == "operators[0].params.aggregates")
        #expect(error?.message.contains("cannot sum column checkout_id string") == true, "\(String(describing: error))")
    }

    @Test func aSourceSchemaWithAnUnknownTypeIsRefused() throws {
        let text = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/product-revenue.yaml"), encoding: .utf8)
        let error = builtInRefusal(text.replacingOccurrences(of: "total_amount decimal(12,2)", with: "total_amount money"))
        #expect(error?.field == "sources[0].params.schema")
        #expect(error?.message.contains("unknown type 'money'") == true)
    }

    @Test func aSinkKeyColumnTheRowsLackIsRefused() throws {
        let text = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/product-revenue.yaml"), encoding: .utf8)
        let error = builtInRefusal(text.replacingOccurrences(of: "key: \"product_id, window_start\"", with: "key: \"product, window_start\""))
        #expect(error?.field == "sinks[0].params.key")
    }

    @Test func keyingARowEdgeByAColumnItLacksIsRefused() throws {
        let text = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/trending-products.yaml"), encoding: .utf8)
        let error = builtInRefusal(text.replacingOccurrences(of: "key-by: [window_start]", with: "key-by: [window_strat]"))
        #expect(error?.field == "operators[1].key-by")
        #expect(error?.message.contains("did you mean 'window_start'") == true)
    }
}
