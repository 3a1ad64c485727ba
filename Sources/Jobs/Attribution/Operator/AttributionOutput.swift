import SluiceEngine
/// What one call of `FirstClickAttribution` asks the runtime to do.
///
/// Every array is in a deterministic order (checkout time, then checkout id), so replaying the
/// same input yields byte-identical output. Empty arrays cost no allocation.
public struct AttributionOutput: Sendable, Hashable {
    /// New rows for the sink: one per checkout, emitted exactly once each (on-watermark mode:
    /// when the checkout becomes final; eager mode: when it arrives). `userName` is nil.
    public var rows: [AttributedCheckout] = []
    /// Eager mode only: upserts replacing a row emitted earlier (same `checkout_id`) because an
    /// earlier in-window click arrived before the checkout became final.
    public var corrections: [AttributedCheckout] = []
    /// Clicks that arrived late (`t + allowedLateness <= watermark`). They were not stored; the
    /// runtime must send them to the late-events sink.
    public var lateClicks: [Click] = []
    /// Checkouts that arrived late (`T + allowedLateness <= watermark`). No row was emitted for
    /// them; the runtime must send them to the late-events sink.
    public var lateCheckouts: [Checkout] = []
    /// The key's state is empty after this call: delete it (and any timer of the key).
    public var stateIsEmpty = true

    public init() {}

    public init(rows: [AttributedCheckout] = [], corrections: [AttributedCheckout] = [], lateClicks: [Click] = [],
                lateCheckouts: [Checkout] = [], stateIsEmpty: Bool) {
        self.rows = rows
        self.corrections = corrections
        self.lateClicks = lateClicks
        self.lateCheckouts = lateCheckouts
        self.stateIsEmpty = stateIsEmpty
    }
}
