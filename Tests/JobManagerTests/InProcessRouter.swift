import Foundation
import HTTPTypes
import Hummingbird
import Logging
@testable import SluiceJobManager

/// Sends one request through a router in-process (no sockets) and collects the answer; errors
/// thrown by routes are rendered as the server would (`RESTError.response`).
struct InProcessRouter {
    struct Reply {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: Data

        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
        }
    }

    let router: Router<CheckpointRoutesTests.TestContext>

    init(_ configure: (Router<CheckpointRoutesTests.TestContext>) -> Void) {
        router = Router(context: CheckpointRoutesTests.TestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        configure(router)
    }

    func send(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:]) async throws -> Reply {
        let request = Request(head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: path, headerFields: headers),
                              body: RequestBody(buffer: ByteBuffer()))
        let context = CheckpointRoutesTests.TestContext(source: .init(logger: Logger(label: "test")))
        let response: Response
        do {
            response = try await router.buildResponder().respond(to: request, context: context)
        } catch let error as RESTError {
            response = try error.response(from: request, context: context)
        }
        let collector = CheckpointRoutesTests.BodyCollector()
        try await response.body.write(collector)
        return Reply(status: response.status, headers: response.headers, body: Data(buffer: collector.bytes.withLock { $0 }))
    }
}
