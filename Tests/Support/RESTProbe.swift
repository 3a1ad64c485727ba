import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Reads a JobManager's REST API from tests.
public struct RESTProbe: Sendable {
    public struct Reply: Sendable {
        public var status: Int
        public var body: Data
        public var contentType: String?

        public var text: String { String(decoding: body, as: UTF8.self) }

        /// The body as a JSON object (tests only; the engine never parses JSON with Foundation on hot paths).
        public func object() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw TestSupportError.commandFailed(command: "decode JSON object", status: 0, output: text)
            }
            return object
        }
    }

    public let base: URL
    private let session: URLSession

    public init(port: Int, host: String = "127.0.0.1") {
        base = URL(string: "http://\(host):\(port)")!
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 5
        session = URLSession(configuration: configuration)
    }

    /// `headers`: e.g. `Authorization` for a JobManager that requires a REST token.
    public func request(_ path: String, method: String = "GET", body: Data? = nil, headers: [String: String] = [:]) async throws -> Reply {
        // Not appendingPathComponent: it would percent-encode the query's '?'.
        guard let url = URL(string: base.absoluteString + path) else {
            throw TestSupportError.commandFailed(command: "\(method) \(path)", status: 0, output: "invalid URL")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = response as? HTTPURLResponse
        return Reply(status: http?.statusCode ?? 0, body: data, contentType: http?.value(forHTTPHeaderField: "Content-Type"))
    }

    public func get(_ path: String) async throws -> Reply { try await request(path) }

    /// `GET /overview`'s `taskmanagers` count.
    public func taskManagerCount() async throws -> Int {
        let overview = try await get("/overview").object()
        guard let count = overview["taskmanagers"] as? Int else {
            throw TestSupportError.commandFailed(command: "GET /overview", status: 0, output: "\(overview)")
        }
        return count
    }

    /// The value of one Prometheus series on `/metrics` (exact name including labels), or nil.
    public func metric(_ series: String) async throws -> Double? {
        let text = try await get("/metrics").text
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == series { return Double(parts[1]) }
        }
        return nil
    }
}
