import Logging
import NIOCore

/// `TaskManagerConnection` over a live NIO channel.
struct ChannelTaskManagerConnection: TaskManagerConnection {
    let channel: any Channel
    let logger: Logger

    func close(reason: String) {
        logger.info("closing TaskManager connection", metadata: ["reason": "\(reason)"])
        channel.close(promise: nil)
    }
}
