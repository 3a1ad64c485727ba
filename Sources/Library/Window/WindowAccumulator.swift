import SluiceEngine
/// The running aggregates of one key's window `[start, start + size)`.
///
/// Each aggregate keeps one 64-bit value (an `Int64` sum/min/max/count, a decimal's unscaled
/// sum, or a `Double`'s bits) and the number of non-NULL inputs it saw (an average divides by
/// it; a sum of only NULLs is NULL).
public struct WindowAccumulator: Sendable, Equatable {
    public var start: Int64
    public var values: [UInt64]
    public var counts: [Int64]
    /// Whether the window's result was emitted and nothing changed since.
    public var emitted = false

    public init(start: Int64, aggregates: Int) {
        self.start = start
        values = Array(repeating: 0, count: aggregates)
        counts = Array(repeating: 0, count: aggregates)
    }
}

/// One key's open windows, oldest first.
public struct WindowKeyState: Sendable, Equatable {
    public var windows: [WindowAccumulator] = []

    public init() {}

    public var isEmpty: Bool { windows.isEmpty }
}
