/// Keyed state and event-time timers of one subtask, partitioned by key group.
///
/// Keys and values are opaque bytes; operators serialize their own state. Implementations:
/// RocksDB in a TaskManager (key = `[key group u16 BE][state id][key]`, timers ordered by
/// `[key group][timestamp BE][key]`), an in-memory map in tests. Used on the task's thread only.
public protocol KeyedStateBackend: AnyObject {
    func value(keyGroup: Int, state: UInt8, key: [UInt8]) throws -> [UInt8]?
    func setValue(_ value: [UInt8], keyGroup: Int, state: UInt8, key: [UInt8]) throws
    func removeValue(keyGroup: Int, state: UInt8, key: [UInt8]) throws
    func registerTimer(keyGroup: Int, timestamp: Int64, key: [UInt8]) throws
    func deleteTimer(keyGroup: Int, timestamp: Int64, key: [UInt8]) throws
    /// Removes and returns every timer with `timestamp <= watermark`, in timestamp order.
    func popTimers(upTo watermark: Int64) throws -> [(keyGroup: Int, timestamp: Int64, key: [UInt8])]
    /// Makes every change so far durable in the backend's store (backends may buffer writes).
    func flush() throws
}
