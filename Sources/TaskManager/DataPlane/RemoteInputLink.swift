import NIOCore
import Synchronization

/// A remote channel's consumer end: coalesces returned credit into CREDIT frames on the
/// connection's event loop, and closes the connection on request.
///
/// `returnCredit` and `close` run on any thread; `bind` and the flush run on the event loop.
/// Invariants: no CREDIT is written before the channel is open (`bind`); credit returned while a
/// flush is pending joins that flush (one frame, one event-loop hop per burst, not per buffer);
/// after `close` nothing more is written.
final class RemoteInputLink: InputLink {
    private struct State {
        var channel: (any Channel)?
        var pendingCredit = 0
        var flushScheduled = false
        var isClosed = false
    }

    private let state = Mutex(State())

    /// The connection ended: write nothing more. Returns true if the link was closed before —
    /// by the consumer (so the loss is no failure) or by an earlier `detach` (already reported).
    /// On the event loop.
    func detach() -> Bool {
        state.withLock { state in
            let wasClosed = state.isClosed
            state.isClosed = true
            state.channel = nil
            return wasClosed
        }
    }

    /// The producer confirmed the OPEN on `channel`; credit may flow now. On the event loop.
    func bind(_ channel: any Channel) {
        let action: BindAction = state.withLock { state in
            if state.isClosed { return .close }
            state.channel = channel
            guard state.pendingCredit > 0, !state.flushScheduled else { return .none }
            state.flushScheduled = true
            return .flush
        }
        switch action {
        case .none: break
        case .flush: flush()
        case .close: closeConnection(channel)
        }
    }

    func returnCredit(_ n: Int) {
        let channel: (any Channel)? = state.withLock { state in
            guard !state.isClosed else { return nil }
            state.pendingCredit = state.pendingCredit > Int.max - n ? Int.max : state.pendingCredit + n
            guard let channel = state.channel, !state.flushScheduled else { return nil }
            state.flushScheduled = true
            return channel
        }
        channel?.eventLoop.execute { self.flush() }
    }

    func close() {
        let channel: (any Channel)? = state.withLock { state in
            guard !state.isClosed else { return nil }
            state.isClosed = true
            return state.channel
        }
        if let channel { closeConnection(channel) }
    }

    /// Writes the pending credit as one CREDIT frame. On the event loop.
    private func flush() {
        let (credit, channel): (Int, (any Channel)?) = state.withLock { state in
            state.flushScheduled = false
            guard !state.isClosed else { return (0, nil) }
            defer { state.pendingCredit = 0 }
            return (state.pendingCredit, state.channel)
        }
        guard let channel, credit > 0 else { return }
        channel.writeAndFlush(DataFrame.credit(UInt32(clamping: credit)), promise: nil)
    }

    private func closeConnection(_ channel: any Channel) {
        channel.writeAndFlush(DataFrame.close(.init(.normal, "the consumer closed the channel")), promise: nil)
        channel.close(promise: nil)
    }

    private enum BindAction { case none, flush, close }
}
