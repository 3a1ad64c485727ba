import Foundation
import SluiceCore

/// Parses and validates a YAML job spec into a `JobSpec`, naming the offending field on error.
///
/// Two passes: the document's structure, kinds and parameters (against `catalog`), then the
/// graph — inputs exist, no cycle — and its types (`JobSpecTypeChecker`): every vertex's output
/// schema is derived from its inputs' in topological order, and a kind refuses inputs it cannot
/// take. Pure: no I/O (a sink's table is checked against the database when the job opens).
public enum JobSpecParser {
    public static func parse(yaml text: String, catalog: KindCatalog, parallelismOverride: Int? = nil) throws -> JobSpec {
        let document = try SpecDocumentReader.read(text)
        guard let root = document as? [String: Any] else {
            throw JobSpecError("(document)", "must be a mapping with name, sources, operators and sinks")
        }
        let known: Set<String> = ["name", "parallelism", "max-parallelism", "event-time", "checkpoints", "restart", "sources", "operators", "sinks"]
        if let unknown = root.keys.sorted().first(where: { !known.contains($0) }) {
            throw JobSpecError(unknown, "unknown field; expected one of \(known.sorted().joined(separator: ", "))")
        }
        guard let name = root["name"] as? String, !name.isEmpty else { throw JobSpecError("name", "required, a non-empty string") }
        let maxParallelism = try integer(root["max-parallelism"], field: "max-parallelism", range: 1...32_768) ?? 128
        var parallelism = try integer(root["parallelism"], field: "parallelism", range: 1...maxParallelism) ?? 1
        if let parallelismOverride {
            guard (1...maxParallelism).contains(parallelismOverride) else {
                throw JobSpecError("parallelism", "override \(parallelismOverride) is outside 1...\(maxParallelism) (max-parallelism)")
            }
            parallelism = parallelismOverride
        }
        let eventTime = try parseEventTime(root["event-time"])
        let checkpoints = try parseCheckpoints(root["checkpoints"])
        let restart = try parseRestart(root["restart"])
        var vertices: [JobSpec.Vertex] = []
        for role in OperatorKindDeclaration.Role.allCases {
            let section = role.section
            guard let value = root[section] else {
                if role == .operator { continue }
                throw JobSpecError(section, "required, a list of \(section)")
            }
            guard let list = value as? [Any] else { throw JobSpecError(section, "must be a list") }
            for (index, entry) in list.enumerated() {
                vertices.append(try parseVertex(entry, field: "\(section)[\(index)]", role: role, catalog: catalog,
                                                maxParallelism: maxParallelism))
            }
        }
        try validateGraph(vertices)
        let typed = try JobSpecTypeChecker(catalog: catalog).check(try topologicallySorted(vertices))
        return JobSpec(name: name, parallelism: parallelism, maxParallelism: maxParallelism, eventTime: eventTime,
                       checkpoints: checkpoints, restart: restart, vertices: typed, source: text)
    }

    private static func parseVertex(_ entry: Any, field: String, role: OperatorKindDeclaration.Role, catalog: KindCatalog,
                                    maxParallelism: Int) throws -> JobSpec.Vertex {
        guard let map = entry as? [String: Any] else { throw JobSpecError(field, "must be a mapping with id and kind") }
        let known: Set<String> = ["id", "kind", "name", "inputs", "key-by", "parallelism", "params"]
        if let unknown = map.keys.sorted().first(where: { !known.contains($0) }) {
            throw JobSpecError("\(field).\(unknown)", "unknown field; expected one of \(known.sorted().joined(separator: ", "))")
        }
        guard let id = map["id"] as? String, !id.isEmpty, id.unicodeScalars.allSatisfy(isIDCharacter) else {
            throw JobSpecError("\(field).id", "required: letters, digits, '.', '_' or '-'")
        }
        guard let kindName = map["kind"] as? String else { throw JobSpecError("\(field).kind", "required") }
        guard let kind = catalog[kindName] else {
            let hint = catalog.closest(to: kindName).map { " (did you mean '\($0)'?)" } ?? ""
            throw JobSpecError("\(field).kind", "unknown kind '\(kindName)'\(hint); built-in kinds: \(catalog.names().joined(separator: ", ")) (sluice kinds describes them)")
        }
        guard kind.role == role else {
            throw JobSpecError("\(field).kind", "'\(kindName)' is a \(kind.role.rawValue); list it under \(kind.role.section), not \(role.section)")
        }
        let inputs: [String]
        switch map["inputs"] {
        case nil: inputs = []
        case let single as String: inputs = [single]
        case let list as [Any]:
            inputs = try list.enumerated().map { index, value in
                guard let input = value as? String else { throw JobSpecError("\(field).inputs[\(index)]", "must be a vertex id") }
                return input
            }
        default: throw JobSpecError("\(field).inputs", "must be a vertex id or a list of them")
        }
        guard inputs.count == kind.inputs.count else {
            let wanted = kind.inputs.isEmpty ? "no inputs" : "\(kind.inputs.count) input(s): \(kind.inputs.map(\.name).joined(separator: ", "))"
            throw JobSpecError("\(field).inputs", "'\(kindName)' takes \(wanted); got \(inputs.count)")
        }
        let keyBy: [String]
        switch map["key-by"] {
        case nil: keyBy = []
        case let list as [Any]:
            keyBy = try list.enumerated().map { index, value in
                guard let column = value as? String, !column.isEmpty else {
                    throw JobSpecError("\(field).key-by[\(index)]", "must be a column name")
                }
                return column
            }
        case let single as String: keyBy = [single]
        default: throw JobSpecError("\(field).key-by", "must be a column name or a list of them")
        }
        if role == .source && !keyBy.isEmpty {
            throw JobSpecError("\(field).key-by", "a source has no input to key; put key-by on the vertex that reads it")
        }
        if Set(keyBy).count != keyBy.count { throw JobSpecError("\(field).key-by", "names a column twice") }
        switch kind.keying {
        case .unkeyed:
            break
        case .keyed(let columns):
            if keyBy.isEmpty {
                let example = columns.map { "[\($0.joined(separator: ", "))]" } ?? "[your key columns]"
                throw JobSpecError("\(field).key-by", "'\(kindName)' keeps keyed state: set key-by, e.g. key-by: \(example)")
            }
            if let columns, keyBy != columns {
                throw JobSpecError("\(field).key-by", "'\(kindName)' keys by [\(columns.joined(separator: ", "))]; set key-by to exactly that")
            }
        }
        let params = try parseParams(map["params"], field: field, kind: kind)
        return JobSpec.Vertex(id: id, kind: kind.name, role: kind.role, name: (map["name"] as? String) ?? id, inputs: inputs,
                              keyBy: keyBy, keyed: kind.keying.isKeyed,
                              parallelism: try integer(map["parallelism"], field: "\(field).parallelism", range: 1...maxParallelism),
                              params: params, schema: nil, inputSchemas: [], field: field)
    }

    private static func isIDCharacter(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))) || "._-".unicodeScalars.contains(scalar)
    }

    /// The vertex's parameters checked against the kind's declarations, defaults filled in.
    private static func parseParams(_ raw: Any?, field: String, kind: OperatorKindDeclaration) throws -> [String: String] {
        var params: [String: String] = [:]
        if let raw {
            guard let mapping = raw as? [String: Any] else { throw JobSpecError("\(field).params", "must be a mapping") }
            for key in mapping.keys.sorted() {
                guard let declaration = kind.parameter(key) else {
                    if let renamed = kind.parameters.first(where: { $0.formerNames.contains(key) }) {
                        throw JobSpecError("\(field).params.\(key)",
                                           "'\(key)' is now called '\(renamed.name)': write \(renamed.name): \(mapping[key].map { "\($0)" } ?? "…")")
                    }
                    let names = kind.parameters.map(\.name)
                    let hint = EditDistance.closest(to: key, among: names).map { " (did you mean '\($0)'?)" } ?? ""
                    let takes = names.isEmpty ? "it takes no parameters" : "it takes \(names.sorted().joined(separator: ", "))"
                    throw JobSpecError("\(field).params.\(key)", "unknown parameter for '\(kind.name)'\(hint); \(takes)")
                }
                switch declaration.canonical(mapping[key]!) {
                case .success(let value): params[key] = value
                case .failure(let error): throw JobSpecError("\(field).params.\(key)", "\(error) (\(declaration.doc))")
                }
            }
        }
        for declaration in kind.parameters where params[declaration.name] == nil {
            switch declaration.requirement {
            case .required:
                throw JobSpecError("\(field).params.\(declaration.name)", "required by '\(kind.name)': \(declaration.doc)")
            case .defaulted(let value):
                params[declaration.name] = value
            case .optional:
                break
            }
        }
        return params
    }

    private static func parseEventTime(_ value: Any?) throws -> JobSpec.EventTime {
        var eventTime = JobSpec.EventTime()
        guard let value else { return eventTime }
        guard let map = value as? [String: Any] else { throw JobSpecError("event-time", "must be a mapping") }
        for key in map.keys {
            guard ["out-of-orderness-ms", "idle-timeout-ms", "allowed-lateness-ms"].contains(key) else {
                throw JobSpecError("event-time.\(key)", "unknown field; expected out-of-orderness-ms, idle-timeout-ms or allowed-lateness-ms")
            }
        }
        let day = 86_400_000
        if let v = try integer(map["out-of-orderness-ms"], field: "event-time.out-of-orderness-ms", range: 0...day) { eventTime.outOfOrdernessMillis = Int64(v) }
        if let v = try integer(map["idle-timeout-ms"], field: "event-time.idle-timeout-ms", range: 0...day) { eventTime.idleTimeoutMillis = Int64(v) }
        if let v = try integer(map["allowed-lateness-ms"], field: "event-time.allowed-lateness-ms", range: 0...day) { eventTime.allowedLatenessMillis = Int64(v) }
        return eventTime
    }

    private static func parseCheckpoints(_ value: Any?) throws -> CheckpointSettings {
        var settings = CheckpointSettings()
        let map = try section(value, "checkpoints", fields: ["interval-ms", "timeout-ms", "min-pause-ms", "max-concurrent", "retained",
                                                             "tolerable-failures"])
        let day = 86_400_000
        if let v = try integer(map["interval-ms"], field: "checkpoints.interval-ms", range: 0...day) { settings.intervalMillis = Int64(v) }
        if let v = try integer(map["timeout-ms"], field: "checkpoints.timeout-ms", range: 100...day) { settings.timeoutMillis = Int64(v) }
        if let v = try integer(map["min-pause-ms"], field: "checkpoints.min-pause-ms", range: 0...day) { settings.minPauseMillis = Int64(v) }
        if let v = try integer(map["max-concurrent"], field: "checkpoints.max-concurrent", range: 1...16) { settings.maxConcurrent = v }
        if let v = try integer(map["retained"], field: "checkpoints.retained", range: 1...100) { settings.retained = v }
        if let v = try integer(map["tolerable-failures"], field: "checkpoints.tolerable-failures", range: 0...1_000) {
            settings.tolerableFailures = v
        }
        return settings
    }

    private static func parseRestart(_ value: Any?) throws -> RestartSettings {
        var settings = RestartSettings()
        let map = try section(value, "restart", fields: ["initial-backoff-ms", "max-backoff-ms", "multiplier", "reset-after-ms", "max-attempts"])
        let day = 86_400_000
        if let v = try integer(map["initial-backoff-ms"], field: "restart.initial-backoff-ms", range: 0...day) { settings.initialBackoffMillis = Int64(v) }
        if let v = try integer(map["max-backoff-ms"], field: "restart.max-backoff-ms", range: 0...day) { settings.maxBackoffMillis = Int64(v) }
        if let v = try integer(map["reset-after-ms"], field: "restart.reset-after-ms", range: 0...day) { settings.resetAfterMillis = Int64(v) }
        if let v = try integer(map["max-attempts"], field: "restart.max-attempts", range: 0...1_000_000) { settings.maxAttempts = v }
        if let raw = map["multiplier"] {
            guard let number = (raw as? Double) ?? (raw as? Int).map(Double.init) ?? (raw as? String).flatMap(Double.init),
                  (1...100).contains(number) else {
                throw JobSpecError("restart.multiplier", "must be a number in 1...100, got \(raw)")
            }
            settings.multiplier = number
        }
        guard settings.maxBackoffMillis >= settings.initialBackoffMillis else {
            throw JobSpecError("restart.max-backoff-ms", "must be at least initial-backoff-ms (\(settings.initialBackoffMillis))")
        }
        return settings
    }

    /// A mapping section whose keys are all in `fields`; empty when absent.
    private static func section(_ value: Any?, _ name: String, fields: [String]) throws -> [String: Any] {
        guard let value else { return [:] }
        guard let map = value as? [String: Any] else { throw JobSpecError(name, "must be a mapping") }
        if let unknown = map.keys.sorted().first(where: { !fields.contains($0) }) {
            throw JobSpecError("\(name).\(unknown)", "unknown field; expected one of \(fields.joined(separator: ", "))")
        }
        return map
    }

    private static func integer(_ value: Any?, field: String, range: ClosedRange<Int>) throws -> Int? {
        guard let value else { return nil }
        guard let number = (value as? Int) ?? (value as? String).flatMap({ Int($0) }), range.contains(number) else {
            throw JobSpecError(field, "must be an integer in \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return number
    }

    private static func validateGraph(_ vertices: [JobSpec.Vertex]) throws {
        var seen: Set<String> = []
        for vertex in vertices {
            guard seen.insert(vertex.id).inserted else { throw JobSpecError("\(vertex.field).id", "duplicate vertex id '\(vertex.id)'") }
        }
        for vertex in vertices {
            for (index, input) in vertex.inputs.enumerated() where !seen.contains(input) {
                let hint = EditDistance.closest(to: input, among: vertices.map(\.id)).map { " (did you mean '\($0)'?)" } ?? ""
                throw JobSpecError("\(vertex.field).inputs[\(index)]", "no source or operator with id '\(input)'\(hint)")
            }
            if vertex.inputs.contains(vertex.id) { throw JobSpecError("\(vertex.field).inputs", "a vertex cannot read its own output") }
        }
        _ = try topologicalOrder(vertices)
    }

    private static func topologicallySorted(_ vertices: [JobSpec.Vertex]) throws -> [JobSpec.Vertex] {
        try topologicalOrder(vertices).map { id in vertices.first { $0.id == id }! }
    }

    private static func topologicalOrder(_ vertices: [JobSpec.Vertex]) throws -> [String] {
        var order: [String] = []
        var placed: Set<String> = []
        var remaining = vertices
        while !remaining.isEmpty {
            guard let next = remaining.firstIndex(where: { $0.inputs.allSatisfy(placed.contains) }) else {
                throw JobSpecError(remaining[0].field + ".inputs", "the inputs form a cycle")
            }
            placed.insert(remaining[next].id)
            order.append(remaining[next].id)
            remaining.remove(at: next)
        }
        return order
    }
}
