import SluiceEngine

/// Where a `kafka-source` starts reading a partition that no checkpoint has an offset for
/// (Flink's `scan.startup.mode`): `earliest`, `latest`, `timestamp:<epoch ms>` (the first record
/// at or after that time) or `group-offsets` (the offsets its consumer group committed, else
/// earliest). A value; `init(parsing:)` is the one parser of the parameter's text.
public enum KafkaStartPosition: Sendable, Equatable {
    case earliest
    case latest
    case timestamp(Int64)
    case groupOffsets

    public init(parsing text: String) throws(SchemaRuleError) {
        switch text {
        case "earliest": self = .earliest
        case "latest": self = .latest
        case "group-offsets": self = .groupOffsets
        default:
            guard text.hasPrefix("timestamp:") else {
                throw SchemaRuleError("params.start", "'\(text)' is not a start position; use earliest, latest, "
                                      + "timestamp:<epoch ms> (e.g. timestamp:1764547200000) or group-offsets")
            }
            guard let millis = Int64(text.dropFirst("timestamp:".count)), millis >= 0 else {
                throw SchemaRuleError("params.start", "'\(text)': after timestamp: give epoch milliseconds, e.g. timestamp:1764547200000")
            }
            self = .timestamp(millis)
        }
    }
}
