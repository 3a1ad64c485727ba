import Foundation
import HTTPTypes
import Hummingbird
import Logging
@testable import SluiceJobManager
import Testing

@Suite struct WebUIRoutesTests {
    private let ui = InProcessRouter { WebUIRoutes().register(on: $0) }

    @Test func rootServesThePageThatLoadsTheScriptAndStyle() async throws {
        let reply = try await ui.send(.get, "/")
        #expect(reply.status == .ok)
        #expect(reply.headers[.contentType] == "text/html; charset=utf-8")
        #expect(reply.headers[.cacheControl] == "no-cache")
        #expect(reply.text.hasPrefix("<!doctype html>"))
        #expect(reply.text.contains(#"<script src="/app.js"></script>"#))
        #expect(reply.text.contains(#"<link rel="stylesheet" href="/app.css">"#))
    }

    @Test func scriptAndStyleHaveTheirContentTypes() async throws {
        let script = try await ui.send(.get, "/app.js")
        #expect(script.status == .ok)
        #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
        #expect(script.headers[.cacheControl] == "no-cache")
        #expect(script.text.contains("#/overview") && script.text.contains("refresh-interval"))
        let style = try await ui.send(.get, "/app.css")
        #expect(style.headers[.contentType] == "text/css; charset=utf-8")
        #expect(style.text.contains("text-overflow: ellipsis"))
    }

    /// The page is self-contained: nothing is fetched from another origin.
    @Test func assetsReferenceNoExternalHost() {
        for asset in [WebUIAssets.page, WebUIAssets.style, WebUIAssets.script] {
            #expect(!asset.contains("https://"))
            #expect(!asset.contains("@import"))
        }
    }

    /// API strings reach the page through textContent only.
    @Test func scriptNeverAssignsInnerHTML() {
        #expect(!WebUIAssets.script.contains("innerHTML"))
        #expect(!WebUIAssets.script.contains("outerHTML"))
        #expect(!WebUIAssets.script.contains("insertAdjacentHTML"))
    }
}
