import NIOCore

extension Duration {
    /// This duration as NIO's `TimeAmount` (nanosecond precision, saturating). Spelled out
    /// because both NIO and SluiceProtocol declare `TimeAmount.init(_: Duration)`.
    var nioTimeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        let (nanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return .nanoseconds(seconds < 0 ? .min : .max) }
        return .nanoseconds(nanos &+ attoseconds / 1_000_000_000)
    }
}
