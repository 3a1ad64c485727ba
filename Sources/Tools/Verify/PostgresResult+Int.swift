import SluicePostgres

extension PostgresResult {
    /// Column `column` of the first row as an integer (0 for NULL).
    func int(_ column: Int) -> Int {
        value(row: 0, column: column).flatMap { Int($0) } ?? 0
    }
}
