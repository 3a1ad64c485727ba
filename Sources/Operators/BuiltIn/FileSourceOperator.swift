import Foundation
import Logging

/// Reads JSON events from a JSONL file (replays, benchmarks): subtask i of n takes the lines
/// whose number modulo n is i. Always bounded: at the end of the file it emits the final
/// watermark. Malformed lines go to the dead-letter side output (topic `file:PATH`, offset =
/// line number). Lines are decoded in place from the read buffer. Runs on the task thread.
public final class FileSourceOperator: SourceOperator {
    private var file: UnsafeMutablePointer<FILE>?
    private var path = ""
    private var kind = EventKind.click
    private let clicks = ClickDecoder()
    private let checkouts = CheckoutDecoder()
    private var tracker = WatermarkTracker(outOfOrderness: 0, idleTimeout: 0)
    private var lineBuffer: UnsafeMutablePointer<CChar>?
    private var lineCapacity = 0
    private var lineNumber: Int64 = -1
    private var subtask = 0
    private var parallelism = 1
    private var sideOutputs: (any SideOutputs)?

    public init() {}

    public func open(context: OperatorContext) throws {
        path = try context.parameter("path")
        kind = try EventKind(parameter: try context.parameter("event"), operatorID: context.operatorID)
        if let bounded = context.params["bounded"], bounded != "true" {
            throw OperatorError.configuration(context.operatorID, "a file source is always bounded; remove 'bounded: \(bounded)'")
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
                let event = try kind.decode(bytes, clicks: clicks, checkouts: checkouts)
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
