/// Where the checkpoint coordinator reads the time: epoch milliseconds, a seam so tests move
/// time by hand to drive triggers and timeouts without sleeping.
public protocol CheckpointClock: Sendable {
    func nowMillis() -> Int64
}
