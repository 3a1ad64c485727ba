import Logging
import NIOCore
import SluiceProtocol

/// `TaskManagerConnection` over a live NIO channel: writes go through the connection's async
/// writer, so they are ordered with the session's own replies.
struct ChannelTaskManagerConnection: TaskManagerConnection {
    let channel: any Channel
    let writer: EnvelopeWriter
    let logger: Logger

    func send(_ envelope: _ProtoEnvelope) async throws {
        try await writer.write(envelope)
    }

    func close(reason: String) {
        logger.info("closing TaskManager connection", metadata: ["reason": "\(reason)"])
        channel.close(promise: nil)
    }
}
