import NIOCore
import Synchronization

/// Runs a handshake state machine over a live connection, bounded by a timeout.
///
/// The state machines decide; this only moves envelopes between them and the socket. On any
/// failure it sends the machine's reject (if any) and throws the `HandshakeError`; the caller
/// closes the connection.
public enum HandshakeDriver {
    /// Accepting side. Returns the authenticated peer.
    public static func accept(
        _ handshake: ServerHandshake,
        on channel: any Channel,
        inbound: inout EnvelopeIterator,
        outbound: EnvelopeWriter,
        timeout: Duration
    ) async throws -> HandshakePeer {
        var handshake = handshake
        return try await withTimeout(timeout, closing: channel) {
            while true {
                guard let envelope = try await inbound.next() else { throw HandshakeError.connectionClosed }
                switch handshake.received(envelope) {
                case .send(let reply):
                    try await outbound.write(reply)
                case .accept(let reply, let peer):
                    try await outbound.write(reply)
                    return peer
                case .reject(let reply, let error):
                    if let reply { try? await outbound.write(reply) }
                    throw error
                }
            }
        }
    }

    /// Connecting side. Returns the server's id.
    public static func connect(
        _ handshake: ClientHandshake,
        on channel: any Channel,
        inbound: inout EnvelopeIterator,
        outbound: EnvelopeWriter,
        timeout: Duration
    ) async throws -> String {
        var handshake = handshake
        return try await withTimeout(timeout, closing: channel) {
            try await outbound.write(handshake.start())
            while true {
                guard let envelope = try await inbound.next() else { throw HandshakeError.connectionClosed }
                switch handshake.received(envelope) {
                case .send(let reply):
                    try await outbound.write(reply)
                case .accepted(let serverID):
                    return serverID
                case .failed(let error):
                    throw error
                case .abort(let notice, let error):
                    try? await outbound.write(notice)
                    throw error
                }
            }
        }
    }

    /// Closes the channel when `timeout` passes first, which ends the pending read; the error is
    /// then reported as `.timedOut` rather than as the closed connection it caused.
    private static func withTimeout<T>(
        _ timeout: Duration, closing channel: any Channel, _ body: () async throws -> T
    ) async throws -> T {
        let fired = TimeoutFlag()
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            fired.set()
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            return try await body()
        } catch {
            if fired.isSet { throw HandshakeError.timedOut }
            throw error
        }
    }
}

/// Set once by the event loop's timer, read by the handshake task.
private final class TimeoutFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

extension TimeAmount {
    /// NIO's time unit from a Swift `Duration` (nanosecond precision).
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
