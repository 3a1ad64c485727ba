import SluiceCore
/// The second pass of `JobSpecParser`: derives every vertex's output schema from its inputs'
/// and refuses an edge whose consumer cannot take it.
///
/// Pure. Vertices come in topological order, so an input's schema is known before its
/// consumer is checked. Errors name the consumer's field (`operators[0].key-by`,
/// `sinks[0].inputs[0]`) and say what would fix it.
struct JobSpecTypeChecker {
    let catalog: KindCatalog

    func check(_ vertices: [JobSpec.Vertex]) throws -> [JobSpec.Vertex] {
        var typed: [JobSpec.Vertex] = []
        var byID: [String: JobSpec.Vertex] = [:]
        for var vertex in vertices {
            guard let kind = catalog[vertex.kind] else { throw JobSpecError("\(vertex.field).kind", "unknown kind '\(vertex.kind)'") }
            var inputs: [Schema] = []
            for (index, inputID) in vertex.inputs.enumerated() {
                guard let producer = byID[inputID], let schema = producer.schema else {
                    throw JobSpecError("\(vertex.field).inputs[\(index)]", "'\(inputID)' is a sink; sinks have no output to read")
                }
                inputs.append(schema)
            }
            try checkKey(vertex, inputs: inputs)
            vertex.inputSchemas = inputs
            do {
                vertex.schema = try kind.schemaRule(.init(id: vertex.id, inputs: inputs, params: vertex.params, keyBy: vertex.keyBy))
            } catch {
                let what = error.field.hasPrefix("inputs[")
                    ? inputDescription(vertex, error.field, inputs: inputs) : ""
                throw JobSpecError("\(vertex.field).\(error.field)", error.message + what)
            }
            if kind.role != .sink && vertex.schema == nil {
                throw JobSpecError("\(vertex.field).kind", "'\(kind.name)' declared no output schema")
            }
            byID[vertex.id] = vertex
            typed.append(vertex)
        }
        return typed
    }

    /// Key columns exist on every input, with one type across inputs, and the exchange can hash them.
    private func checkKey(_ vertex: JobSpec.Vertex, inputs: [Schema]) throws {
        guard !vertex.keyBy.isEmpty else { return }
        for column in vertex.keyBy {
            var first: (input: String, column: Column)?
            for (index, schema) in inputs.enumerated() {
                guard let found = schema.column(column) else {
                    let hint = EditDistance.closest(to: column, among: schema.columnNames).map { " (did you mean '\($0)'?)" } ?? ""
                    throw JobSpecError("\(vertex.field).key-by", "input '\(vertex.inputs[index])' has no column '\(column)'\(hint); "
                                       + "its columns: \(schema.columnNames.joined(separator: ", "))")
                }
                if let first, first.column.type != found.type {
                    throw JobSpecError("\(vertex.field).key-by", "key column '\(column)' is \(first.column.type) on input '\(first.input)' "
                                       + "but \(found.type) on input '\(vertex.inputs[index])'; key columns must have one type on every input")
                }
                if first == nil { first = (vertex.inputs[index], found) }
            }
        }
    }

    /// ` (input 'clicks' carries click(…))` for an error about `inputs[i]`.
    private func inputDescription(_ vertex: JobSpec.Vertex, _ field: String, inputs: [Schema]) -> String {
        guard let index = Int(field.dropFirst("inputs[".count).prefix { $0 != "]" }), inputs.indices.contains(index) else { return "" }
        return "; input '\(vertex.inputs[index])' carries \(inputs[index])"
    }
}
