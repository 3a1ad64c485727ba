import SluiceEngine
/// Why attribution settings from a job spec were refused (the job is rejected at submission).
public enum AttributionSettingsError: Error, CustomStringConvertible, Equatable, Sendable {
    case negative(setting: String, value: Duration)
    case tooLong(setting: String, value: Duration, maximum: Duration)
    case unknownEmitMode(String)

    public var description: String {
        switch self {
        case .negative(let setting, let value):
            return "attribution \(setting) must not be negative, got \(value)"
        case .tooLong(let setting, let value, let maximum):
            return "attribution \(setting) of \(value) exceeds the maximum of \(maximum)"
        case .unknownEmitMode(let text):
            let modes = AttributionSettings.EmitMode.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            return "unknown attribution emit mode '\(text)', expected one of \(modes)"
        }
    }
}
