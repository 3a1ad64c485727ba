import Foundation
import SluiceRocksDB

extension KeyedStateHandle {
    /// Makes `directory` an openable RocksDB database holding this handle's state: private files
    /// copied (RocksDB rewrites CURRENT, MANIFEST and OPTIONS, which must never touch storage),
    /// SST files hard-linked from storage when it is on the same file system (immutable, so a
    /// link is safe and costs no copy), copied otherwise.
    func download(into directory: String) throws {
        try CheckpointFiles.makeDirectories(directory)
        let privateFiles = try typingMissingFiles { try CheckpointFiles.files(in: privateDirectory) }
        guard privateFiles.contains(where: { $0.name == "CURRENT" }) else {
            throw KeyedStateError.missingCheckpointFile(path: privateDirectory + "/CURRENT", checkpoint: checkpoint)
        }
        for file in privateFiles {
            try typingMissingFiles {
                try CheckpointFiles.copy(from: privateDirectory + "/" + file.name, to: directory + "/" + file.name, durable: false)
            }
        }
        for file in sharedFiles {
            try typingMissingFiles { try CheckpointFiles.linkOrCopy(from: storagePath(of: file), to: directory + "/" + file.localName) }
        }
    }

    /// Opens a database made by `download(into:)`; RocksDB checks there that every file the
    /// manifest lists is present with its recorded size and a valid table footer.
    func openDownloaded(at directory: String) throws -> RocksDatabase {
        do {
            return try RocksDBStateBackend.openDatabase(path: directory, createIfMissing: false)
        } catch let error as RocksDBError {
            throw corruption(error)
        }
    }

    /// Runs `body`, which reads a database made by `download(into:)`, naming the checkpoint
    /// file RocksDB found damaged (block checksums are verified on every read).
    func readingDownloaded<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as RocksDBError {
            throw corruption(error)
        }
    }

    /// A RocksDB failure on downloaded files, blamed on the storage file it names, else on the
    /// first SST whose footer is damaged (RocksDB 7 reports a bad footer against the MANIFEST),
    /// else on the private files.
    private func corruption(_ error: RocksDBError) -> KeyedStateError {
        let message = "\(error)"
        let file = sharedFiles.first { message.contains($0.localName) } ?? sharedFiles.first(where: hasDamagedFooter)
        return .corruptCheckpoint(checkpoint: checkpoint, file: file.map(storagePath(of:)) ?? privateDirectory, reason: message)
    }

    /// Whether the file in storage lacks the block-based table magic number that ends every SST
    /// file RocksDB writes (little-endian 0x88e241b785f4cff7).
    private func hasDamagedFooter(_ file: SharedFile) -> Bool {
        let magic: [UInt8] = [0xF7, 0xCF, 0xF4, 0x85, 0xB7, 0x41, 0xE2, 0x88]
        // Diagnosis only: a file that cannot even be read counts as damaged.
        return (try? CheckpointFiles.trailingBytes(of: storagePath(of: file), count: magic.count)) != magic
    }

    /// A file-system error for a file that does not exist becomes "the checkpoint lacks it".
    @discardableResult
    private func typingMissingFiles<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch KeyedStateError.fileSystem(_, let path, ENOENT) {
            throw KeyedStateError.missingCheckpointFile(path: path, checkpoint: checkpoint)
        }
    }
}
