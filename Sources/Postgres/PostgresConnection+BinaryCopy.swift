import CLibPQ

/// Rows loaded with `COPY … FROM STDIN (FORMAT binary)` (`PostgresCopyBinaryWriter`), sent like
/// `send(_:binary:)`: the call returns once the data is on its way and the result is read by
/// `awaitInFlight()` or the next statement. Same thread rules as `PostgresConnection`.
extension PostgresConnection {
    /// Starts the COPY `sql`, sends `data` (a finished writer's bytes) and ends it, without
    /// waiting for the server to load the rows. Costs one round trip more than `send`: the
    /// server must accept the COPY before data may follow. A row the server refuses (a unique
    /// violation, a value out of range) fails the whole COPY; its error comes with the result.
    public func sendCopy(_ sql: String, data: [UInt8]) throws {
        try prepareToSend(context: sql)
        guard PQsendQuery(connection, sql) == 1 else { throw connectionFailure(context: sql) }
        let start = PQgetResult(connection)
        guard let start, PQresultStatus(start) == PGRES_COPY_IN else {
            // The server refused the COPY itself (no such table, a failed transaction): read
            // to the end so the connection is free, then throw what it said.
            while let extra = PQgetResult(connection) { PQclear(extra) }
            _ = try check(start, query: sql)
            throw PostgresError.invalidState(message: "the server did not enter COPY IN mode", context: sql)
        }
        PQclear(start)
        let sent = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let length = min(raw.count - offset, Self.copyChunkSize)
                let chunk = raw.baseAddress.map { ($0 + offset).assumingMemoryBound(to: CChar.self) }
                guard PQputCopyData(connection, chunk, Int32(length)) == 1 else { return false }
                offset += length
            }
            return true
        }
        guard sent, PQputCopyEnd(connection, nil) == 1 else {
            let error = connectionFailure(context: sql)
            while let extra = PQgetResult(connection) { PQclear(extra) }
            throw error
        }
        inFlight = sql
    }
}
