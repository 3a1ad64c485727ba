import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A minimal client of the JobManager's REST API for the CLI.
struct RESTClient {
    enum Failure: Error, CustomStringConvertible {
        case unreachable(String, any Error)
        case timedOut(String, seconds: Int)
        case status(Int, String)

        var description: String {
            switch self {
            case .unreachable(let url, let error):
                return "cannot reach the JobManager at \(url): \(error.localizedDescription). Is it running (make run)? Use --rest to point elsewhere."
            case .timedOut(let url, let seconds):
                return "the JobManager at \(url) did not answer within \(seconds) s; the request may still complete (check with sluice status)"
            case .status(let code, let body):
                let message = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["errors"] as? [String]
                return "JobManager answered HTTP \(code): \(message?.joined(separator: "; ") ?? body)"
            }
        }
    }

    /// `http://host:port`; a bare `host:port` gets `http://`.
    let base: String
    /// Sent as `Authorization: Bearer` with mutating requests when the JobManager requires it.
    var token: String?
    /// How long a request may take (a stop waits for its final checkpoint).
    var timeoutSeconds = 60

    init(base: String, token: String?) {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.base = trimmed.contains("://") ? trimmed : "http://" + trimmed
        self.token = token
    }

    func get(_ path: String) async throws -> String {
        try await send("GET", path, body: nil)
    }

    /// `body` is YAML unless `contentType` says otherwise.
    func send(_ method: String, _ path: String, body: Data?, contentType: String = "application/yaml") async throws -> String {
        guard let url = URL(string: base + path) else { throw Failure.status(0, "invalid URL \(base + path)") }
        var request = URLRequest(url: url)
        request.timeoutInterval = TimeInterval(timeoutSeconds)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let token, method != "GET" { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch let error as URLError where error.code == .timedOut {
            throw Failure.timedOut(url.absoluteString, seconds: timeoutSeconds)
        } catch {
            throw Failure.unreachable(url.absoluteString, error)
        }
        let text = String(decoding: data, as: UTF8.self)
        let code = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(code) else { throw Failure.status(code, text) }
        return text
    }
}
