/// A `timestamp[]` (without time zone) parameter in binary format (array OID 1115, element
/// `timestamp` 1114).
public typealias PostgresTimestampArray = PostgresArrayParameter<PostgresTimestamp>

/// The element type of `PostgresTimestampArray`: PostgreSQL's `timestamp` without time zone,
/// 8 big-endian bytes counting microseconds since 2000-01-01 00:00:00 (PostgreSQL's epoch).
/// A marker only, never instantiated.
public enum PostgresTimestamp: PostgresArrayElement {
    public static var elementOID: UInt32 { 1114 }
    public static var arrayOID: UInt32 { 1115 }
    /// 2000-01-01 00:00:00 UTC in Unix epoch milliseconds.
    public static var epochMillis: Int64 { 946_684_800_000 }

    /// The binary value of the instant `epochMillis` (milliseconds since 1970-01-01 00:00:00
    /// UTC, negative before): microseconds since PostgreSQL's epoch. Throws for an instant whose
    /// microseconds do not fit an int64 (about ±292,000 years) rather than wrapping around into
    /// another time; `context` names the value in the error.
    static func microseconds(epochMillis: Int64, context: String) throws -> Int64 {
        let (sincePostgresEpoch, borrowed) = epochMillis.subtractingReportingOverflow(Self.epochMillis)
        let (micros, overflowed) = sincePostgresEpoch.multipliedReportingOverflow(by: 1_000)
        guard !borrowed, !overflowed else {
            throw PostgresError.clientError(message: "the time \(epochMillis) ms since 1970 is outside PostgreSQL's timestamp range: check the event's time",
                                            context: context)
        }
        return micros
    }
}

/// Elements are given as Unix epoch milliseconds and stored as their UTC wall-clock time, the
/// same instant the text form `YYYY-MM-DD HH:MM:SS.mmm` (UTC) names.
extension PostgresArrayParameter where Element == PostgresTimestamp {
    /// Appends the instant `epochMillis` (milliseconds since 1970-01-01 00:00:00 UTC, negative
    /// before), or NULL for nil; throws as `PostgresTimestamp.microseconds` does.
    public mutating func append(epochMillis: Int64?) throws {
        guard let epochMillis else { return appendNull() }
        let micros = try PostgresTimestamp.microseconds(epochMillis: epochMillis, context: "binary timestamp[] parameter")
        beginElement(byteCount: 8)
        appendInteger(micros)
    }
}
