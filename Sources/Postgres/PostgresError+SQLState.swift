extension PostgresError {
    /// SQLSTATE `unique_violation`: a plain insert (or COPY) met a key already in the table.
    public static let uniqueViolation = "23505"
}
