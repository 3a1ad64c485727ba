/// A keyed-state value that `KeyedStateCache` can hold decoded and write back as bytes.
///
/// `init()` is the value of a key without state; an empty value is deleted from the backend.
/// `estimatedBytes` approximates the value's heap footprint (what the cache's byte budget
/// counts); it must be cheap, as the cache asks after every update.
public protocol CachedKeyedValue {
    init()
    init(decoding bytes: [UInt8]) throws
    var isEmpty: Bool { get }
    var estimatedBytes: Int { get }
    func encoded() -> [UInt8]
}
