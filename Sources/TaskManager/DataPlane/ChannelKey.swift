import Logging

/// Names one data channel: the edge from one producer subtask to one consumer subtask of one
/// job attempt.
///
/// A plain value with no owner or thread. Both TaskManagers derive the same key from the
/// deployment, which is how a consumer's OPEN finds the producer's output channel (the
/// rendezvous); `attempt` is the fencing token. Subtask indices travel as `u32` on the wire, so
/// they must lie in `0...UInt32.max`.
public struct ChannelKey: Hashable, Sendable, CustomStringConvertible {
    public var jobID: String
    public var attempt: UInt32
    public var producerVertex: String
    public var producerSubtask: Int
    public var consumerVertex: String
    public var consumerSubtask: Int

    public init(jobID: String, attempt: UInt32, producerVertex: String, producerSubtask: Int,
                consumerVertex: String, consumerSubtask: Int) {
        self.jobID = jobID
        self.attempt = attempt
        self.producerVertex = producerVertex
        self.producerSubtask = producerSubtask
        self.consumerVertex = consumerVertex
        self.consumerSubtask = consumerSubtask
    }

    /// `job#attempt producer[i]->consumer[j]`, the form used in log lines and errors.
    public var description: String {
        "\(jobID)#\(attempt) \(producerVertex)[\(producerSubtask)]->\(consumerVertex)[\(consumerSubtask)]"
    }

    /// True when every field fits the wire format (subtask indices are `u32`).
    var isEncodable: Bool {
        UInt32(exactly: producerSubtask) != nil && UInt32(exactly: consumerSubtask) != nil
    }

    /// Job, attempt and both ends, for one-line-per-state-change logs.
    var logMetadata: Logger.Metadata {
        ["job": "\(jobID)", "attempt": "\(attempt)",
         "producer": "\(producerVertex)[\(producerSubtask)]", "consumer": "\(consumerVertex)[\(consumerSubtask)]"]
    }
}
