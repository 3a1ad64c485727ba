/// One statement parameter in PostgreSQL's binary format: the OID of its type and its bytes,
/// exactly what the type's receive function reads (`bytes` nil: SQL NULL).
///
/// A plain value, Sendable. Made from a reused buffer (`PostgresTextArray.parameter()`, …) it
/// shares that buffer's storage instead of copying it; drop it before the buffer is refilled,
/// or the refill copies the storage (copy on write).
public struct PostgresBinaryValue: Sendable, Equatable {
    /// The parameter's type, e.g. 1009 for `text[]` (`pg_type.oid`); the server reads `bytes`
    /// with that type's binary receive function, so this must match how `bytes` were written.
    public var typeOID: UInt32
    public var bytes: [UInt8]?

    public init(typeOID: UInt32, bytes: [UInt8]?) {
        self.typeOID = typeOID
        self.bytes = bytes
    }
}
