import CLibPQ

/// Statements whose parameters travel in PostgreSQL's binary format, each declared with its
/// type OID: the server reads the values with the types' receive functions instead of parsing
/// and casting text (for arrays: no array literal to parse, no per-element cast).
///
/// Same thread rules as `PostgresConnection`: the calling thread owns the connection. Results
/// still come back in text format, so `PostgresResult` reads them as usual.
extension PostgresConnection {
    /// Runs one statement with `$1`, `$2`, … bound to `parameters` in binary format (a value
    /// without bytes is NULL), through the extended protocol. The server rejects bytes that do
    /// not fit the declared type with a `serverError` (e.g. SQLSTATE 22P03); the connection
    /// stays usable.
    @discardableResult
    public func execute(_ sql: String, binary parameters: [PostgresBinaryValue]) throws -> PostgresResult {
        try prepareToSend(context: sql)
        let result = try withBinaryParameters(parameters, sql: sql) { count, types, values, lengths, formats in
            PQexecParams(connection, sql, count, types, values, lengths, formats, 0)
        }
        return try check(result, query: sql)
    }

    /// Sends the statement like `execute(_:binary:)` but returns as soon as it is on its way,
    /// so the caller works while the server runs it. Its result is read by `awaitInFlight()` or
    /// by the next statement on this connection, which throws the statement's error if it
    /// failed. The parameters' bytes are copied out before this returns (libpq buffers and
    /// flushes the whole message in blocking mode), so the caller may reuse them at once.
    public func send(_ sql: String, binary parameters: [PostgresBinaryValue]) throws {
        try prepareToSend(context: sql)
        let sent = try withBinaryParameters(parameters, sql: sql) { count, types, values, lengths, formats in
            PQsendQueryParams(connection, sql, count, types, values, lengths, formats, 0)
        }
        guard sent == 1 else {
            let message = String(cString: PQerrorMessage(connection)).trimmingTrailingNewlines()
            if !isConnected { throw PostgresError.connectionLost(message: message, context: sql) }
            throw PostgresError.clientError(message: message, context: sql)
        }
        inFlight = sql
    }

    /// Reads the result of the statement `send` left in flight, if any: waits for the server,
    /// then throws the statement's error if it failed. The connection is free afterwards.
    @discardableResult
    public func awaitInFlight() throws -> PostgresResult? {
        guard let sql = inFlight else { return nil }
        inFlight = nil
        let first = PQgetResult(connection)
        // One statement yields one result, then NULL; read to the NULL so the connection is idle.
        while let extra = PQgetResult(connection) { PQclear(extra) }
        return try check(first, query: sql)
    }

    /// Binary-format parameter arrays for libpq: types, value pointers (NULL for SQL NULL),
    /// lengths and formats, valid while `body` runs.
    private func withBinaryParameters<Result>(
        _ parameters: [PostgresBinaryValue], sql: String,
        _ body: (Int32, [Oid], UnsafePointer<UnsafePointer<CChar>?>?, [Int32], [Int32]) -> Result
    ) throws -> Result {
        var lengths: [Int32] = []
        lengths.reserveCapacity(parameters.count)
        for (index, parameter) in parameters.enumerated() {
            guard let count = parameter.bytes?.count else { lengths.append(0); continue }
            guard let length = Int32(exactly: count) else {
                throw PostgresError.clientError(message: "parameter $\(index + 1) has \(count) bytes, more than the protocol carries: send less per statement",
                                                context: sql)
            }
            lengths.append(length)
        }
        let types = parameters.map { Oid($0.typeOID) }
        let formats = [Int32](repeating: 1, count: parameters.count)
        var pointers = [UnsafePointer<CChar>?](repeating: nil, count: parameters.count)
        return Self.withValuePointers(parameters, from: 0, into: &pointers) { values in
            body(Int32(parameters.count), types, values, lengths, formats)
        }
    }

    /// Calls `body` with a pointer to each parameter's bytes (NULL for SQL NULL), all valid for
    /// the duration of the call. Recursive so each array's storage stays pinned while `body`
    /// runs, without copying the bytes into one buffer.
    private static func withValuePointers<Result>(_ parameters: [PostgresBinaryValue], from index: Int,
                                                  into pointers: inout [UnsafePointer<CChar>?],
                                                  _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> Result) -> Result {
        guard index < parameters.count else {
            return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
        }
        guard let bytes = parameters[index].bytes else {
            return withValuePointers(parameters, from: index + 1, into: &pointers, body)
        }
        return bytes.withUnsafeBytes { raw in
            // libpq reads a NULL pointer as SQL NULL: an empty value needs some valid address.
            let address = raw.baseAddress ?? UnsafeRawPointer(emptyValue.utf8Start)
            pointers[index] = address.assumingMemoryBound(to: CChar.self)
            return withValuePointers(parameters, from: index + 1, into: &pointers, body)
        }
    }

    private static var emptyValue: StaticString { "" }
}
