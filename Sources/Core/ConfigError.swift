/// Why a configuration could not be loaded; every case says how to fix it.
public enum ConfigError: Error, CustomStringConvertible, Equatable {
    case unreadableFile(path: String, reason: String)
    case invalidYAML(path: String, reason: String)
    case unknownKey(key: String, source: String, suggestion: String?)
    case unknownEnvironmentVariable(name: String, suggestion: String?)
    case invalidValue(key: String, value: String, expected: String, source: String)
    case missingSecret

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "cannot read config file \(path): \(reason)"
        case .invalidYAML(let path, let reason):
            return "config file \(path) is not valid YAML: \(reason)"
        case .unknownKey(let key, let source, let suggestion):
            let hint = suggestion.map { " (did you mean '\($0)'?)" } ?? ""
            return "unknown config key '\(key)' in \(source)\(hint); known keys: \(ConfigKey.allCases.map(\.rawValue).joined(separator: ", "))"
        case .unknownEnvironmentVariable(let name, let suggestion):
            let hint = suggestion.map { " (did you mean \($0)?)" } ?? ""
            return "unknown environment variable \(name)\(hint): no config key or script reads it; config keys map to "
                + "SLUICE_<SECTION>_<KEY> (e.g. jobmanager.rest-port → SLUICE_JOBMANAGER_REST_PORT); unset it or fix its name"
        case .invalidValue(let key, let value, let expected, let source):
            return "config key '\(key)' in \(source) has value '\(value)', expected \(expected)"
        case .missingSecret:
            return "no cluster secret: set SLUICE_CLUSTER_SECRET, or cluster.secret / cluster.secret-file in the config (make run writes one to .cluster/secret)"
        }
    }
}
