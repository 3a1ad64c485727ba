import Foundation

/// The file operations of keyed-state snapshots and restores, as plain POSIX calls so every
/// failure carries its `errno` and path (`KeyedStateError.fileSystem`).
///
/// Stateless; callable from any thread. Invariant kept by `copy`: a file appears under its
/// final name only complete (written to a temporary name in the same directory, then renamed),
/// so a crash mid-upload never leaves a half-written file where a checkpoint expects a whole one.
enum CheckpointFiles {
    /// A regular file in a directory.
    struct Entry: Sendable, Equatable {
        var name: String
        var size: UInt64
    }

    private static let copyBufferSize = 1 << 20

    /// The regular files directly in `directory`, sorted by name.
    static func files(in directory: String) throws -> [Entry] {
        try names(in: directory).compactMap { name in
            let info = try status(of: directory + "/" + name)
            guard info.st_mode & S_IFMT == S_IFREG else { return nil }
            return Entry(name: name, size: UInt64(info.st_size))
        }.sorted { $0.name < $1.name }
    }

    /// Copies `source` to `destination` (replacing it) and returns the bytes copied; with
    /// `durable`, the data is fsynced before the rename, as checkpoint storage needs.
    @discardableResult
    static func copy(from source: String, to destination: String, durable: Bool) throws -> UInt64 {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw KeyedStateError.fileSystem(operation: "open", path: source, errno: errno) }
        defer { close(input) }
        let temporary = destination + ".tmp-" + randomHex()
        let output = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw KeyedStateError.fileSystem(operation: "create", path: temporary, errno: errno) }
        var outputOpen = true
        do {
            let copied = try pump(from: input, source: source, to: output, destination: temporary)
            if durable, fsync(output) != 0 { throw KeyedStateError.fileSystem(operation: "fsync", path: temporary, errno: errno) }
            outputOpen = false  // closed even when close reports an error; closing again could hit a reused descriptor
            guard close(output) == 0 else { throw KeyedStateError.fileSystem(operation: "close", path: temporary, errno: errno) }
            guard rename(temporary, destination) == 0 else {
                throw KeyedStateError.fileSystem(operation: "rename to \(destination)", path: temporary, errno: errno)
            }
            return copied
        } catch {
            if outputOpen { close(output) }
            unlink(temporary)
            throw error
        }
    }

    /// Makes `destination` a hard link to `source`, or a copy when the two are on different
    /// file systems (or links are not allowed there). Linking is what makes recovery fast: a
    /// restored SST costs no bytes copied.
    static func linkOrCopy(from source: String, to destination: String) throws {
        guard link(source, destination) != 0 else { return }
        switch errno {
        case EXDEV, EPERM, EMLINK, ENOTSUP, EOPNOTSUPP:
            try copy(from: source, to: destination, durable: false)
        case let code:
            throw KeyedStateError.fileSystem(operation: "link to \(destination)", path: source, errno: code)
        }
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0, errno != EEXIST {
                throw KeyedStateError.fileSystem(operation: "mkdir", path: current, errno: errno)
            }
        }
    }

    /// Makes the directory's entries (files created or renamed in it) durable.
    static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw KeyedStateError.fileSystem(operation: "open directory", path: path, errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw KeyedStateError.fileSystem(operation: "fsync directory", path: path, errno: errno) }
    }

    /// Removes `path` and everything below it; a missing path is not an error.
    static func removeTree(_ path: String) throws {
        var info = stat()
        if lstat(path, &info) != 0 {
            if errno == ENOENT { return }
            throw KeyedStateError.fileSystem(operation: "stat", path: path, errno: errno)
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            for name in try names(in: path) { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 || errno == ENOENT else { throw KeyedStateError.fileSystem(operation: "rmdir", path: path, errno: errno) }
        } else {
            guard unlink(path) == 0 || errno == ENOENT else { throw KeyedStateError.fileSystem(operation: "unlink", path: path, errno: errno) }
        }
    }

    /// The last `count` bytes of the file (fewer when it is shorter).
    static func trailingBytes(of path: String, count: Int) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw KeyedStateError.fileSystem(operation: "open", path: path, errno: errno) }
        defer { close(descriptor) }
        let size = try status(of: path).st_size
        var bytes = [UInt8](repeating: 0, count: Int(min(Int64(count), Int64(size))))
        let read = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(size) - off_t($0.count)) }
        guard read == bytes.count else { throw KeyedStateError.fileSystem(operation: "read", path: path, errno: read < 0 ? errno : EIO) }
        return bytes
    }

    /// Whether anything (file, directory, link) exists at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Eight random hex digits: enough to keep names of concurrent writers apart.
    static func randomHex() -> String {
        let digits = String(UInt32.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    private static func pump(from input: Int32, source: String, to output: Int32, destination: String) throws -> UInt64 {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: copyBufferSize, alignment: 16)
        defer { buffer.deallocate() }
        var total: UInt64 = 0
        while true {
            let count = read(input, buffer.baseAddress, buffer.count)
            if count == 0 { return total }
            if count < 0 {
                if errno == EINTR { continue }
                throw KeyedStateError.fileSystem(operation: "read", path: source, errno: errno)
            }
            var written = 0
            while written < count {
                let result = write(output, buffer.baseAddress.map { $0 + written }, count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw KeyedStateError.fileSystem(operation: "write", path: destination, errno: errno)
                }
                written += result
            }
            total += UInt64(count)
        }
    }

    private static func names(in directory: String) throws -> [String] {
        guard let stream = opendir(directory) else {
            throw KeyedStateError.fileSystem(operation: "list", path: directory, errno: errno)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private static func status(of path: String) throws -> stat {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw KeyedStateError.fileSystem(operation: "stat", path: path, errno: errno) }
        return info
    }
}
