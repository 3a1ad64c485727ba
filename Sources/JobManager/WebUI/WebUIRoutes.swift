import Hummingbird

/// Serves the web UI at `/` (also `/index.html`), `/app.js` and `/app.css` on the REST port,
/// with their content types and `Cache-Control: no-cache`, so a browser always revalidates
/// and picks up a new JobManager's UI. Stateless; the assets are constants.
struct WebUIRoutes<Context: RequestContext> {
    func register(on router: Router<Context>) {
        router.get("/") { _, _ in Self.response(WebUIAssets.page, type: "text/html; charset=utf-8") }
        router.get("/index.html") { _, _ in Self.response(WebUIAssets.page, type: "text/html; charset=utf-8") }
        router.get("/app.js") { _, _ in Self.response(WebUIAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("/app.css") { _, _ in Self.response(WebUIAssets.style, type: "text/css; charset=utf-8") }
    }

    static func response(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
