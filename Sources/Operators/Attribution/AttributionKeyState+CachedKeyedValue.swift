/// Lets `FirstClickAttributionOperator` keep decoded attribution state in a `KeyedStateCache`,
/// stored through `AttributionStateCodec` when it reaches RocksDB.
extension AttributionKeyState: CachedKeyedValue {
    /// Heap estimate per stored click: the entry, and the id's string storage (a UUID is too
    /// long for Swift's inline small strings).
    static let estimatedClickBytes = 96
    /// Heap estimate per pending checkout: the row and the storage of its longer strings (ids,
    /// addresses, user agent).
    static let estimatedPendingBytes = 640

    public init(decoding bytes: [UInt8]) throws {
        self = try AttributionStateCodec.decode(bytes)
    }

    public var estimatedBytes: Int {
        64 + clicks.capacity * Self.estimatedClickBytes + pending.capacity * Self.estimatedPendingBytes
    }

    public func encoded() -> [UInt8] {
        AttributionStateCodec.encode(self)
    }
}
