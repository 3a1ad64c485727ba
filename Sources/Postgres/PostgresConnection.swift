import CLibPQ
#if canImport(Glibc)
import Glibc
#endif
import Logging

/// One connection to a PostgreSQL server: owns the `PGconn` (closed with `PQfinish` in
/// `deinit`) and the context its notice processor logs through.
///
/// Thread rules: libpq forbids using one `PGconn` from several threads at once, so this type
/// is deliberately not Sendable: one thread (e.g. a sink's mailbox thread) owns it. Every call
/// blocks that thread until the server answers: keep it off event loops.
///
/// Invariants: statements run only on a connection in state OK (otherwise `connectionLost` is
/// thrown without sending anything); server notices go to the logger, never to stderr.
public final class PostgresConnection {
    /// Whether a transaction is open on the connection (`PQtransactionStatus`).
    public enum TransactionStatus: Sendable {
        case idle, active, inTransaction, failedTransaction, unknown
    }

    /// The libpq handle; internal for this type's extensions in other files.
    let connection: OpaquePointer
    /// The statement sent with `send(_:binary:)` whose result has not been read yet: every other
    /// statement first reads it (libpq runs one statement at a time per connection).
    var inFlight: String?
    private let notices: NoticeLogger
    public let logger: Logger

    private init(connection: OpaquePointer, notices: NoticeLogger, logger: Logger) {
        self.connection = connection
        self.notices = notices
        self.logger = logger
    }

    deinit {
        PQfinish(connection)
    }

    /// What every connection sets unless its URL says otherwise. Without them a connection whose
    /// server became unreachable (a network partition, not a closed socket) blocks its caller
    /// until the kernel gives up on the TCP connection, about 15 minutes: a sink would hold its
    /// task, and the job, that long. With them a query waits at most `tcp_user_timeout` for the
    /// server to acknowledge what was sent, an idle connection is found dead by keepalives in
    /// about 25 s, and a connection attempt gives up after 10 s; the caller then gets an error.
    public static let defaultParameters: KeyValuePairs<String, String> = [
        "connect_timeout": "10", "keepalives": "1", "keepalives_idle": "10", "keepalives_interval": "5",
        "keepalives_count": "3", "tcp_user_timeout": "20000",
    ]

    /// Connects with a libpq URL or key/value string, e.g. `postgresql://sluice@127.0.0.1:54329/sluice`,
    /// with `defaultParameters` for what the URL leaves unset. Blocks until connected or failed.
    public static func connect(url: String, logger: Logger = Logger(label: "sluice.postgres")) throws -> PostgresConnection {
        // The URL is expanded after the defaults, so its own settings win.
        let keys = defaultParameters.map(\.key) + ["dbname"]
        let values = defaultParameters.map(\.value) + [url]
        let made: OpaquePointer? = withCStrings(keys) { keyPointers in
            withCStrings(values) { valuePointers in PQconnectdbParams(keyPointers, valuePointers, 1) }
        }
        guard let connection = made else {
            throw PostgresError.connectionFailed(target: PostgresError.redacted(url), message: "PQconnectdb returned NULL (out of memory)")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.errorMessage(of: connection)
            PQfinish(connection)
            throw PostgresError.connectionFailed(target: PostgresError.redacted(url), message: message)
        }
        let notices = NoticeLogger(logger: logger)
        PQsetNoticeProcessor(connection, postgresNoticeProcessor, Unmanaged.passUnretained(notices).toOpaque())
        return PostgresConnection(connection: connection, notices: notices, logger: logger)
    }

    /// Runs `body` with a NULL-terminated array of C strings of `strings`.
    private static func withCStrings<Result>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Result) -> Result {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// The value libpq uses for connection option `keyword` (from `PQconninfo`), nil if unset.
    public func option(_ keyword: String) -> String? {
        guard let options = PQconninfo(connection) else { return nil }
        defer { PQconninfoFree(options) }
        var index = 0
        while let key = options[index].keyword {
            if String(cString: key) == keyword { return options[index].val.map { String(cString: $0) } }
            index += 1
        }
        return nil
    }

    // MARK: State

    /// Whether the connection is usable.
    public var isConnected: Bool { PQstatus(connection) == CONNECTION_OK }

    public var transactionStatus: TransactionStatus {
        switch PQtransactionStatus(connection) {
        case PQTRANS_IDLE: .idle
        case PQTRANS_ACTIVE: .active
        case PQTRANS_INTRANS: .inTransaction
        case PQTRANS_INERROR: .failedTransaction
        default: .unknown
        }
    }

    /// The server version as a number, e.g. 150004 for 15.4.
    public var serverVersion: Int { Int(PQserverVersion(connection)) }

    /// The process id of the server backend serving this connection.
    public var backendProcessID: Int32 { PQbackendPID(connection) }

    /// Re-establishes a broken connection with the same parameters (`PQreset`).
    public func reconnect() throws {
        inFlight = nil  // its result went with the old session
        PQreset(connection)
        guard isConnected else {
            throw PostgresError.connectionLost(message: Self.errorMessage(of: connection), context: "reconnect")
        }
    }

    // MARK: Statements

    /// Runs one statement with `$1`, `$2`, … bound to `parameters` (text format; nil is NULL),
    /// through the extended protocol, so values never need quoting.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws -> PostgresResult {
        try prepareToSend(context: sql)
        let result = Self.withCStringArray(parameters) { values in
            PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        return try check(result, query: sql)
    }

    /// Runs one or more `;`-separated statements through the simple protocol (no parameters)
    /// and returns the last statement's result; stops at the first failing statement.
    @discardableResult
    public func simpleQuery(_ sql: String) throws -> PostgresResult {
        try prepareToSend(context: sql)
        return try check(PQexec(connection, sql), query: sql)
    }

    /// Runs `body` inside `BEGIN` … `COMMIT`; rolls back and rethrows if `body` throws. If
    /// `body` ends the transaction itself (`COMMIT`, `PREPARE TRANSACTION`), nothing more is sent.
    /// Throws if a statement inside failed and `body` swallowed the error (PostgreSQL then
    /// turns the `COMMIT` into a rollback).
    @discardableResult
    public func transaction<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        guard transactionStatus == .idle else {
            throw PostgresError.invalidState(message: "a transaction is already open (\(transactionStatus))", context: "BEGIN")
        }
        try simpleQuery("BEGIN")
        do {
            let value = try body(self)
            if transactionStatus != .idle {
                let commit = try simpleQuery("COMMIT")
                if commit.commandTag == "ROLLBACK" {
                    throw PostgresError.invalidState(message: "the transaction was rolled back because a statement in it failed", context: "COMMIT")
                }
            }
            return value
        } catch {
            if isConnected, transactionStatus != .idle {
                do {
                    try simpleQuery("ROLLBACK")
                } catch let rollbackError {
                    logger.warning("ROLLBACK after a failed transaction failed too: \(rollbackError)")
                }
            }
            throw error
        }
    }

    /// Loads `rows` into `table` with `COPY … FROM STDIN` (text format), escaping backslashes,
    /// tabs and line breaks and sending nil as NULL. Returns the number of rows copied.
    ///
    /// `table` may be schema-qualified (`commerce.users`); names are quoted as given. The COPY
    /// is one statement: on any error nothing is loaded.
    @discardableResult
    public func copyIn(table: String, columns: [String], rows: some Sequence<[String?]>) throws -> Int {
        let sql = "COPY \(Self.quoteQualifiedName(table)) (\(columns.map(Self.quoteIdentifier).joined(separator: ", "))) FROM STDIN"
        try prepareToSend(context: sql)
        guard let start = PQexec(connection, sql) else { throw connectionFailure(context: sql) }
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            _ = try check(start, query: sql)  // throws the server's error
            throw PostgresError.invalidState(message: "the server did not enter COPY IN mode", context: sql)
        }
        PQclear(start)

        var buffer: [UInt8] = []
        buffer.reserveCapacity(Self.copyChunkSize + 4096)
        do {
            var rowNumber = 0
            for row in rows {
                guard row.count == columns.count else {
                    throw PostgresError.clientError(message: "row \(rowNumber) has \(row.count) values for \(columns.count) columns", context: sql)
                }
                Self.appendCopyText(row, to: &buffer)
                rowNumber += 1
                if buffer.count >= Self.copyChunkSize {
                    try sendCopyData(buffer, context: sql)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            if !buffer.isEmpty { try sendCopyData(buffer, context: sql) }
        } catch {
            PQputCopyEnd(connection, "COPY aborted by the client: \(error)")
            drainResults()
            throw error
        }
        guard PQputCopyEnd(connection, nil) == 1 else { throw connectionFailure(context: sql) }
        let result = try check(PQgetResult(connection), query: sql)
        drainResults()
        return result.affectedRows ?? 0
    }

    // MARK: Quoting

    /// `name` as a quoted SQL identifier: `order` → `"order"`, `a"b` → `"a""b"`.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacing("\"", with: "\"\"") + "\""
    }

    /// A possibly schema-qualified name with each part quoted: `commerce.users` → `"commerce"."users"`.
    public static func quoteQualifiedName(_ name: String) -> String {
        name.split(separator: ".", omittingEmptySubsequences: false).map { quoteIdentifier(String($0)) }.joined(separator: ".")
    }

    // MARK: COPY text format

    static let copyChunkSize = 64 * 1024

    /// Appends one row in COPY text format: tab-separated, `\N` for NULL, newline-terminated.
    static func appendCopyText(_ row: [String?], to buffer: inout [UInt8]) {
        for (index, field) in row.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            guard let field else {
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "N"))
                continue
            }
            for byte in field.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\n"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "t"))
                default: buffer.append(byte)
                }
            }
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    // MARK: Internals

    private func sendCopyData(_ bytes: [UInt8], context: String) throws {
        let sent = bytes.withUnsafeBytes { raw in
            PQputCopyData(connection, raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count))
        }
        guard sent == 1 else { throw connectionFailure(context: context) }
    }

    /// Reads and frees results until libpq has none left (after COPY, before the next command).
    private func drainResults() {
        while let leftover = PQgetResult(connection) { PQclear(leftover) }
    }

    func requireConnected(context: String) throws {
        guard isConnected else {
            throw PostgresError.connectionLost(message: Self.errorMessage(of: connection), context: context)
        }
    }

    /// Called before sending a statement: the connection must be up and free, so the result of
    /// a statement still in flight is read first (its error, if any, is thrown here).
    func prepareToSend(context: String) throws {
        try requireConnected(context: context)
        try awaitInFlight()
    }

    /// Wraps a successful result; clears a failed one and throws what it says.
    func check(_ result: OpaquePointer?, query: String) throws -> PostgresResult {
        guard let result else { throw connectionFailure(context: query) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresResult(handle: result)
        default:
            defer { PQclear(result) }
            let message = Self.field(result, "M") ?? String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines()
            guard let sqlState = Self.field(result, "C") else {
                // libpq made this error itself: no SQLSTATE, usually a broken connection.
                if !isConnected { throw PostgresError.connectionLost(message: message, context: query) }
                throw PostgresError.clientError(message: message, context: query)
            }
            throw PostgresError.serverError(sqlState: sqlState, message: message,
                                            detail: Self.field(result, "D"), hint: Self.field(result, "H"), query: query)
        }
    }

    func connectionFailure(context: String) -> PostgresError {
        let message = Self.errorMessage(of: connection)
        return isConnected ? .clientError(message: message, context: context) : .connectionLost(message: message, context: context)
    }

    /// An error field of a result (`PG_DIAG_*` codes are single characters: C = SQLSTATE, M, D, H).
    private static func field(_ result: OpaquePointer, _ code: Unicode.Scalar) -> String? {
        PQresultErrorField(result, Int32(code.value)).map { String(cString: $0) }
    }

    private static func errorMessage(of connection: OpaquePointer) -> String {
        String(cString: PQerrorMessage(connection)).trimmingTrailingNewlines()
    }

    /// Calls `body` with a C array of NUL-terminated strings (NULL entries for nil), all valid
    /// for the duration of the call.
    private static func withCStringArray<Result>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> Result) -> Result {
        guard !strings.isEmpty else { return body(nil) }
        var storage: [CChar] = []
        var offsets: [Int?] = []
        offsets.reserveCapacity(strings.count)
        for string in strings {
            guard let string else { offsets.append(nil); continue }
            offsets.append(storage.count)
            storage.append(contentsOf: string.utf8.map { CChar(bitPattern: $0) })
            storage.append(0)
        }
        return storage.withUnsafeBufferPointer { chars in
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
                guard let offset, let base = chars.baseAddress else { return nil }
                return base + offset
            }
            return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
        }
    }
}

/// The target of the connection's notice processor: server notices and warnings are logged.
/// Kept alive by the connection, which finishes its `PGconn` before releasing it.
private final class NoticeLogger {
    let logger: Logger
    init(logger: Logger) { self.logger = logger }
}

private let postgresNoticeProcessor: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Void = { context, message in
    guard let context, let message else { return }
    let notices = Unmanaged<NoticeLogger>.fromOpaque(context).takeUnretainedValue()
    notices.logger.notice("PostgreSQL: \(String(cString: message).trimmingTrailingNewlines())")
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = Substring(self)
        while text.last?.isNewline == true { text = text.dropLast() }
        return String(text)
    }
}
