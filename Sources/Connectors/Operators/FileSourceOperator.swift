import Foundation
import Logging
import SluiceConnectorKinds
import SluiceEngine

/// Reads JSON events from a JSONL file (replays, benchmarks): subtask i of n takes the lines
/// whose number modulo n is i. Always bounded: at the end of the file it emits the final
/// watermark. Malformed lines go to the dead-letter side output (topic `file:PATH`, offset =
/// line number). Lines are decoded in place from the read buffer. Runs on the task thread.
///
/// Checkpointed state: the file position and line number after the barrier, so a restore goes
/// on from the next line. The line-to-subtask split depends on the parallelism, so a restore
/// must use the parallelism of the checkpoint (a rescale is refused with that advice).
public final class FileSourceOperator: SourceOperator, CheckpointedOperator {
    private var file: UnsafeMutablePointer<FILE>?
    private var path = ""
    private var decoder = JSONSourceDecoder()
    private var tracker = WatermarkTracker(outOfOrderness: 0, idleTimeout: 0)
    private var lineBuffer: UnsafeMutablePointer<CChar>?
    private var lineCapacity = 0
    private var lineNumber: Int64 = -1
    private var subtask = 0
    private var parallelism = 1
    private var sideOutputs: (any SideOutputs)?

    private let formats: [RecordFormat]

    /// A source that can read the registered record `formats` besides declared schemas.
    public init(formats: [RecordFormat] = []) {
        self.formats = formats
    }

    public func open(context: OperatorContext) throws {
        path = try context.string(FileSourceKind.path)
        decoder = try JSONSourceDecoder(context, maxRecordBytes: JSONSourceDecoder.defaultMaxRecordBytes, formats: formats)
        guard try context.boolean(FileSourceKind.bounded) else {
            throw OperatorError.configuration(context.operatorID, "a file source is always bounded; remove 'bounded: false'")
        }
        guard let handle = fopen(path, "r") else {
            throw OperatorError.external(context.operatorID, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        file = handle
        subtask = context.subtask
        parallelism = context.parallelism
        sideOutputs = context.sideOutputs
        // Idleness means nothing for a file: it never pauses.
        tracker = WatermarkTracker(outOfOrderness: context.eventTime.outOfOrdernessMillis, idleTimeout: 0)
        tracker.addPartition(0, now: 0)
        try restore(context.restored, operatorID: context.operatorID)
    }

    public func snapshotState(checkpointID: UInt64) throws -> [UInt8]? {
        guard let file else { return nil }
        try sideOutputs?.flush()
        var writer = BinaryWriter(capacity: 32)
        writer.write(Self.stateVersion)
        writer.write(varint: UInt64(parallelism))
        writer.write(varint: UInt64(subtask))
        writer.write(signed: Int64(ftello(file)))
        writer.write(signed: lineNumber)
        return writer.bytes
    }

    static let stateVersion: UInt8 = 1

    private func restore(_ restored: RestoredOperatorState, operatorID: String) throws {
        guard !restored.states.isEmpty, let file else { return }
        for state in restored.states {
            let (oldParallelism, oldSubtask, position, line) = try state.withUnsafeBytes { bytes in
                var reader = BinaryReader(bytes)
                guard try reader.readByte() == Self.stateVersion else {
                    throw OperatorError.configuration(operatorID, "the checkpointed file position has an unknown format")
                }
                return (Int(try reader.readVarint()), Int(try reader.readVarint()), try reader.readSigned(), try reader.readSigned())
            }
            guard oldParallelism == parallelism else {
                throw OperatorError.configuration(operatorID, "a file source splits lines by parallelism; resume with --parallelism \(oldParallelism) (the checkpoint's), not \(parallelism)")
            }
            guard oldSubtask == subtask else { continue }
            guard fseeko(file, off_t(position), SEEK_SET) == 0 else {
                throw OperatorError.external(operatorID, "cannot seek \(path) to \(position): \(String(cString: strerror(errno))) (was the file replaced?)")
            }
            lineNumber = line
        }
    }

    public func poll(output: any SourceOutput, maxRecords: Int) throws -> SourceStatus {
        guard let file else { return .finished }
        var emitted = 0
        while emitted < maxRecords {
            let length = getline(&lineBuffer, &lineCapacity, file)
            guard length >= 0, let lineBuffer else {
                tracker.finish(partition: 0)
                if let watermark = tracker.advance(now: 0) { try output.emitWatermark(watermark) }
                try sideOutputs?.flush()
                return .finished
            }
            lineNumber += 1
            guard Int(lineNumber % Int64(parallelism)) == subtask else { continue }
            var bytes = UnsafeRawBufferPointer(start: lineBuffer, count: length)
            while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") {
                bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast())
            }
            if bytes.isEmpty { continue }
            emitted += 1
            do {
                let event = try decoder.decode(bytes)
                tracker.observe(partition: 0, eventTime: event.eventTime, now: 0)
                try output.emit(event)
            } catch let error as RecordDecodingError {
                try sideOutputs?.deadLetter(topic: "file:\(path)", partition: 0, offset: lineNumber, payload: Array(bytes), reason: error.description)
            }
        }
        if let watermark = tracker.advance(now: 0) { try output.emitWatermark(watermark) }
        return .more
    }

    public func close() {
        if let file { fclose(file) }
        file = nil
        free(lineBuffer)
        lineBuffer = nil
    }
}
