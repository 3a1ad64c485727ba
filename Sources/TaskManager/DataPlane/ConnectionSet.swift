import NIOCore
import Synchronization

/// The data port's accepted connections, so shutdown can close the ones no channel owns yet
/// (still authenticating or waiting for OPEN).
///
/// Called from event loops (accept, close) and from `shutdown`; state behind a mutex.
/// Invariant: after `closeAll()`, a connection added is closed at once.
final class ConnectionSet: Sendable {
    private struct State {
        var open: [ObjectIdentifier: any Channel] = [:]
        var isClosed = false
    }

    private let state = Mutex(State())

    /// Tracks `channel` until it closes.
    func add(_ channel: any Channel) {
        let accepted = state.withLock { state in
            guard !state.isClosed else { return false }
            state.open[ObjectIdentifier(channel)] = channel
            return true
        }
        guard accepted else {
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { _ in
            _ = self.state.withLock { $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
        }
    }

    /// Closes every tracked connection and every later one.
    func closeAll() {
        let channels = state.withLock { state in
            state.isClosed = true
            return Array(state.open.values)
        }
        for channel in channels { channel.close(promise: nil) }
    }
}
