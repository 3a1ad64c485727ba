/// The consumer's end of a channel as `InputChannel` uses it: a connection to a remote producer
/// (`RemoteInputLink`) or the producer's `OutputChannel` in this process (`LocalInputLink`).
/// Thread-safe; never blocks.
protocol InputLink: Sendable {
    func returnCredit(_ n: Int)
    /// Quiet close: the consumer's sink is not told.
    func close()
}
