import Foundation
import Logging
import SluiceConnectorKinds
import SluiceEngine

/// The `file-sink` kind: rows as JSON lines into part files, exactly once with checkpoints
/// (as Flink's FileSink): rows go into a hidden in-progress part; each checkpoint's barrier
/// closes it (flushed and fsynced) and records it in the checkpointed ledger; the completion
/// notice renames it to its final name (`FilePartCommitter`). A restore commits the parts of the
/// restored checkpoint and deletes the in-progress files of the job's failed attempts (their
/// rows are written again). Without checkpoints a part is completed every `roll-bytes`.
///
/// Runs on the task thread; only the committer is shared with the notice thread.
public final class FileSinkOperator: StreamOperator, CheckpointedOperator, CountingOperator {
    private struct OpenPart {
        var handle: FileHandle
        var temporary: String
        var final: String
        var bytes: Int
    }

    private var directory = URL(fileURLWithPath: ".")
    private var baseName = "part"
    private var nextPart = 0
    private var current: OpenPart?
    private var buffer: [UInt8] = []
    private var layout: RowLayout?
    private var checkpointing = false
    private var rollBytes = 128 << 20
    private var rowsWritten = 0
    private var committer: FilePartCommitter?
    private var operatorID = "file-sink"
    private static let bufferBytes = 1 << 20

    public init() {}

    public func open(context: OperatorContext) throws {
        operatorID = context.operatorID
        layout = try context.inputLayout()
        checkpointing = context.checkpointing
        rollBytes = try context.integer(FileSinkKind.rollBytes)
        directory = URL(fileURLWithPath: try context.string(FileSinkKind.path), isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw FileSinkError.unwritable(path: directory.path, reason: "\(error.localizedDescription)")
        }
        let prefix = try context.string(FileSinkKind.prefix)
        let job = String(context.jobID.prefix(8))
        baseName = "\(prefix)-\(job)-a\(context.attempt)-\(context.subtask)"
        let committer = FilePartCommitter(directory: directory, logger: context.logger)
        try committer.restore(context.restored.states)
        context.checkpointListeners.onComplete { [weak committer] id in committer?.completed(id) }
        self.committer = committer
        removeFailedAttempts(prefix: "\(prefix)-\(job)-a", current: context.attempt, logger: context.logger)
        buffer.reserveCapacity(Self.bufferBytes + 64 * 1024)
    }

    public func processRecord(_ record: StreamRecord, input: Int, output: any RecordOutput) throws {
        let row = record
        guard let layout else {
            throw OperatorError.configuration(operatorID, "got a record before it was opened")
        }
        RowJSONWriter.write(row.row, layout, into: &buffer)
        buffer.append(UInt8(ascii: "\n"))
        rowsWritten += 1
        if buffer.count >= Self.bufferBytes { try writeBuffer() }
    }

    public func processWatermark(_ watermark: Int64, output: any RecordOutput) throws {}

    public func prepareSnapshot(checkpointID: UInt64, output: any RecordOutput) throws {
        try writeBuffer()
        if let part = try closeCurrent() {
            committer?.closed(FilePartLedger.Part(checkpointID: checkpointID, temporary: part.temporary, final: part.final))
        }
    }

    public func snapshotState(checkpointID: UInt64) throws -> [UInt8]? {
        committer?.snapshot()
    }

    public func finish(output: any RecordOutput) throws {
        // The end of a bounded input: no checkpoint follows, so everything is committed now.
        try writeBuffer()
        if let part = try closeCurrent() {
            committer?.closed(FilePartLedger.Part(checkpointID: .max, temporary: part.temporary, final: part.final))
        }
        try committer?.commitAll()
    }

    public func close() {
        // A part still open belongs to no completed checkpoint: it stays hidden and is deleted
        // when the job restarts.
        try? current?.handle.close()
        current = nil
    }

    public func count(of event: String) -> Int? {
        switch event {
        case "rows_written": rowsWritten
        case "parts_committed": committer?.committed.load(ordering: .relaxed)
        default: nil
        }
    }

    private func writeBuffer() throws {
        guard !buffer.isEmpty else { return }
        if current == nil { current = try openPart() }
        do {
            try current!.handle.write(contentsOf: buffer)
        } catch {
            throw FileSinkError.unwritable(path: directory.appendingPathComponent(current!.temporary).path, reason: "\(error)")
        }
        current!.bytes += buffer.count
        buffer.removeAll(keepingCapacity: true)
        if !checkpointing && current!.bytes >= rollBytes, let part = try closeCurrent() {
            // Without checkpoints there is nothing to wait for: a full part is final at once.
            committer?.closed(FilePartLedger.Part(checkpointID: 0, temporary: part.temporary, final: part.final))
            try committer?.commitAll()
        }
    }

    private func openPart() throws -> OpenPart {
        let final = "\(baseName)-\(nextPart).jsonl"
        let temporary = ".\(final).inprogress"
        nextPart += 1
        let path = directory.appendingPathComponent(temporary).path
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw FileSinkError.unwritable(path: path, reason: String(cString: strerror(errno)))
        }
        return OpenPart(handle: handle, temporary: temporary, final: final, bytes: 0)
    }

    /// Flushes, fsyncs and closes the open part; nil when none is open.
    private func closeCurrent() throws -> OpenPart? {
        guard let part = current else { return nil }
        current = nil
        do {
            try part.handle.synchronize()
            try part.handle.close()
        } catch {
            throw FileSinkError.unwritable(path: directory.appendingPathComponent(part.temporary).path, reason: "\(error)")
        }
        return part
    }

    /// Deletes the in-progress files of this job's earlier attempts: they belong to no completed
    /// checkpoint (the restore just committed every part that did), so their rows are replayed.
    private func removeFailedAttempts(prefix: String, current attempt: UInt32, logger: Logger) {
        guard attempt > 1, let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix("." + prefix) && name.hasSuffix(".inprogress") {
            let rest = name.dropFirst(prefix.count + 1)
            guard let number = UInt32(rest.prefix { $0.isNumber }), number < attempt else { continue }
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            logger.info("deleted the in-progress part of a failed attempt", metadata: ["file": "\(name)"])
        }
    }
}
