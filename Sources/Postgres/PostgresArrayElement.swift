/// An element type of a binary array parameter (`PostgresArrayParameter`): the PostgreSQL type
/// OIDs of the element and of its array (`pg_type.oid`, `pg_type.typarray`). The bytes of an
/// element are written by the `append` of the matching `PostgresArrayParameter` extension.
/// Stateless.
public protocol PostgresArrayElement {
    static var elementOID: UInt32 { get }
    static var arrayOID: UInt32 { get }
}
