import SluiceEngine
/// First-click attribution for one key (user, product): the pure decision logic the streaming
/// runtime wraps with keyed state and event-time timers (DESIGN.md §7).
///
/// For every checkout at `T`, the attributed click is the key's click with the earliest time in
/// `[T − window, T]` (both ends inclusive), ties going to the smaller click id in byte order;
/// no such click → `clickID`/`clickTime` nil. Every checkout yields exactly one row, repeat
/// purchases included.
///
/// ## Contract with the runtime
/// - Call `onClick`/`onCheckout` for each record of the key and `onWatermark` when the key's timer
///   fires, always passing the operator's current watermark (`Int64.min` before the first one;
///   it never goes back). At the end of a bounded input call `onWatermark(.max, …)` for every key
///   with state: that emits everything pending and empties the state.
/// - After every call store `state` back, or delete it if `output.stateIsEmpty`; then make the
///   key's single timer equal `nextTimer(state)` (delete the old one if it differs; none if nil).
///   Timers fire when `watermark >= timer` (what `popTimers(upTo:)` does).
/// - Every call first catches up with the watermark it is given (emits what became final, purges
///   expired clicks), so results never depend on whether a timer fired just before or just after a
///   record; timers only make output timely and keep idle keys' state from lingering.
/// - Send `rows` (and, in eager mode, `corrections` as upserts on `checkout_id`) downstream, and
///   `lateClicks`/`lateCheckouts` to the late-events sink.
///
/// Event-time conventions (late / final) are those of `AttributionSettings`. A click with
/// `t + L <= W` is late even if it might still be the earliest click of a checkout that has not
/// arrived yet: like Flink's interval join, we refuse it rather than let results depend on how
/// late it was; the late-events sink makes the gap visible.
///
/// Stateless apart from its settings (a value type): share it freely.
public struct FirstClickAttribution: Sendable {
    public let settings: AttributionSettings

    public init(settings: AttributionSettings = .default) {
        self.settings = settings
    }

    /// A click of this key arrived.
    public func onClick(_ click: Click, state: inout AttributionKeyState, watermark: Int64) -> AttributionOutput {
        var output = AttributionOutput()
        advance(to: watermark, state: &state, output: &output)
        if settings.isLate(eventTime: click.eventTime, watermark: watermark) {
            output.lateClicks.append(click)
        } else {
            let stored = AttributionKeyState.StoredClick(clickID: click.clickID, time: click.eventTime)
            if state.insert(stored) { improvePending(with: stored, state: &state, output: &output) }
        }
        output.stateIsEmpty = state.isEmpty
        return output
    }

    /// A checkout of this key arrived.
    public func onCheckout(_ checkout: Checkout, state: inout AttributionKeyState, watermark: Int64) -> AttributionOutput {
        var output = AttributionOutput()
        advance(to: watermark, state: &state, output: &output)
        if settings.isLate(eventTime: checkout.eventTime, watermark: watermark) {
            output.lateCheckouts.append(checkout)
        } else if !state.pending.contains(where: { $0.checkout == checkout }) {
            // (An identical redelivered checkout is already pending: it gets its one row.)
            let click = state.earliestClick(forCheckoutAt: checkout.eventTime, windowMillis: settings.windowMillis)
            let row = AttributedCheckout(checkout: checkout, clickID: click?.clickID, clickTime: click?.time)
            state.insertPending(row)
            // Not late means not final yet (same inequality), so on-watermark mode waits.
            if settings.emitMode == .eager { output.rows.append(row) }
        }
        output.stateIsEmpty = state.isEmpty
        return output
    }

    /// The watermark reached this key's timer (or any time the runtime wants to catch up).
    public func onWatermark(_ watermark: Int64, state: inout AttributionKeyState) -> AttributionOutput {
        var output = AttributionOutput()
        advance(to: watermark, state: &state, output: &output)
        output.stateIsEmpty = state.isEmpty
        return output
    }

    /// The watermark at which `onWatermark` has work for this key: the earlier of the first
    /// pending checkout becoming final (`T + L`) and the oldest click expiring
    /// (`t + window + L`). Nil when the state is empty. Calling earlier is harmless; later
    /// delays output and keeps state longer, but never changes what is emitted.
    public func nextTimer(_ state: AttributionKeyState) -> Int64? {
        let checkoutTimer = state.pending.first.map { settings.finalizationTime(ofCheckoutAt: $0.checkout.eventTime) }
        let clickTimer = state.clicks.first.map { settings.expiryTime(ofClickAt: $0.time) }
        switch (checkoutTimer, clickTimer) {
        case let (checkout?, click?): return min(checkout, click)
        case let (checkout?, nil): return checkout
        case let (nil, click?): return click
        case (nil, nil): return nil
        }
    }

    /// `nextTimer` with the clicks' expiry rounded up to a multiple of `purgeGranularityMillis`,
    /// for runtimes that pay per timer firing. Checkouts still fire exactly when final (output
    /// timing is unchanged); only the purge of expired clicks, which emits nothing, waits up to
    /// one granularity longer, so a key's clicks of one visit (seconds apart) expire in one
    /// firing instead of one each.
    public func coalescedTimer(_ state: AttributionKeyState) -> Int64? {
        let checkoutTimer = state.pending.first.map { settings.finalizationTime(ofCheckoutAt: $0.checkout.eventTime) }
        let clickTimer = state.clicks.first.map { Self.roundUp(settings.expiryTime(ofClickAt: $0.time), to: purgeGranularityMillis) }
        switch (checkoutTimer, clickTimer) {
        case let (checkout?, click?): return min(checkout, click)
        case let (checkout?, nil): return checkout
        case let (nil, click?): return click
        case (nil, nil): return nil
        }
    }

    /// 1/32 of the window (at least 1 ms): clicks stay at most ~3 % of a window longer.
    public var purgeGranularityMillis: Int64 { max(1, settings.windowMillis / 32) }

    static func roundUp(_ time: Int64, to granularity: Int64) -> Int64 {
        let remainder = time % granularity
        if remainder == 0 { return time }
        // Truncating remainder: for negative times, subtracting it already rounds up.
        return remainder > 0 ? time.saturatingAdd(granularity - remainder) : time - remainder
    }

    // MARK: - Steps

    /// Emits (on-watermark) or forgets (eager, already emitted) the checkouts final at
    /// `watermark`, then drops the clicks no checkout that is not late can use any more.
    /// Order matters only for readability: a click a pending checkout needs never expires
    /// before that checkout is final (`t >= T − window` ⇒ `t + window + L >= T + L`).
    private func advance(to watermark: Int64, state: inout AttributionKeyState, output: inout AttributionOutput) {
        let final = state.removeFinal { settings.isFinal(checkoutTime: $0, watermark: watermark) }
        if settings.emitMode == .onWatermark { output.rows.append(contentsOf: final) }
        state.removeExpiredClicks { settings.expiryTime(ofClickAt: $0) <= watermark }
    }

    /// A new click becomes the attribution of every pending checkout whose window holds it and
    /// whose current click it precedes; eager mode re-emits those rows as corrections.
    private func improvePending(with click: AttributionKeyState.StoredClick, state: inout AttributionKeyState,
                                output: inout AttributionOutput) {
        let windowEnd = click.time.saturatingAdd(settings.windowMillis)
        for index in state.pending.indices {
            let checkoutTime = state.pending[index].checkout.eventTime
            guard checkoutTime >= click.time else { continue }
            if checkoutTime > windowEnd { break }  // sorted by time: no later checkout fits either
            let row = state.pending[index]
            if let currentID = row.clickID, let currentTime = row.clickTime,
               !click.precedes(AttributionKeyState.StoredClick(clickID: currentID, time: currentTime)) {
                continue
            }
            state.pending[index].clickID = click.clickID
            state.pending[index].clickTime = click.time
            if settings.emitMode == .eager { output.corrections.append(state.pending[index]) }
        }
    }
}
