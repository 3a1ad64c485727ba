import NIOCore
import Synchronization
@testable import SluiceTaskManager

/// A consumer's mailbox stand-in: records every event and failure, and (optionally) returns one
/// credit per buffer as it "processes" it, from inside `deliver` like a fast consumer task.
final class RecordingSink: ChannelEventSink {
    private struct State {
        var events: [ChannelEvent] = []
        var failures: [any Error] = []
        /// Set by a test right before it returns credit; recorded with each buffer's arrival.
        var creditReturnedByTest = false
        var buffersArrivedBeforeTestCredit = 0
    }

    private let state = Mutex(State())
    private let returnsCredit: Bool

    init(returnsCredit: Bool) {
        self.returnsCredit = returnsCredit
    }

    func deliver(_ event: ChannelEvent, on channel: InputChannel) {
        state.withLock { state in
            state.events.append(event)
            if case .buffer = event, !state.creditReturnedByTest { state.buffersArrivedBeforeTestCredit += 1 }
        }
        if returnsCredit, case .buffer = event { channel.returnCredit() }
    }

    func channelFailed(_ channel: InputChannel, error: any Error) {
        state.withLock { $0.failures.append(error) }
    }

    /// Returns `n` credits on behalf of the consumer, noting that it did.
    func returnCredit(_ n: Int, on channel: InputChannel) {
        state.withLock { $0.creditReturnedByTest = true }
        channel.returnCredit(n)
    }

    var events: [ChannelEvent] { state.withLock { $0.events } }
    var bufferCount: Int { state.withLock { $0.events.count { if case .buffer = $0 { true } else { false } } } }
    var hasEnded: Bool { state.withLock { $0.events.last == .endOfPartition } }
    var failures: [DataPlaneError?] { state.withLock { $0.failures.map { $0 as? DataPlaneError } } }
    var buffersArrivedBeforeTestCredit: Int { state.withLock { $0.buffersArrivedBeforeTestCredit } }
}
