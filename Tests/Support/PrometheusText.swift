/// A parsed Prometheus text exposition (`/metrics`): every sample as name, labels and value,
/// plus the `# TYPE` of each family. Generic, for any test that scrapes an endpoint.
///
/// Pure value; parsing is strict (a malformed line throws, so a test notices a broken
/// endpoint instead of reading around it). Label values are unescaped (`\\`, `\"`, `\n`);
/// values `NaN`, `+Inf` and `-Inf` are understood.
public struct PrometheusText: Sendable {
    public struct Sample: Sendable, Equatable, CustomStringConvertible {
        public var name: String
        public var labels: [String: String]
        public var value: Double

        public var description: String {
            "\(name){\(labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))} \(value)"
        }
    }

    public let samples: [Sample]
    /// Family name → `counter`, `gauge`, `histogram`, ….
    public let types: [String: String]

    public init(_ text: String) throws {
        var samples: [Sample] = []
        var types: [String: String] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = Substring(raw)
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let words = line.split(separator: " ", maxSplits: 3)
                if words.count >= 4, words[1] == "TYPE" { types[String(words[2])] = String(words[3]) }
                continue
            }
            do {
                samples.append(try Self.sample(line))
            } catch let reason as Reason {
                throw PrometheusTextError.malformedLine(number: index + 1, line: String(line), reason: reason.text)
            }
        }
        self.samples = samples
        self.types = types
    }

    /// Samples of series `name` whose labels include every pair of `labels`.
    public func samples(_ name: String, where labels: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
    }

    /// Sum of those samples' values (0 when there is none).
    public func sum(_ name: String, where labels: [String: String] = [:]) -> Double {
        samples(name, where: labels).reduce(0) { $0 + $1.value }
    }

    private struct Reason: Error {
        var text: String
    }

    private static func sample(_ line: Substring) throws(Reason) -> Sample {
        var rest = line[...]
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
        let name = String(rest[..<nameEnd])
        guard !name.isEmpty else { throw Reason(text: "no metric name") }
        rest = rest[nameEnd...]
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                guard let equals = rest.firstIndex(of: "=") else { throw Reason(text: "label without '='") }
                let key = String(rest[..<equals])
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { throw Reason(text: "label value of \(key) not quoted") }
                rest = rest.dropFirst()
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\" {
                        guard let escaped = rest.first else { throw Reason(text: "escape at end of line") }
                        rest = rest.dropFirst()
                        switch escaped {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw Reason(text: "unknown escape \\\(escaped)")
                        }
                    } else {
                        value.append(character)
                    }
                }
                guard rest.first == "\"" else { throw Reason(text: "unterminated label value of \(key)") }
                rest = rest.dropFirst()
                labels[key] = value
                if rest.first == "," { rest = rest.dropFirst() }
                guard !rest.isEmpty else { throw Reason(text: "unterminated label set") }
            }
            rest = rest.dropFirst()
        }
        let fields = rest.split(separator: " ")
        guard let text = fields.first, let value = parseValue(text) else { throw Reason(text: "no numeric value") }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func parseValue(_ text: Substring) -> Double? {
        switch text {
        case "NaN": .nan
        case "+Inf": .infinity
        case "-Inf": -.infinity
        default: Double(text)
        }
    }
}
