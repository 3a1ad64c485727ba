import DequeModule

/// The decisions of one output channel — credit, ordering, attachment, closing — with no locks
/// and no I/O, so they are tested directly.
///
/// `OutputChannel` is the shell: it holds this under its lock, waits when told to, and hands
/// events to the transport outside the lock. Invariants: a `.buffer` is accepted only while
/// credit is positive and spends one; events leave (`nextToDeliver`) in the order they were
/// accepted; at most one thread delivers at a time (the one that got `.deliver`); after `close`
/// nothing more is accepted or delivered; nothing is accepted after `.endOfPartition`.
struct OutputChannelState: Sendable {
    enum Phase: Sendable {
        /// No consumer yet; control events queue up, buffers wait for the consumer's credit.
        case awaitingConsumer
        case attached
        case closed(DataPlaneError)
    }

    enum SendDecision: Sendable {
        /// A buffer without credit: wait until credit is granted or the channel closes, then ask again.
        case waitForCredit
        case rejected(DataPlaneError)
        /// Accepted; another thread is delivering (or no consumer is attached yet) and will take it.
        case queued
        /// Accepted; the caller now delivers: call `nextToDeliver()` until it returns nil.
        case deliver
    }

    enum AttachDecision: Sendable {
        case rejected(DataPlaneError)
        /// Attached; the caller confirms the attachment, then delivers like `SendDecision.deliver`.
        case deliver
    }

    private(set) var phase: Phase
    private(set) var credit = 0
    /// True once `.endOfPartition` was accepted.
    private(set) var hasEnded = false
    private var queue: Deque<ChannelEvent> = []
    private var delivering = false

    init() {
        phase = .awaitingConsumer
    }

    /// A channel refused from the start (its attempt is fenced or released, or the data plane is down).
    init(closedWith error: DataPlaneError) {
        phase = .closed(error)
    }

    var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    mutating func send(_ event: ChannelEvent) -> SendDecision {
        if case .closed(let error) = phase { return .rejected(error) }
        if hasEnded { return .rejected(.closed) }
        switch event {
        case .buffer:
            guard credit > 0 else { return .waitForCredit }
            credit -= 1
        case .endOfPartition:
            hasEnded = true
        case .watermark, .idle, .barrier:
            break
        }
        queue.append(event)
        guard case .attached = phase, !delivering else { return .queued }
        delivering = true
        return .deliver
    }

    /// The consumer attached with `initialCredit`. The attaching thread becomes the deliverer, so
    /// it can confirm the attachment before any event reaches the consumer.
    mutating func attach(initialCredit: Int) -> AttachDecision {
        switch phase {
        case .closed(let error):
            return .rejected(error)
        case .attached:
            return .rejected(.refused("the channel already has a consumer"))
        case .awaitingConsumer:
            phase = .attached
            grant(initialCredit)
            delivering = true
            return .deliver
        }
    }

    /// The consumer processed `n` buffers. Ignored once closed.
    mutating func grant(_ n: Int) {
        guard n > 0, !isClosed else { return }
        credit = credit > Int.max - n ? Int.max : credit + n
    }

    /// The next event for the deliverer; nil ends its turn.
    mutating func nextToDeliver() -> ChannelEvent? {
        if let event = queue.popFirst() { return event }
        delivering = false
        return nil
    }

    /// Closes the channel; queued events are dropped. True if it was not closed before.
    mutating func close(_ error: DataPlaneError) -> Bool {
        if isClosed { return false }
        phase = .closed(error)
        queue.removeAll()
        return true
    }
}
