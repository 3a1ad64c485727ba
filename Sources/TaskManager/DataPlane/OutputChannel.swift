import Foundation
import NIOCore
import Synchronization

/// Producer side of one channel: what a producer task calls to send events to one consumer.
///
/// Owns the channel's credit, its queue of not-yet-delivered events and, once the consumer
/// attached, the transport to it (a socket or an in-process sink). `send` is called from the
/// producer's dedicated task thread — never from an event loop or a Swift concurrency task,
/// because it blocks: a `.buffer` waits (on a condition variable) until the consumer granted
/// credit; other events never wait for credit but keep their order with the buffers. Credit
/// arrives on event loops (remote) or consumer threads (in-process).
///
/// Created by `DataPlane.outputChannel(for:)` on first use or by the consumer's attach, whichever
/// comes first; it lives until its job attempt is released. A channel has at most one consumer
/// and is never re-attached: once closed it stays closed.
public final class OutputChannel: @unchecked Sendable {  // state and transport are guarded by `condition`
    public let key: ChannelKey
    /// The largest `.buffer` payload one frame can carry.
    let maxBufferBytes: Int
    /// Nanoseconds `send` spent blocked waiting for credit (back-pressure), read by metrics.
    let backPressuredNanos = Atomic<UInt64>(0)
    private let condition = NSCondition()
    private var state: OutputChannelState
    private var transport: (any OutputTransport)?

    init(key: ChannelKey, maxBufferBytes: Int, closedWith error: DataPlaneError? = nil) {
        self.key = key
        self.maxBufferBytes = maxBufferBytes
        state = error.map(OutputChannelState.init(closedWith:)) ?? OutputChannelState()
    }

    /// Sends one event to the consumer, in order with every earlier `send`.
    ///
    /// A `.buffer` blocks the calling thread while the consumer has granted no credit (also while
    /// no consumer has attached yet); other events return at once (queued until the consumer
    /// attaches). Throws `.cancelled` when the channel is released, fenced or shut down on this
    /// TaskManager, `.closed` when the consumer went away (or after `.endOfPartition`), and
    /// `.bufferTooLarge` for a buffer that does not fit one frame — also while waiting.
    public func send(_ event: ChannelEvent) throws(DataPlaneError) {
        if case .buffer(let bytes, _) = event, bytes.readableBytes > maxBufferBytes {
            throw .bufferTooLarge(bytes: bytes.readableBytes, maximum: maxBufferBytes)
        }
        condition.lock()
        var decision = state.send(event)
        if case .waitForCredit = decision {
            let blockedSince = ContinuousClock.now
            while case .waitForCredit = decision {
                condition.wait()
                decision = state.send(event)
            }
            let (seconds, attoseconds) = (ContinuousClock.now - blockedSince).components
            backPressuredNanos.add(UInt64(max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)), ordering: .relaxed)
        }
        switch decision {
        case .waitForCredit, .queued:
            condition.unlock()
        case .rejected(let error):
            condition.unlock()
            throw error
        case .deliver:
            deliverQueuedAndUnlock()
        }
    }

    /// Buffers that may be sent now without blocking.
    public var availableCredit: Int {
        condition.lock()
        defer { condition.unlock() }
        return state.credit
    }

    /// True while the channel is open and `.endOfPartition` has not been sent: losing the
    /// consumer now is a failure worth a log line.
    var isUnfinished: Bool {
        condition.lock()
        defer { condition.unlock() }
        return !state.isClosed && !state.hasEnded
    }

    /// The consumer attached through `transport` and granted `initialCredit`. Delivers what was
    /// queued before, on the calling thread. Throws if the channel is closed or already attached.
    func attach(_ transport: any OutputTransport, initialCredit: Int) throws(DataPlaneError) {
        condition.lock()
        switch state.attach(initialCredit: initialCredit) {
        case .rejected(let error):
            condition.unlock()
            throw error
        case .deliver:
            self.transport = transport
            condition.broadcast()
            condition.unlock()
            transport.opened()
            condition.lock()
            deliverQueuedAndUnlock()
        }
    }

    /// The consumer processed `n` buffers; wakes a sender waiting for credit.
    func grant(_ n: Int) {
        condition.lock()
        state.grant(n)
        condition.broadcast()
        condition.unlock()
    }

    /// Closes the channel: a blocked sender wakes and throws `error`, queued events are dropped,
    /// the transport is told `reason`. Idempotent; the first error wins.
    func close(_ error: DataPlaneError, reason: DataFrame.CloseReason?) {
        condition.lock()
        let wasOpen = state.close(error)
        let transport = self.transport
        condition.broadcast()
        condition.unlock()
        if wasOpen { transport?.close(reason) }
    }

    /// Called with the lock held by the thread that got `.deliver`; hands queued events to the
    /// transport outside the lock, so a sink may return credit from inside `deliver`.
    private func deliverQueuedAndUnlock() {
        let transport = self.transport
        while let event = state.nextToDeliver() {
            condition.unlock()
            transport?.send(event)
            condition.lock()
        }
        condition.unlock()
    }
}
