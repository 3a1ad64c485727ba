import Foundation
import Yams

/// The layered key/value view of the configuration: defaults < YAML file < environment.
///
/// Values stay strings here; `SluiceConfig` turns them into typed settings and names the
/// offending key and source when one does not parse. Command-line flags are applied by the
/// executables on top of the typed result.
public struct ConfigSource: Sendable {
    /// The effective value per key, and where it came from (for error messages).
    public private(set) var values: [ConfigKey: (value: String, source: String)] = [:]
    /// The directory relative paths in the file (e.g. `cluster.secret-file`) are resolved against.
    public private(set) var baseDirectory: String?

    public init() {
        for key in ConfigKey.allCases {
            if let value = key.defaultValue { values[key] = (value, "defaults") }
        }
    }

    /// Loads defaults, then `file` (if given), then `SLUICE_*` variables from `environment`.
    public static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ConfigSource {
        var source = ConfigSource()
        if let file {
            try source.merge(yamlFile: file)
        }
        try source.merge(environment: environment)
        return source
    }

    public mutating func merge(yamlFile path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError.unreadableFile(path: path, reason: "\(error.localizedDescription)")
        }
        baseDirectory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try merge(yaml: text, sourceName: path)
    }

    public mutating func merge(yaml text: String, sourceName: String) throws {
        let document: Any?
        do {
            document = try Yams.load(yaml: text)
        } catch {
            throw ConfigError.invalidYAML(path: sourceName, reason: "\(error)")
        }
        guard let document else { return }
        guard let root = document as? [String: Any] else {
            throw ConfigError.invalidYAML(path: sourceName, reason: "the top level must be a mapping of sections")
        }
        for (dotted, value) in Self.flatten(root, prefix: "") {
            guard let key = ConfigKey(rawValue: dotted) else {
                throw ConfigError.unknownKey(key: dotted, source: sourceName, suggestion: Self.closestKey(to: dotted))
            }
            values[key] = (value, sourceName)
        }
    }

    /// Takes the `SLUICE_*` variables of config keys; any other `SLUICE_*` variable that no
    /// script or tool reads (`ToolEnvironmentVariable`) is refused, as an unknown YAML key is.
    public mutating func merge(environment: [String: String]) throws(ConfigError) {
        let keyNames = ConfigKey.allCases.map(\.environmentName)
        for name in environment.keys.sorted() where name.hasPrefix("SLUICE_") {
            guard !keyNames.contains(name), !ToolEnvironmentVariable.isKnown(name) else { continue }
            let suggestion = EditDistance.closest(to: name, among: keyNames + ToolEnvironmentVariable.names.keys.sorted())
            throw .unknownEnvironmentVariable(name: name, suggestion: suggestion)
        }
        for key in ConfigKey.allCases {
            if let value = environment[key.environmentName] {
                values[key] = (value, "environment \(key.environmentName)")
            }
        }
    }

    public func string(_ key: ConfigKey) -> String? { values[key]?.value }

    /// A path value; relative paths from the YAML file are resolved against the file's folder
    /// (so `secret-file: ../.cluster/secret` works from any working directory).
    public func path(_ key: ConfigKey) -> String? {
        guard let entry = values[key], !entry.value.isEmpty else { return nil }
        guard !entry.value.hasPrefix("/"), let base = baseDirectory, !entry.source.hasPrefix("environment"),
              entry.source != "defaults" else { return entry.value }
        return URL(fileURLWithPath: base).appendingPathComponent(entry.value).standardized.path
    }

    public func int(_ key: ConfigKey, in range: ClosedRange<Int>) throws -> Int {
        let entry = values[key] ?? (key.defaultValue ?? "", "defaults")
        guard let number = Int(entry.value.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
            throw ConfigError.invalidValue(key: key.rawValue, value: entry.value,
                                           expected: "an integer in \(range.lowerBound)...\(range.upperBound)", source: entry.source)
        }
        return number
    }

    private static func flatten(_ mapping: [String: Any], prefix: String) -> [(String, String)] {
        mapping.flatMap { (name, value) -> [(String, String)] in
            let dotted = prefix.isEmpty ? name : "\(prefix).\(name)"
            if let nested = value as? [String: Any] {
                return flatten(nested, prefix: dotted)
            }
            return [(dotted, "\(value)")]
        }
    }

    private static func closestKey(to candidate: String) -> String? {
        EditDistance.closest(to: candidate, among: ConfigKey.allCases.map(\.rawValue))
    }
}
