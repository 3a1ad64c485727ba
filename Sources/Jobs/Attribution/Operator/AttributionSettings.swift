import SluiceEngine
import SluiceCore

/// How `FirstClickAttribution` attributes checkouts and when it emits them.
///
/// Invariants: `window` and `allowedLateness` are non-negative and at most `maximumDuration`
/// (so event-time arithmetic cannot overflow); both are used with millisecond precision.
///
/// ## Event-time conventions (one rule, used everywhere)
/// Sluice follows Flink's watermark contract: a watermark `W` promises that no more events with
/// timestamp `<= W` will come. Hence, with `L = allowedLateness`:
/// - an event at `t` is **late** iff `t + L <= W` (`isLate`);
/// - a checkout at `T` is **final** — "the watermark has passed T" — iff `T + L <= W`
///   (`isFinal`); with the default `L = 0` that is `W >= T`.
/// Both use the same inequality, so a click that is not late can never belong to a checkout
/// that is already final: on-watermark output is deterministic for all non-late input.
public struct AttributionSettings: Sendable, Hashable {
    /// When attributed rows leave the operator.
    public enum EmitMode: String, Sendable, Hashable, CaseIterable {
        /// Emit each checkout once, when it is final. Deterministic; equals the batch oracle.
        case onWatermark = "on-watermark"
        /// Emit each checkout on arrival with the best click known, then an upsert correction
        /// whenever an earlier in-window click arrives before the checkout is final.
        case eager

        /// The emit mode named in a job spec (`on-watermark` or `eager`).
        public static func parse(_ text: String) throws(AttributionSettingsError) -> EmitMode {
            guard let mode = EmitMode(rawValue: text) else { throw .unknownEmitMode(text) }
            return mode
        }
    }

    /// Upper bound for `window` and `allowedLateness` (a year is far beyond any sane setting).
    public static let maximumDuration = Duration.seconds(366 * 24 * 3600)

    /// DESIGN.md §7 defaults: a 1 h window, no allowed lateness, on-watermark emission.
    public static let `default` = AttributionSettings(
        unchecked: .seconds(3600), allowedLateness: .zero, emitMode: .onWatermark)

    /// How far before a checkout a click may be and still be attributed (both ends inclusive).
    public let window: Duration
    /// How long after the watermark passed an event it is still accepted (and, equally, how long
    /// a checkout waits before it is final).
    public let allowedLateness: Duration
    public let emitMode: EmitMode

    /// `window` in milliseconds.
    public let windowMillis: Int64
    /// `allowedLateness` in milliseconds.
    public let allowedLatenessMillis: Int64

    public init(window: Duration = .seconds(3600), allowedLateness: Duration = .zero,
                emitMode: EmitMode = .onWatermark) throws(AttributionSettingsError) {
        for (name, value) in [("window", window), ("allowed lateness", allowedLateness)] {
            guard value >= .zero else { throw .negative(setting: name, value: value) }
            guard value <= Self.maximumDuration else {
                throw .tooLong(setting: name, value: value, maximum: Self.maximumDuration)
            }
        }
        self.init(unchecked: window, allowedLateness: allowedLateness, emitMode: emitMode)
    }

    private init(unchecked window: Duration, allowedLateness: Duration, emitMode: EmitMode) {
        self.window = window
        self.allowedLateness = allowedLateness
        self.emitMode = emitMode
        self.windowMillis = window.milliseconds
        self.allowedLatenessMillis = allowedLateness.milliseconds
    }

    /// Whether an event at `eventTime` arriving at `watermark` is late: `eventTime + L <= W`.
    public func isLate(eventTime: Int64, watermark: Int64) -> Bool {
        eventTime.saturatingAdd(allowedLatenessMillis) <= watermark
    }

    /// Whether a checkout at `checkoutTime` is final at `watermark`: `T + L <= W`.
    public func isFinal(checkoutTime: Int64, watermark: Int64) -> Bool {
        checkoutTime.saturatingAdd(allowedLatenessMillis) <= watermark
    }

    /// The watermark at which a checkout at `checkoutTime` becomes final (`T + L`).
    func finalizationTime(ofCheckoutAt checkoutTime: Int64) -> Int64 {
        checkoutTime.saturatingAdd(allowedLatenessMillis)
    }

    /// The watermark from which a click at `clickTime` can no longer be in the window of any
    /// checkout that is not late (`t + window + L`): it may be purged then.
    func expiryTime(ofClickAt clickTime: Int64) -> Int64 {
        clickTime.saturatingAdd(windowMillis).saturatingAdd(allowedLatenessMillis)
    }
}

extension Int64 {
    /// `self + other`, clamped to `Int64.min...Int64.max`: watermarks start at `.min` and end at
    /// `.max`, and the comparisons above must stay right at both ends.
    func saturatingAdd(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }
}
