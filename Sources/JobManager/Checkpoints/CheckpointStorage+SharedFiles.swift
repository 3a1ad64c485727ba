import Foundation
import Logging

extension CheckpointStorage {
    /// Deletes the files under `shared/` that no checkpoint still on disk references and that
    /// were last modified before `cutoffMillis` (the newest completed checkpoint's trigger time);
    /// returns their storage-relative paths.
    ///
    /// References come from `retained` and from every other `chk-<n>/_metadata` found on disk
    /// (a checkpoint this coordinator does not know about, e.g. one from before a JobManager
    /// restart, keeps its files). The cutoff protects files uploaded for an in-flight or aborted
    /// checkpoint, which the next checkpoint may reference. If some metadata cannot be read the
    /// references are unknown, so nothing is deleted.
    @discardableResult
    func collectSharedGarbage(retained: [CheckpointMetadata], cutoffMillis: Int64, logger: Logger) -> [String] {
        guard var referenced = referencesOnDisk(excluding: Set(retained.map(\.checkpointID)), logger: logger) else { return [] }
        for metadata in retained { referenced.formUnion(metadata.sharedPaths.map(Self.normalized)) }
        let cutoff = Date(timeIntervalSince1970: Double(cutoffMillis) / 1000)
        var deleted: [String] = []
        for relative in sharedFiles() where !referenced.contains(relative) {
            let path = "\(root)/\(relative)"
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                  modified < cutoff else { continue }
            do {
                try FileManager.default.removeItem(atPath: path)
                deleted.append(relative)
            } catch {
                logger.warning("could not delete unreferenced shared checkpoint file", metadata: ["path": "\(path)", "error": "\(error)"])
            }
        }
        if !deleted.isEmpty { logger.debug("deleted unreferenced shared checkpoint files", metadata: ["count": "\(deleted.count)"]) }
        return deleted
    }

    /// Shared paths referenced by the `chk-<n>/_metadata` files on disk whose id is not in
    /// `excluded`; nil when one exists but cannot be read. Directories without metadata
    /// (in-flight or aborted checkpoints) reference nothing.
    private func referencesOnDisk(excluding excluded: Set<UInt64>, logger: Logger) -> Set<String>? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        var referenced = Set<String>()
        for name in names {
            guard let id = Self.checkpointID(directoryName: name), !excluded.contains(id) else { continue }
            do {
                referenced.formUnion(try Self.load(path: "\(root)/\(name)").sharedPaths.map(Self.normalized))
            } catch .missing {
                continue
            } catch {
                logger.warning("not deleting shared checkpoint files: another checkpoint's metadata is unreadable",
                               metadata: ["path": "\(root)/\(name)", "error": "\(error)"])
                return nil
            }
        }
        return referenced
    }

    /// Every regular file under `shared/`, as a storage-relative path `shared/…`.
    private func sharedFiles() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: sharedDirectory) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if enumerator.fileAttributes?[.type] as? FileAttributeType == .typeRegular {
                files.append(Self.normalized("\(Self.sharedDirectoryName)/\(relative)"))
            }
        }
        return files
    }

    /// `path` without empty or `.` components, so `shared//a` and `./shared/a` match `shared/a`.
    static func normalized(_ path: String) -> String {
        path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }
}
