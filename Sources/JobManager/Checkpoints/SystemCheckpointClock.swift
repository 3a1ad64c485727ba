import Foundation

/// The wall clock, in epoch milliseconds (checkpoint timestamps are reported to users and
/// compared with file modification times, so they must be wall-clock time).
public struct SystemCheckpointClock: CheckpointClock {
    public init() {}

    public func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
