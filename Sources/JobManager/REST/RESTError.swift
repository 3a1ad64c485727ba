import Foundation
import HTTPTypes
import Hummingbird

/// Every REST failure, rendered as Flink does: `{"errors": ["..."]}` with a 4xx/5xx status.
public struct RESTError: HTTPResponseError, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let message: String

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    static func jobNotFound(_ id: String) -> RESTError {
        RESTError(.notFound, "Job \(id) not found; GET /jobs lists the known jobs")
    }

    public var description: String { "\(status.code) \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder().encode(["errors": [message]])
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
