import Foundation
import Yams

/// Parses and validates a YAML job spec into a `JobSpec`, naming the offending field on error.
public enum JobSpecParser {
    public static func parse(yaml text: String, parallelismOverride: Int? = nil) throws -> JobSpec {
        let document: Any?
        do {
            document = try Yams.load(yaml: text)
        } catch {
            throw JobSpecError("(document)", "not valid YAML: \(error)")
        }
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
        for (section, role) in [("sources", OperatorKind.Role.source), ("operators", .transform), ("sinks", .sink)] {
            guard let value = root[section] else {
                if section == "operators" { continue }
                throw JobSpecError(section, "required, a list of \(section)")
            }
            guard let list = value as? [Any] else { throw JobSpecError(section, "must be a list") }
            for (index, entry) in list.enumerated() {
                vertices.append(try parseVertex(entry, field: "\(section)[\(index)]", role: role, maxParallelism: maxParallelism))
            }
        }
        try validateGraph(vertices)
        return JobSpec(name: name, parallelism: parallelism, maxParallelism: maxParallelism, eventTime: eventTime,
                       checkpoints: checkpoints, restart: restart, vertices: try topologicallySorted(vertices), source: text)
    }

    private static func parseVertex(_ entry: Any, field: String, role: OperatorKind.Role, maxParallelism: Int) throws -> JobSpec.Vertex {
        guard let map = entry as? [String: Any] else { throw JobSpecError(field, "must be a mapping with id and kind") }
        let known: Set<String> = ["id", "kind", "name", "inputs", "key-by", "parallelism", "params"]
        if let unknown = map.keys.sorted().first(where: { !known.contains($0) }) {
            throw JobSpecError("\(field).\(unknown)", "unknown field; expected one of \(known.sorted().joined(separator: ", "))")
        }
        guard let id = map["id"] as? String, id.range(of: "^[A-Za-z0-9_.-]+$", options: .regularExpression) != nil else {
            throw JobSpecError("\(field).id", "required: letters, digits, '.', '_' or '-'")
        }
        guard let kindName = map["kind"] as? String else { throw JobSpecError("\(field).kind", "required") }
        guard let kind = OperatorKind(rawValue: kindName) else {
            throw JobSpecError("\(field).kind", "unknown kind '\(kindName)'; built-in kinds: \(OperatorKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard kind.role == role else {
            throw JobSpecError("\(field).kind", "'\(kindName)' is a \(kind.role), it cannot be listed here")
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
        guard kind.inputCount.contains(inputs.count) else {
            throw JobSpecError("\(field).inputs", "'\(kindName)' takes \(kind.inputCount.lowerBound == kind.inputCount.upperBound ? "\(kind.inputCount.lowerBound)" : "\(kind.inputCount)") input(s), got \(inputs.count)")
        }
        let keyBy: [String]
        switch map["key-by"] {
        case nil: keyBy = []
        case let list as [Any]: keyBy = list.map { "\($0)" }
        case let single as String: keyBy = [single]
        default: throw JobSpecError("\(field).key-by", "must be a field name or a list of them")
        }
        if let badKey = keyBy.first(where: { !RecordKey.supportedFields.contains($0) }) {
            throw JobSpecError("\(field).key-by", "cannot key by '\(badKey)'; supported: \(RecordKey.supportedFields.sorted().joined(separator: ", "))")
        }
        if kind.isKeyed && keyBy != ["user_id", "product_id"] {
            throw JobSpecError("\(field).key-by", "'\(kindName)' keys by [user_id, product_id]; set key-by to exactly that")
        }
        var params: [String: String] = [:]
        if let raw = map["params"] {
            guard let mapping = raw as? [String: Any] else { throw JobSpecError("\(field).params", "must be a mapping") }
            let (required, optional) = kind.parameters
            for (key, value) in mapping {
                guard required.contains(key) || optional.contains(key) else {
                    throw JobSpecError("\(field).params.\(key)", "unknown parameter for '\(kindName)'; it takes \((required.union(optional)).sorted().joined(separator: ", "))")
                }
                params[key] = "\(value)"
            }
        }
        if let missing = kind.parameters.required.subtracting(params.keys).sorted().first {
            throw JobSpecError("\(field).params.\(missing)", "required by '\(kindName)'")
        }
        return JobSpec.Vertex(id: id, kind: kind, name: (map["name"] as? String) ?? id, inputs: inputs, keyBy: keyBy,
                              parallelism: try integer(map["parallelism"], field: "\(field).parallelism", range: 1...maxParallelism),
                              params: params)
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
        let map = try section(value, "checkpoints", fields: ["interval-ms", "timeout-ms", "min-pause-ms", "max-concurrent", "retained"])
        let day = 86_400_000
        if let v = try integer(map["interval-ms"], field: "checkpoints.interval-ms", range: 0...day) { settings.intervalMillis = Int64(v) }
        if let v = try integer(map["timeout-ms"], field: "checkpoints.timeout-ms", range: 100...day) { settings.timeoutMillis = Int64(v) }
        if let v = try integer(map["min-pause-ms"], field: "checkpoints.min-pause-ms", range: 0...day) { settings.minPauseMillis = Int64(v) }
        if let v = try integer(map["max-concurrent"], field: "checkpoints.max-concurrent", range: 1...16) { settings.maxConcurrent = v }
        if let v = try integer(map["retained"], field: "checkpoints.retained", range: 1...100) { settings.retained = v }
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
            guard seen.insert(vertex.id).inserted else { throw JobSpecError("id", "duplicate vertex id '\(vertex.id)'") }
        }
        for vertex in vertices {
            for input in vertex.inputs where !seen.contains(input) {
                throw JobSpecError("\(vertex.id).inputs", "no source or operator with id '\(input)'")
            }
            if vertex.inputs.contains(vertex.id) { throw JobSpecError("\(vertex.id).inputs", "a vertex cannot read its own output") }
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
                throw JobSpecError(remaining[0].id + ".inputs", "the inputs form a cycle")
            }
            placed.insert(remaining[next].id)
            order.append(remaining[next].id)
            remaining.remove(at: next)
        }
        return order
    }
}
