import Logging
import Synchronization

/// The data plane's table of channels and fences: where producer and consumer meet.
///
/// Owns every `OutputChannel` of this TaskManager (until its attempt is released) and every open
/// `InputChannel`, plus the fencing table. Called from task threads, event loops and async
/// tasks; all state sits behind one mutex, and channels are torn down outside it. Invariants:
/// once an attempt is released or fenced, or the data plane shut down, no channel of that
/// attempt is created, attached or registered again; an output channel, once registered, is the
/// only one for its key.
final class ChannelRegistry: Sendable {
    /// Why a channel of some attempt may no longer be created or attached.
    enum Refusal: Error, Sendable, Equatable {
        case shuttingDown
        case fenced(minimumAttempt: UInt32)
        case released

        /// What a local caller gets.
        func error(for key: ChannelKey) -> DataPlaneError {
            switch self {
            case .fenced: .fenced(jobID: key.jobID, attempt: key.attempt)
            case .shuttingDown, .released: .cancelled
            }
        }

        /// What a remote consumer is told.
        func closeReason(for key: ChannelKey) -> DataFrame.CloseReason {
            switch self {
            case .shuttingDown:
                .init(.shuttingDown, "the producer's TaskManager is shutting down")
            case .fenced(let minimum):
                .init(.fenced, "job \(key.jobID) attempt \(key.attempt) is fenced: attempts below \(minimum) are refused")
            case .released:
                .init(.released, "job \(key.jobID) attempt \(key.attempt) was already released")
            }
        }
    }

    private struct JobAttempt: Hashable {
        var jobID: String
        var attempt: UInt32
    }

    private struct State {
        var outputs: [ChannelKey: OutputChannel] = [:]
        var inputs: [ObjectIdentifier: InputChannel] = [:]
        var minimumAttempts: [String: UInt32] = [:]
        var released: Set<JobAttempt> = []
        var isShutDown = false

        func refusal(for key: ChannelKey) -> Refusal? {
            if isShutDown { return .shuttingDown }
            if let minimum = minimumAttempts[key.jobID], key.attempt < minimum { return .fenced(minimumAttempt: minimum) }
            if released.contains(JobAttempt(jobID: key.jobID, attempt: key.attempt)) { return .released }
            return nil
        }

        mutating func remove(where matches: (ChannelKey) -> Bool) -> ([OutputChannel], [InputChannel]) {
            let outputKeys = outputs.keys.filter(matches)
            let removedOutputs = outputKeys.compactMap { outputs.removeValue(forKey: $0) }
            let inputIDs = inputs.filter { matches($0.value.key) }.map(\.key)
            let removedInputs = inputIDs.compactMap { inputs.removeValue(forKey: $0) }
            return (removedOutputs, removedInputs)
        }
    }

    let maxBufferBytes: Int
    private let state = Mutex(State())
    private let logger: Logger

    init(maxFrameBytes: Int, logger: Logger) {
        // A BUFFER frame's length field counts the kind byte and the record count too.
        maxBufferBytes = max(0, maxFrameBytes - (DataFrame.bufferHeaderBytes - DataFrame.lengthFieldBytes))
        self.logger = logger
    }

    /// The producer's output channel for `key`, created on first use. A refused attempt gets a
    /// closed channel (its `send` throws `.cancelled`) that is not registered.
    func output(for key: ChannelKey) -> OutputChannel {
        switch outputToAttach(key) {
        case .success(let output): output
        case .failure: OutputChannel(key: key, maxBufferBytes: maxBufferBytes, closedWith: .cancelled)
        }
    }

    /// The output channel a consumer attaches to (created if the producer has not asked yet).
    func outputToAttach(_ key: ChannelKey) -> Result<OutputChannel, Refusal> {
        state.withLock { state in
            if let refusal = state.refusal(for: key) { return .failure(refusal) }
            if let existing = state.outputs[key] { return .success(existing) }
            let output = OutputChannel(key: key, maxBufferBytes: maxBufferBytes)
            state.outputs[key] = output
            return .success(output)
        }
    }

    /// Throws if a consumer of `key` may not connect now.
    func admit(_ key: ChannelKey) throws(DataPlaneError) {
        if let refusal = state.withLock({ $0.refusal(for: key) }) { throw refusal.error(for: key) }
    }

    /// Tracks an open input channel so `release` can close it; throws if its attempt was torn
    /// down while it connected.
    func register(_ input: InputChannel) throws(DataPlaneError) {
        let refusal: Refusal? = state.withLock { state in
            if let refusal = state.refusal(for: input.key) { return refusal }
            state.inputs[ObjectIdentifier(input)] = input
            return nil
        }
        if let refusal { throw refusal.error(for: input.key) }
    }

    func remove(_ input: InputChannel) {
        _ = state.withLock { $0.inputs.removeValue(forKey: ObjectIdentifier(input)) }
    }

    func release(jobID: String, attempt: UInt32) {
        let (outputs, inputs) = state.withLock { state in
            state.released.insert(JobAttempt(jobID: jobID, attempt: attempt))
            return state.remove { $0.jobID == jobID && $0.attempt == attempt }
        }
        let reason = DataFrame.CloseReason(.released, "job \(jobID) attempt \(attempt) was released")
        tearDown(outputs, inputs, reason: reason)
        logger.info("released data channels", metadata: [
            "job": "\(jobID)", "attempt": "\(attempt)", "outputs": "\(outputs.count)", "inputs": "\(inputs.count)"])
    }

    func fence(jobID: String, minimumAttempt: UInt32) {
        let (outputs, inputs, raised): ([OutputChannel], [InputChannel], Bool) = state.withLock { state in
            let previous = state.minimumAttempts[jobID] ?? 0
            guard minimumAttempt > previous else { return ([], [], false) }
            state.minimumAttempts[jobID] = minimumAttempt
            let (outputs, inputs) = state.remove { $0.jobID == jobID && $0.attempt < minimumAttempt }
            return (outputs, inputs, true)
        }
        guard raised else { return }
        let reason = DataFrame.CloseReason(.fenced, "job \(jobID) attempts below \(minimumAttempt) are fenced")
        tearDown(outputs, inputs, reason: reason)
        logger.info("fenced job attempts", metadata: [
            "job": "\(jobID)", "minimum-attempt": "\(minimumAttempt)",
            "closed-outputs": "\(outputs.count)", "closed-inputs": "\(inputs.count)"])
    }

    /// Refuses everything from now on and closes every channel.
    func shutDown() {
        let (outputs, inputs) = state.withLock { state in
            state.isShutDown = true
            return state.remove { _ in true }
        }
        tearDown(outputs, inputs, reason: .init(.shuttingDown, "the producer's TaskManager is shutting down"))
    }

    /// Outputs first: a producer blocked on credit must see `.cancelled`, not the `.closed` an
    /// in-process consumer's close would give it.
    private func tearDown(_ outputs: [OutputChannel], _ inputs: [InputChannel], reason: DataFrame.CloseReason) {
        for output in outputs { output.close(.cancelled, reason: reason) }
        for input in inputs { input.closeLink() }
    }
}
