import SluiceEngine
import Testing

/// The type checker against kinds of the test's own, so joins and aggregates can be checked
/// before the library ships them: key columns on every input with one type, aggregates over
/// columns of the right type, schemas flowing from producer to consumer.
@Suite struct TypeCheckerTests {
    private static let orders = Schema(name: "order", columns: [
        Column("order_id", .string), Column("user_id", .int64), Column("amount", .decimal(precision: 10, scale: 2)),
        Column("at", .timestamp),
    ], eventTime: "at")
    private static let users = Schema(name: "user", columns: [
        Column("user_id", .string), Column("name", .string), Column("at", .timestamp),
    ], eventTime: "at")
    private static let column = ParameterDeclaration("column", .string, .required, doc: "the column to sum")

    private static let catalog = KindCatalog([
        OperatorKindDeclaration(name: "orders", role: .source, summary: "orders", output: "order", schemaRule: { _ in orders }),
        OperatorKindDeclaration(name: "users", role: .source, summary: "users", output: "user", schemaRule: { _ in users }),
        OperatorKindDeclaration(name: "join", role: .operator, summary: "a keyed join",
                                inputs: [.init("left", doc: "any"), .init("right", doc: "any")], keying: .keyed(columns: nil),
                                output: "the left input", schemaRule: { $0.inputs[0] }),
        OperatorKindDeclaration(
            name: "sum", role: .operator, summary: "a sum", parameters: [column], inputs: [.init("rows", doc: "any")],
            output: "(total)", schemaRule: { (input) throws(SchemaRuleError) in
                let name = input.params["column"] ?? ""
                guard let found = input.inputs[0].column(name) else { throw SchemaRuleError("params.column", "no column '\(name)'") }
                guard found.type.isNumeric else { throw SchemaRuleError("params.column", "cannot sum \(found)") }
                return Schema(name: "total", columns: [Column("total", found.type)])
            }),
        OperatorKindDeclaration(name: "out", role: .sink, summary: "out", inputs: [.init("rows", doc: "any")], output: "none",
                                schemaRule: { _ in nil }),
    ])

    private func parse(_ body: String) throws -> JobSpec {
        try JobSpecParser.parse(yaml: "name: t\n" + body, catalog: Self.catalog)
    }

    private func refusal(_ body: String) -> JobSpecError? {
        do {
            _ = try parse(body)
            return nil
        } catch {
            return error as? JobSpecError
        }
    }

    @Test func aKeyColumnMissingOnOneJoinInputIsRefused() {
        let error = refusal("""
            sources: [{id: o, kind: orders}, {id: u, kind: users}]
            operators: [{id: j, kind: join, inputs: [o, u], key-by: [order_id]}]
            sinks: [{id: s, kind: out, inputs: [j]}]
            """)
        #expect(error?.field == "operators[0].key-by")
        #expect(error?.message.contains("input 'u' has no column 'order_id'") == true, "\(String(describing: error))")
    }

    @Test func aKeyColumnOfAnotherTypeOnOneJoinInputIsRefused() {
        let error = refusal("""
            sources: [{id: o, kind: orders}, {id: u, kind: users}]
            operators: [{id: j, kind: join, inputs: [o, u], key-by: [user_id]}]
            sinks: [{id: s, kind: out, inputs: [j]}]
            """)
        #expect(error?.field == "operators[0].key-by")
        #expect(error?.message.contains("'user_id' is int64 on input 'o' but string on input 'u'") == true, "\(String(describing: error))")
    }

    @Test func aSumOverAStringIsRefused() {
        let error = refusal("""
            sources: [{id: o, kind: orders}]
            operators: [{id: total, kind: sum, inputs: [o], params: {column: order_id}}]
            sinks: [{id: s, kind: out, inputs: [total]}]
            """)
        #expect(error?.field == "operators[0].params.column")
        #expect(error?.message == "cannot sum order_id string")
    }

    @Test func schemasFlowFromProducerToConsumer() throws {
        let spec = try parse("""
            sources: [{id: o, kind: orders}]
            operators: [{id: total, kind: sum, inputs: [o], params: {column: amount}}]
            sinks: [{id: s, kind: out, inputs: [total]}]
            """)
        #expect(spec.vertex("total")?.schema?.columns == [Column("total", .decimal(precision: 10, scale: 2))])
    }

    @Test func aKindThatTakesNoParametersSaysSo() {
        let error = refusal("""
            sources: [{id: o, kind: orders, params: {topic: x}}]
            sinks: [{id: s, kind: out, inputs: [o]}]
            """)
        #expect(error?.field == "sources[0].params.topic")
        #expect(error?.message.contains("it takes no parameters") == true)
    }
}
