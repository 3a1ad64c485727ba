import DequeModule
import Foundation
import Logging
import NIOCore
import SluiceEngine
import SluiceProtocol
import Synchronization

/// One running subtask: its operator chain, driven by one dedicated thread.
///
/// Everything the operators see happens on that thread (the mailbox model of DESIGN.md §4):
/// records, watermarks and end-of-partition arrive as mails from the data plane; sources poll
/// between mailbox checks. Invariants: the task's watermark is the minimum over its input
/// channels that have not ended and never decreases; end-of-partition is forwarded only after
/// every input ended and the chain finished; a failure or cancellation closes the operators.
final class StreamTask: @unchecked Sendable {  // mutable state is touched only by the task thread; counters are atomics
    enum Outcome: Sendable {
        case finished
        case cancelled
        /// `followOn`: the error only says that a data channel's peer went away (see
        /// `isFollowOn`): another task failed first.
        case failed(String, followOn: Bool)
    }

    let descriptor: TaskDescriptor
    let mailbox = TaskMailbox()
    let recordsIn = Atomic<UInt64>(0)
    let bytesIn = Atomic<UInt64>(0)
    /// Published copies of the writer's counters and the task's watermark, for heartbeats.
    let recordsOutCount = Atomic<UInt64>(0)
    let bytesOutCount = Atomic<UInt64>(0)
    let watermark = Atomic<Int64>(.min)
    private let chain: OperatorChain
    private let logger: Logger
    /// Input channel index → logical input of the first operator.
    private var logicalInput: [Int: Int] = [:]
    private var channelWatermarks: [Int: Int64] = [:]
    private var endedChannels: Set<Int> = []
    /// Input channels whose producer marked its output idle: left out of the watermark minimum.
    private var idleChannels: Set<Int> = []
    private var inputChannels: [InputChannel] = []
    private var currentWatermark: Int64 = .min
    private var aligner = BarrierAligner(channels: [])
    /// A source task passed the barrier of `stop --drain`: it reads nothing more and waits for
    /// the JobManager to end it once the checkpoint completed (or to restart the job if not).
    private var drained = false
    /// Events of channels blocked by barrier alignment, in arrival order per channel.
    private var stashed: [Int: Deque<ChannelEvent>] = [:]
    /// Events released by alignment, processed before the mailbox (they arrived earlier).
    private var replay = Deque<(ChannelEvent, InputChannel)>()
    /// Opens the chain's operators on the task thread (connections, RocksDB); set before `run`.
    var openOperators: () throws -> Void = {}
    /// Snapshots the chain at barriers; set before `run`.
    var checkpointer: TaskCheckpointer?
    /// Copies operator counters for metrics at each flush; set before `run`.
    var operatorCounters: OperatorCounters?
    /// Time the outputs waited for credit; read by heartbeats and metrics from other threads. Set before `run`.
    var backPressuredNanos: @Sendable () -> UInt64 = { 0 }

    /// The layout of rows arriving on each logical input (nil where none were declared).
    private let inputLayouts: [RowLayout]

    init(descriptor: TaskDescriptor, chain: OperatorChain, logger: Logger) {
        self.descriptor = descriptor
        self.chain = chain
        self.logger = logger
        inputLayouts = descriptor.inputSchemas.map(RowLayout.init)
    }


    /// Registers a connected input channel; called before `run`.
    func addInput(_ channel: InputChannel, logicalInput input: Int) {
        inputChannels.append(channel)
        logicalInput[channel.index] = input
        channelWatermarks[channel.index] = .min
    }

    func cancel(reason: String) {
        mailbox.put(.cancel(reason: reason))
    }

    /// The task's whole life on the current thread; returns how it ended.
    func run(onRunning: () -> Void) -> Outcome {
        defer {
            publishCounters()
            chain.close()
            openOperators = {}  // drops the operator contexts, and with them the state backend
            for channel in inputChannels { channel.close() }
        }
        do {
            try openOperators()
            aligner = BarrierAligner(channels: inputChannels.map(\.index))
            onRunning()
            if chain.source != nil {
                try runSource()
            } else {
                try runInputs()
            }
            return .finished
        } catch let cancelled as TaskCancelled {
            logger.info("task cancelled", metadata: ["reason": "\(cancelled.reason)"])
            return .cancelled
        } catch {
            if let reason = mailbox.cancellationReason {
                // Errors after a cancel (closed channels, interrupted I/O) are its consequence.
                logger.info("task cancelled", metadata: ["reason": "\(reason)"])
                return .cancelled
            }
            let followOn = Self.isFollowOn(error)
            logger.error("task failed", metadata: ["error": "\(error)", "follow_on": "\(followOn)"])
            return .failed("\(error)", followOn: followOn)
        }
    }

    /// Errors that only report a peer's end: an input whose producer is gone, an output whose
    /// consumer closed it. When a task fails, its neighbours fail with these a moment later.
    static func isFollowOn(_ error: any Error) -> Bool {
        switch error {
        case is DataPlaneInputFailure:
            return true
        case let error as DataPlaneError:
            switch error {
            case .closed, .cancelled, .connectionLost: return true
            default: return false
            }
        default:
            return false
        }
    }

    private func runSource() throws {
        guard let source = chain.source else { return }
        let output = SourceChainOutput(chain: chain)
        while true {
            while let mail = mailbox.poll() { try handleControl(mail) }
            if drained {
                if let mail = mailbox.take(until: Date().addingTimeInterval(0.1)) { try handleControl(mail) }
                continue
            }
            switch try source.poll(output: output, maxRecords: 1_000) {
            case .more:
                try tickIfDue()
            case .idle:
                try chain.tick()
                try chain.writer.flushAll()
                publishCounters()
                if let mail = mailbox.take(until: Date().addingTimeInterval(0.005)) { try handleControl(mail) }
            case .finished:
                try chain.finish()
                return
            }
        }
    }

    private func runInputs() throws {
        guard !inputChannels.isEmpty else {
            try chain.finish()
            return
        }
        while true {
            if let (event, channel) = replay.popFirst() {
                if try handle(event, from: channel) { return }
            } else if let mail = mailbox.take(until: chain.writer.nextFlush) {
                switch mail {
                case .channel(let event, let channel):
                    if try handle(event, from: channel) { return }
                default:
                    try handleControl(mail)
                }
            }
            try tickIfDue()
        }
    }

    /// Every flush interval: let batching operators flush, then send what the writer buffered.
    private func tickIfDue() throws {
        guard chain.writer.isFlushDue() else { return }
        try chain.tick()
        try chain.writer.flushAll()
        publishCounters()
    }

    private func publishCounters() {
        recordsOutCount.store(chain.writer.recordsOut, ordering: .relaxed)
        bytesOutCount.store(chain.writer.bytesOut, ordering: .relaxed)
        watermark.store(chain.writer.lastWatermark, ordering: .relaxed)
        operatorCounters?.publish()
    }

    /// Returns true when the last input ended and the chain finished.
    private func handle(_ event: ChannelEvent, from channel: InputChannel) throws -> Bool {
        if aligner.isBlocked(channel.index) {
            // After barrier n on this channel, nothing of it may reach the operators before the snapshot of n.
            stashed[channel.index, default: []].append(event)
            return false
        }
        switch event {
        case .buffer(let buffer, let count):
            let input = logicalInput[channel.index] ?? 0
            bytesIn.add(UInt64(buffer.readableBytes), ordering: .relaxed)
            let layout = input < inputLayouts.count ? inputLayouts[input] : nil
            try buffer.withUnsafeReadableBytes { bytes in
                var reader = BinaryReader(bytes)
                for _ in 0..<count {
                    let record = try RecordCodec.decode(from: &reader, rows: layout)
                    try chain.processInput(record, input: input)
                }
            }
            recordsIn.add(UInt64(count), ordering: .relaxed)
            channel.returnCredit()
        case .watermark(let watermark):
            if watermark > channelWatermarks[channel.index] ?? .min { channelWatermarks[channel.index] = watermark }
            try advanceWatermark()
        case .idle(let idle):
            if idle { idleChannels.insert(channel.index) } else { idleChannels.remove(channel.index) }
            try advanceWatermark()
        case .barrier(let id):
            try settle(aligner.barrier(id, on: channel.index), alignmentStartedAt: aligner.startedAt)
        case .endOfPartition:
            endedChannels.insert(channel.index)
            idleChannels.remove(channel.index)
            try settle(aligner.channelEnded(channel.index), alignmentStartedAt: aligner.startedAt)
            if endedChannels.count == inputChannels.count {
                if currentWatermark < .max { try chain.processWatermark(.max) }
                try chain.finish()
                return true
            }
            try advanceWatermark()
        }
        return false
    }

    /// Acts on an alignment decision: snapshot when aligned, then give blocked channels' events back.
    private func settle(_ decision: BarrierAligner.Decision, alignmentStartedAt: ContinuousClock.Instant?) throws {
        if case .aligned(let id) = decision {
            let alignment = alignmentStartedAt.map { ContinuousClock.now - $0 } ?? .zero
            try checkpoint(id, alignment: alignment)
        }
        releaseUnblocked()
    }

    /// Moves stashed events of channels that are no longer blocked to the front of the replay
    /// queue: they arrived before anything still queued for their channel.
    private func releaseUnblocked() {
        for (index, events) in stashed where !aligner.isBlocked(index) && !events.isEmpty {
            guard let channel = inputChannels.first(where: { $0.index == index }) else { continue }
            replay.insert(contentsOf: events.map { ($0, channel) }, at: 0)
            stashed[index] = nil
        }
    }

    /// Snapshot of checkpoint `id`, then its barrier downstream.
    private func checkpoint(_ id: UInt64, alignment: Duration) throws {
        if let checkpointer {
            try checkpointer.checkpoint(id, alignment: alignment)
        } else {
            try chain.writer.emitBarrier(id)
        }
    }

    /// The watermark is the minimum over the inputs that neither ended nor are idle; when every
    /// open input is idle the task holds its watermark and tells its consumers it is idle too
    /// (Flink's watermark status), and active again once any input is.
    private func advanceWatermark() throws {
        var minimum = Int64.max
        var anyOpen = false
        var anyActive = false
        for (index, watermark) in channelWatermarks where !endedChannels.contains(index) {
            anyOpen = true
            guard !idleChannels.contains(index) else { continue }
            anyActive = true
            minimum = min(minimum, watermark)
        }
        if anyOpen { try chain.writer.emitIdle(!anyActive) }
        guard anyActive, minimum > currentWatermark else { return }
        currentWatermark = minimum
        try chain.processWatermark(minimum)
    }

    private func handleControl(_ mail: Mail) throws {
        switch mail {
        case .cancel(let reason):
            throw TaskCancelled(reason: reason)
        case .channelFailed(let channel, let error):
            throw DataPlaneInputFailure(channel: channel.key.description, underlying: error)
        case .channel:
            break  // sources have no inputs
        case .triggerCheckpoint(let id, _, let drain):
            if drain {
                // stop --drain: end event time first, so every timer fires and its output
                // belongs to this (final) checkpoint; then read nothing more.
                // An idle source turns active first: consumers ignore an idle input's watermark.
                try chain.writer.emitIdle(false)
                if chain.writer.lastWatermark < .max { try chain.processWatermark(.max) }
                drained = true
                logger.info("draining: emitted the final watermark; the source reads nothing after checkpoint \(id)")
            }
            try checkpoint(id, alignment: .zero)
        }
    }
}

/// An input channel of a task broke (producer gone, connection lost).
struct DataPlaneInputFailure: Error, CustomStringConvertible {
    var channel: String
    var underlying: any Error
    var description: String { "input channel \(channel) failed: \(underlying)" }
}

/// What a source emits enters its chain; its watermarks go through the chain's operators.
private final class SourceChainOutput: SourceOutput {
    let chain: OperatorChain
    init(chain: OperatorChain) { self.chain = chain }
    func emit(_ record: StreamRecord) throws { try chain.head.emit(record) }
    func emitWatermark(_ watermark: Int64) throws { try chain.processWatermark(watermark) }
    func emitIdle(_ idle: Bool) throws { try chain.writer.emitIdle(idle) }
}
