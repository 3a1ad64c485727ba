import Hummingbird
import NIOCore
import Logging

/// Turns every error a route (or the router's not-found responder) throws into a JSON
/// `RESTError`, so clients never see an empty or HTML error body.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as RESTError {
            throw error
        } catch let error as HTTPError {
            switch error.status {
            case .notFound:
                throw RESTError(.notFound, "Not found: \(request.method) \(request.uri.path)")
            default:
                throw RESTError(error.status, error.body ?? error.status.reasonPhrase)
            }
        } catch let error as NIOTooManyBytesError {
            throw RESTError(.contentTooLarge, "the request body is over the limit of \(error.maxBytes.map { "\($0) bytes" } ?? "this route")")
        } catch let error as DecodingError {
            throw RESTError(.badRequest, "Request body is not valid: \(error)")
        } catch {
            context.logger.error("REST handler failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            throw RESTError(.internalServerError, "Internal error: \(error)")
        }
    }
}
