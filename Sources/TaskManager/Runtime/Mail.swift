import SluiceEngine

/// One unit of work for a subtask's mailbox thread.
enum Mail {
    case channel(ChannelEvent, InputChannel)
    case channelFailed(InputChannel, any Error)
    case cancel(reason: String)
    /// The JobManager triggered checkpoint `id` (delivered to source tasks only); `drain`: the
    /// final checkpoint of `stop --drain`, after which the source reads nothing.
    case triggerCheckpoint(id: UInt64, timestampMillis: UInt64, drain: Bool)
}
