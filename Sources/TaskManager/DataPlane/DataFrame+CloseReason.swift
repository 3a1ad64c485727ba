extension DataFrame {
    /// Why a CLOSE frame ends a channel: a `u8` code and a human-readable message.
    public struct CloseReason: Sendable, Equatable, CustomStringConvertible {
        /// The `u8` at the start of a CLOSE payload.
        public enum Code: UInt8, Sendable {
            /// The consumer is done with the channel.
            case normal = 0
            /// The job attempt was released on the sender's TaskManager.
            case released = 1
            /// The job attempt is fenced on the sender's TaskManager (a newer attempt runs).
            case fenced = 2
            /// The OPEN cannot be honoured (the channel already has a consumer, …).
            case refused = 3
            /// The receiver of this CLOSE broke the protocol.
            case protocolViolation = 4
            /// The sender's TaskManager is shutting down.
            case shuttingDown = 5
        }

        public var code: Code
        public var message: String

        public init(_ code: Code, _ message: String) {
            self.code = code
            self.message = message
        }

        public var description: String { "\(code): \(message)" }

        /// What a consumer whose OPEN was answered with this CLOSE throws.
        func openRefusal(for key: ChannelKey) -> DataPlaneError {
            switch code {
            case .fenced: .fenced(jobID: key.jobID, attempt: key.attempt)
            case .protocolViolation: .protocolViolation("the producer's TaskManager says: \(message)")
            case .normal, .released, .refused, .shuttingDown: .refused(message)
            }
        }

        /// What a consumer whose open channel was ended by this CLOSE reports to its sink.
        func channelFailure(for key: ChannelKey) -> DataPlaneError {
            switch code {
            case .fenced: .fenced(jobID: key.jobID, attempt: key.attempt)
            case .protocolViolation: .protocolViolation("the producer's TaskManager says: \(message)")
            case .normal, .released, .refused, .shuttingDown:
                .connectionLost("the producer closed the channel before END_OF_PARTITION (\(self))")
            }
        }
    }
}
