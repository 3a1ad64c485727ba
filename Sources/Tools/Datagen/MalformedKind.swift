/// The ways the datagen breaks a record on purpose, so the job's dead-letter path is exercised
/// with every failure class the decoders distinguish.
public enum MalformedKind: String, Sendable, Hashable, CaseIterable {
    /// Not parseable as JSON: a cut-off object or plain text.
    case invalidJSON = "invalid-json"
    /// A required field (`*_id`, `user_id`, `product_id` or `datetime_occured`) is absent.
    case missingField = "missing-field"
    /// `user_id` is not an integer (e.g. `"abc"`).
    case wrongType = "wrong-type"
    /// `datetime_occured` is not a valid `YYYY-MM-DD HH:MM:SS.mmm` instant.
    case badTimestamp = "bad-timestamp"
    /// Well-formed but larger than the 64 KiB record limit.
    case oversized
}
