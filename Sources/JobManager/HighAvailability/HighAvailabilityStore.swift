import Foundation
import Logging

/// The JobManager's durable memory (DESIGN.md §6): a directory of `JobRecord`s.
///
/// Thread-safe (each call touches one file; writes are atomic: temp file, fsync, rename, so a
/// crash leaves either the old or the new record, never a torn one). A record that cannot be
/// read is reported and skipped on recovery — one bad file must not keep every other job down.
public struct HighAvailabilityStore: Sendable {
    public let directory: String
    private let logger: Logger

    public init(directory: String, logger: Logger) throws {
        self.directory = directory
        self.logger = logger
        do {
            try FileManager.default.createDirectory(atPath: jobsDirectory, withIntermediateDirectories: true)
        } catch {
            throw HighAvailabilityError.unusableDirectory(directory, "\(error)")
        }
    }

    private var jobsDirectory: String { directory + "/jobs" }

    private func path(of id: String) -> String { "\(jobsDirectory)/\(id).json" }

    public func save(_ record: JobRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(record)
        try DurableFileWriter.write(data, to: path(of: record.id))
    }

    public func remove(_ id: String) {
        try? FileManager.default.removeItem(atPath: path(of: id))
    }

    /// Every readable record, oldest submission first.
    public func load() -> [JobRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: jobsDirectory)) ?? []
        var records: [JobRecord] = []
        for name in names where name.hasSuffix(".json") {
            let file = "\(jobsDirectory)/\(name)"
            do {
                let record = try JSONDecoder().decode(JobRecord.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
                guard record.formatVersion == JobRecord.formatVersion else {
                    throw HighAvailabilityError.unsupportedVersion(file, record.formatVersion)
                }
                records.append(record)
            } catch {
                logger.error("skipping an unreadable job record; move it away to silence this",
                             metadata: ["file": "\(file)", "error": "\(error)"])
            }
        }
        return records.sorted { $0.submittedAt < $1.submittedAt }
    }
}

/// Why the HA directory cannot be used.
public enum HighAvailabilityError: Error, CustomStringConvertible {
    case unusableDirectory(String, String)
    case unsupportedVersion(String, Int)

    public var description: String {
        switch self {
        case .unusableDirectory(let path, let reason):
            return "high-availability.dir '\(path)' cannot be created or written (\(reason)); point it at a writable directory"
        case .unsupportedVersion(let file, let version):
            return "\(file) has format version \(version); this JobManager reads version \(JobRecord.formatVersion)"
        }
    }
}
