import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import SluiceTLS

/// A minimal client of the JobManager's REST API for the CLI: one HTTP/1.1 request per
/// connection, over TLS for `https://` addresses (`rest.tls`). NIO rather than URLSession,
/// because URLSession on Linux cannot trust a cluster's own CA.
struct RESTClient {
    enum Failure: Error, CustomStringConvertible {
        case unreachable(String, any Error)
        case tls(String, String)
        case closedEarly(String)
        case timedOut(String, seconds: Int)
        case status(Int, String)
        case invalidAddress(String)

        var description: String {
            switch self {
            case .unreachable(let url, let error):
                return "cannot reach the JobManager at \(url): \(Self.reason(error)). Is it running (make run)? Use --rest to point elsewhere."
            case .tls(let url, let reason):
                return "no TLS session with the JobManager at \(url): \(reason). Give the cluster CA with --cacert "
                    + "(make run: .cluster/certs/ca.pem), and --cert/--key when rest.tls is mutual; "
                    + "use http:// if its REST port is plain HTTP (rest.tls: off)"
            case .closedEarly(let url):
                return "the JobManager at \(url) closed the connection without an answer; if its REST port serves HTTPS "
                    + "(rest.tls), use https:// and --cacert"
            case .timedOut(let url, let seconds):
                return "the JobManager at \(url) did not answer within \(seconds) s; the request may still complete (check with sluice status)"
            case .status(let code, let body):
                let message = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["errors"] as? [String]
                return "JobManager answered HTTP \(code): \(message?.joined(separator: "; ") ?? body)"
            case .invalidAddress(let address):
                return "--rest \(address) is not an http:// or https:// address with a host (e.g. https://jobmanager:8081)"
            }
        }

        /// The OS's words for a failed connect ("Connection refused"), not NIO's wrapping of them.
        private static func reason(_ error: any Error) -> String {
            if let failed = error as? NIOConnectionError, let first = failed.connectionErrors.first?.error {
                return reason(first)
            }
            if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
            return "\(error)"
        }
    }

    /// `http://host:port` or `https://host:port`; a bare `host:port` gets `defaultScheme`.
    let base: String
    /// Sent as `Authorization: Bearer` with mutating requests when the JobManager requires it.
    var token: String?
    /// How long a request may take (a stop waits for its final checkpoint).
    var timeoutSeconds = 60
    /// The TLS of `https://` addresses; nil trusts the system's roots, with no client certificate.
    var tls: RESTClientTLS?
    /// The most an answer may hold (the largest, a job's details, is a few hundred KB).
    static let maximumAnswerBytes = 64 << 20

    init(base: String, token: String?, defaultScheme: String = "http") {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.base = trimmed.contains("://") ? trimmed : "\(defaultScheme)://" + trimmed
        self.token = token
    }

    var isHTTPS: Bool { base.lowercased().hasPrefix("https://") }

    func get(_ path: String) async throws -> String {
        try await send("GET", path, body: nil)
    }

    /// `body` is YAML unless `contentType` says otherwise.
    func send(_ method: String, _ path: String, body: Data?, contentType: String = "application/yaml") async throws -> String {
        let address = base + path
        guard let url = URL(string: address), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else { throw Failure.invalidAddress(base) }
        let tls = scheme == "https" ? try (self.tls ?? RESTClientTLS(caFile: nil, certificateFile: nil, keyFile: nil)) : nil
        let request = Request(method: method, host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")),
                              port: url.port ?? (scheme == "https" ? 443 : 80),
                              target: path, body: body, contentType: contentType,
                              token: method == "GET" ? nil : token)
        let seconds = timeoutSeconds
        let (code, text): (Int, String)
        do {
            (code, text) = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                group.addTask { try await request.exchange(tls: tls, timeoutSeconds: seconds) }
                group.addTask {
                    try await Task.sleep(for: .seconds(seconds))
                    throw Failure.timedOut(address, seconds: seconds)
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch let failure as Failure {
            throw failure
        } catch let error as ChannelError where error == .eof || error == .inputClosed || error == .outputClosed {
            throw Failure.closedEarly(address)
        } catch {
            if let reason = RESTClientTLS.tlsFailure(error) { throw Failure.tls(address, reason) }
            throw Failure.unreachable(address, error)
        }
        guard (200..<300).contains(code) else { throw Failure.status(code, text) }
        return text
    }

    /// One request and its whole answer, on a connection of its own (`Connection: close`).
    private struct Request: Sendable {
        var method: String
        var host: String
        var port: Int
        var target: String
        var body: Data?
        var contentType: String
        var token: String?

        func exchange(tls: RESTClientTLS?, timeoutSeconds: Int) async throws -> (Int, String) {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(Int64(timeoutSeconds)))
                .connect(host: host, port: port) { [host] channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls { try tls.addHandler(to: channel, host: host) }
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                    }
                }
            return try await channel.executeThenClose { inbound, outbound in
                var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: target)
                head.headers.add(name: "Host", value: host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
                head.headers.add(name: "Connection", value: "close")
                head.headers.add(name: "Accept", value: "application/json")
                head.headers.add(name: "Content-Length", value: "\(body?.count ?? 0)")
                if body != nil { head.headers.add(name: "Content-Type", value: contentType) }
                if let token { head.headers.add(name: "Authorization", value: "Bearer \(token)") }
                try await outbound.write(.head(head))
                if let body { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
                try await outbound.write(.end(nil))
                var status = 0
                var answer = ByteBuffer()
                for try await part in inbound {
                    switch part {
                    case .head(let head):
                        status = Int(head.status.code)
                    case .body(var chunk):
                        guard answer.readableBytes + chunk.readableBytes <= RESTClient.maximumAnswerBytes else {
                            throw Failure.status(status, "the answer is larger than \(RESTClient.maximumAnswerBytes >> 20) MiB")
                        }
                        answer.writeBuffer(&chunk)
                    case .end:
                        return (status, String(buffer: answer))
                    }
                }
                throw ChannelError.eof
            }
        }
    }
}
