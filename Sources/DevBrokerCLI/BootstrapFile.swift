#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The file other processes read the bootstrap address from.
///
/// Written atomically (a temporary file in the same directory, then `rename`), so a reader
/// sees either no file or the whole address, never a partial line.
struct BootstrapFile {
    let path: String

    func write(_ bootstrapServers: String) throws {
        let temporary = "\(path).tmp-\(getpid())"
        let contents = Data((bootstrapServers + "\n").utf8)
        do {
            try contents.write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw DevBrokerError.bootstrapFile(path: temporary, reason: "\(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw DevBrokerError.bootstrapFile(path: path, reason: "rename from \(temporary) failed: \(reason)")
        }
    }

    func remove() {
        unlink(path)
    }
}
