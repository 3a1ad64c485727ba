import SluiceEngine
/// Lets `FirstClickAttributionOperator` keep decoded attribution state in a `KeyedStateCache`,
/// stored through `AttributionStateCodec` when it reaches RocksDB.
extension AttributionKeyState: CachedKeyedValue {
    /// Heap estimate per stored click: the 32-byte entry, plus an allowance for ids that are
    /// not canonical UUIDs and keep their text in string storage.
    static let estimatedClickBytes = 48
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
