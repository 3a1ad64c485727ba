#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes a file so that after a crash it is either absent or complete: a temporary file in the
/// same directory, fsync, rename over the target, fsync of the directory (so the rename itself
/// survives a power loss).
///
/// Stateless; blocking file I/O on the calling thread. A failed write leaves no temporary file.
enum DurableFileWriter {
    static func write(_ data: Data, to path: String) throws(CheckpointStorageError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(path, "create \(temporary)") }
        do throws(CheckpointStorageError) {
            try writeAll(data, to: fd, path: path)
            guard fsync(fd) == 0 else { throw failure(path, "fsync") }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard close(fd) == 0 else {
            let error = failure(path, "close")
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure(path, "rename from \(temporary)")
            unlink(temporary)
            throw error
        }
        try syncDirectory(directory, for: path)
    }

    private static func writeAll(_ data: Data, to fd: Int32, path: String) throws(CheckpointStorageError) {
        do {
            try FileHandle(fileDescriptor: fd, closeOnDealloc: false).write(contentsOf: data)
        } catch {
            throw .writeFailed(path: path, step: "write", reason: "\(error)")
        }
    }

    private static func syncDirectory(_ directory: String, for path: String) throws(CheckpointStorageError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, "open directory \(directory) for fsync") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure(path, "fsync of directory \(directory)") }
    }

    private static func failure(_ path: String, _ step: String) -> CheckpointStorageError {
        .writeFailed(path: path, step: step, reason: String(cString: strerror(errno)))
    }
}
