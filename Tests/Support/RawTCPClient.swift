import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client for sending arbitrary bytes at a server (malformed-frame tests).
public final class RawTCPClient {
    private let fd: Int32

    public init(host: String = "127.0.0.1", port: Int, timeout: Duration = .seconds(5)) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError.noFreePort(errno: errno) }
        var tv = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = errno
            close(fd)
            throw TestSupportError.commandFailed(command: "connect \(host):\(port)", status: error, output: String(cString: strerror(error)))
        }
    }

    deinit { close(fd) }

    /// Sends all bytes; false if the server already closed the connection.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    /// Tells the server no more bytes come (so a partial frame is seen as truncated).
    public func finishWriting() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Reads until the server closes the connection; true if it did before the receive timeout.
    public func serverClosesConnection() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return true }  // orderly close
            if count < 0 { return errno == ECONNRESET }  // reset is a close too; a timeout is not
        }
    }
}
