extension Duration {
    /// Whole milliseconds, for wire messages and JSON that carry durations as integers.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
