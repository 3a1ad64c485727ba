/// Everything `sluice datagen` can be told, with the documented defaults.
///
/// The generated users, products and events depend only on these values (not on the wall
/// clock, once `startTime` is fixed): the same options give the same data.
public struct DatagenOptions: Sendable {
    /// Seed of every random choice.
    public var seed: UInt64 = 42
    /// Clicks + checkouts (+ malformed records) to produce; 0 = until stopped.
    public var events: Int = 0
    /// Records per second; 0 = as fast as possible.
    public var rate: Double = 0
    /// Users 1…N in `commerce.users`.
    public var users: Int = 1000
    /// Products in `commerce.products`.
    public var products: Int = 200
    /// An event's time may lag the newest event time produced so far by up to this much (never more).
    public var disorderMillis: Int64 = 5000
    /// Share of records that are deliberately malformed.
    public var malformedShare: Double = 0.01
    /// Share of shopping sessions (so of checkouts) by user ids that are not in `commerce.users`.
    public var unknownUserShare: Double = 0.02
    /// Share of checkouts of a product the user did not click in the hour before.
    public var noClickShare: Double = 0.1
    /// Share of checkouts that buy again a product the same user bought before.
    public var repeatShare: Double = 0.05
    /// Event time of the first record, epoch milliseconds (UTC).
    public var startTime: Int64
    /// How far event time advances per record; nil = 1000 / rate, or 10 ms when as fast as possible.
    public var timeStepMillis: Double?
    public var clicksTopic: String = SluiceTools.defaultClicksTopic
    public var checkoutsTopic: String = SluiceTools.defaultCheckoutsTopic

    public init(startTime: Int64) {
        self.startTime = startTime
    }

    /// The event-time step actually used.
    public var effectiveTimeStepMillis: Double {
        if let timeStepMillis { return timeStepMillis }
        return rate > 0 ? 1000 / rate : 10
    }

    /// The event-time range the events are expected to cover (renames of users fall inside it):
    /// `events × step`, or one hour for an unbounded run.
    public var expectedEventSpanMillis: Int64 {
        events > 0 ? max(1, Int64((Double(events) * effectiveTimeStepMillis).rounded())) : 3_600_000
    }

    /// The event time of the first record when `--start-time` is not given, chosen so that event
    /// time never runs ahead of the wall clock (`now`) unless `--time-step-ms` asks for it:
    /// paced runs (`rate > 0`) start now and advance about as fast as the wall clock; a run as
    /// fast as possible (`rate == 0`) of `events` records covers the time just before now, ending
    /// about now. An unbounded run as fast as possible would outrun the wall clock at once, so
    /// it needs an explicit `--time-step-ms` or `--start-time`.
    public static func defaultStartTime(now: Int64, events: Int, rate: Double, timeStepMillis: Double?) throws(DatagenError) -> Int64 {
        guard rate == 0, timeStepMillis == nil else { return now }
        guard events > 0 else {
            throw .invalidOption(flag: "--rate", value: "0", expected: "a rate (e.g. --rate 500) or --events N: as fast as possible "
                + "and unbounded, event time would run ahead of the wall clock by 10 ms per record (or choose event time "
                + "yourself with --start-time/--time-step-ms)")
        }
        var probe = DatagenOptions(startTime: now)
        probe.events = events
        return now - probe.expectedEventSpanMillis
    }

    /// The topic name of `topic`.
    public func name(of topic: EventTopic) -> String {
        topic == .clicks ? clicksTopic : checkoutsTopic
    }

    /// Throws a `DatagenError.invalidOption` naming the first flag with an unusable value.
    public func validate() throws(DatagenError) {
        func check(_ ok: Bool, _ flag: String, _ value: Any, _ expected: String) throws(DatagenError) {
            if !ok { throw .invalidOption(flag: flag, value: "\(value)", expected: expected) }
        }
        try check(events >= 0, "--events", events, "0 (unbounded) or a positive count")
        try check(rate >= 0 && rate.isFinite, "--rate", rate, "0 (as fast as possible) or a positive rate")
        try check(users >= 1 && users <= 1_000_000_000, "--users", users, "1…1000000000 (unknown users get ids from 10^12 up)")
        try check(products >= 1 && products <= 99_999, "--products", products, "1…99999")
        try check(disorderMillis >= 0, "--disorder-ms", disorderMillis, "0 or more milliseconds")
        for (flag, share) in [("--malformed-share", malformedShare), ("--unknown-user-share", unknownUserShare),
                              ("--no-click-share", noClickShare), ("--repeat-share", repeatShare)] {
            try check(share >= 0 && share <= 1, flag, share, "a fraction between 0 and 1")
        }
        try check(noClickShare + repeatShare <= 1, "--no-click-share", noClickShare,
                  "no more than 1 − --repeat-share (\(repeatShare)) together with it")
        try check(effectiveTimeStepMillis > 0 && effectiveTimeStepMillis.isFinite, "--time-step-ms",
                  effectiveTimeStepMillis, "a positive number of milliseconds")
        try check(!clicksTopic.isEmpty && !checkoutsTopic.isEmpty && clicksTopic != checkoutsTopic,
                  "--clicks-topic/--checkouts-topic", "\(clicksTopic)/\(checkoutsTopic)", "two different, non-empty topic names")
    }
}
