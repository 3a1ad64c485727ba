import SluicePostgres

/// The statements the PostgreSQL sink writes a batch with, for one table. `insert` and `upsert`
/// take the batch as 13 binary arrays (`SinkColumnArrays`) that `unnest` turns back into rows:
/// PostgreSQL reads 13 parameters instead of a VALUES list of 13 per row (parsing and planning
/// that list cost more than the writes), and binary values instead of text array literals.
///
/// - `copy`: `COPY … FROM STDIN (FORMAT binary)` of the rows (`SinkCopyRows`). The sink's first
///   choice: like a plain insert it probes the primary key once per row, inside the insert,
///   instead of a separate conflict check before it (that check was ~25 % of the sink backends'
///   CPU), and it skips the statement's unnest and tuple store. It fails with SQLSTATE 23505
///   when a checkout is already in the table.
/// - `insert`: the same rows as a plain `INSERT`, for a batch COPY cannot carry (an amount
///   without a binary `numeric` form); it fails the same way.
/// - `upsert`: `INSERT … ON CONFLICT (checkout_id) DO UPDATE` replacing every column, for rows that
///   may already be there (eager-mode corrections, a job re-run over a full table, replays).
///
/// A value; built once per sink when it opens.
struct SinkStatements: Sendable {
    let copy: String
    let insert: String
    let upsert: String

    init(table: String) {
        let columns = SinkColumnArrays.columns
        let arrays = columns.indices.map { "$\($0 + 1)::\(columns[$0].parameterType)[]" }.joined(separator: ", ")
        let names = columns.indices.map { "c\($0)" }
        let selected = columns.indices.map { index in columns[index].cast.map { "c\(index)::\($0)" } ?? "c\(index)" }
        let updates = columns.dropFirst().map { "\($0.name) = EXCLUDED.\($0.name)" }.joined(separator: ", ")
        let target = "\(PostgresConnection.quoteQualifiedName(table)) (\(columns.map(\.name).joined(separator: ", ")))"
        copy = "COPY \(target) FROM STDIN (FORMAT binary)"
        insert = "INSERT INTO \(target) "
            + "SELECT \(selected.joined(separator: ", ")) FROM unnest(\(arrays)) AS rows(\(names.joined(separator: ", ")))"
        upsert = insert + " ON CONFLICT (checkout_id) DO UPDATE SET \(updates)"
    }

    /// SQLSTATE `unique_violation`: a plain insert met a checkout already in the table.
    static let uniqueViolation = "23505"

    /// `rows` with each checkout once, as its last version, in the order of those last versions:
    /// one statement may not touch a row twice (an eager-mode correction in the same batch).
    static func latestPerCheckout(_ rows: [AttributedCheckout]) -> [AttributedCheckout] {
        var latest: [String: Int] = [:]
        latest.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() { latest[row.checkout.checkoutID] = index }
        if latest.count == rows.count { return rows }
        return rows.indices.filter { latest[rows[$0].checkout.checkoutID] == $0 }.map { rows[$0] }
    }
}
