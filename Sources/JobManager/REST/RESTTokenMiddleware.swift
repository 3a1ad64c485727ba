import HTTPTypes
import Hummingbird

/// Guards the mutating requests (POST, PATCH, PUT, DELETE: submit, cancel, stop) with the REST
/// token from `rest.token-file`: without `Authorization: Bearer <token>` they get a 401 that
/// says where the token is. Reads (GET) stay open, so dashboards and `/metrics` need no token.
/// With no token configured every request passes (local development; the JobManager warns at start).
struct RESTTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token, Self.isMutation(request.method) else { return try await next(request, context) }
        guard let header = request.headers[.authorization] else { throw RESTError(.unauthorized, Self.missingTokenMessage) }
        guard Self.matches(header, token: token) else { throw RESTError(.unauthorized, Self.wrongTokenMessage) }
        return try await next(request, context)
    }

    static var missingTokenMessage: String {
        "this JobManager requires a REST token for submit, cancel and stop: send 'Authorization: Bearer <token>' with the "
            + "token in the file named by rest.token-file (e.g. .cluster/rest-token); the CLI reads it from the same config "
            + "(set SLUICE_REST_TOKEN_FILE) or takes --token"
    }

    static var wrongTokenMessage: String {
        "the REST token sent does not match this JobManager's (the file named by its rest.token-file, e.g. .cluster/rest-token): "
            + "a token of another cluster, or an old one? Send 'Authorization: Bearer <token>' with the current token"
    }

    static func isMutation(_ method: HTTPRequest.Method) -> Bool {
        method == .post || method == .patch || method == .put || method == .delete
    }

    /// Compares in time independent of where the first difference is, so response timing
    /// does not reveal the token's prefix.
    static func matches(_ header: String, token: String) -> Bool {
        let expected = Array("Bearer \(token)".utf8)
        let given = Array(header.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
