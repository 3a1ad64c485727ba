import SluiceOperators

/// One unit of work for a subtask's mailbox thread.
enum Mail {
    case channel(ChannelEvent, InputChannel)
    case channelFailed(InputChannel, any Error)
    case cancel(reason: String)
    /// The JobManager triggered checkpoint `id` (delivered to source tasks only).
    case triggerCheckpoint(id: UInt64, timestampMillis: UInt64)
}
