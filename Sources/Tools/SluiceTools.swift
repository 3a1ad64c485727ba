/// The data tools behind `sluice datagen` and `sluice verify`: a deterministic click/checkout
/// generator that loads users into PostgreSQL and streams events into Kafka, and an oracle that
/// recomputes the attribution from the raw events with plain SQL and diffs it against the sink.
///
/// Everything here is blocking, single-threaded library code; the CLI is a thin shell over it.
public enum SluiceTools {
    /// The table the attribution job writes (DESIGN.md §7).
    public static let defaultSinkTable = "commerce.attributed_checkouts"
    /// The topics the datagen writes and the job reads.
    public static let defaultClicksTopic = "clicks"
    public static let defaultCheckoutsTopic = "checkouts"
    /// Records larger than this are dead letters (the decoders' limit).
    public static let maxRecordBytes = 64 * 1024
    /// The attribution window: a click counts for checkouts up to one hour later.
    public static let attributionWindowMillis: Int64 = 3_600_000
}
