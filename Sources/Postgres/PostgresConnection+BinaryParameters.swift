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
        try requireConnected(context: sql)
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
        let result = Self.withValuePointers(parameters, from: 0, into: &pointers) { values in
            PQexecParams(connection, sql, Int32(parameters.count), types, values, lengths, formats, 0)
        }
        return try check(result, query: sql)
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
