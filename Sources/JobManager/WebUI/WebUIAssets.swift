/// The web UI's hand-written assets (no build step, no CDN, no external fonts), embedded as
/// string literals so the binary serves them wherever it is copied to. One extension file
/// per asset: `WebUIAssets+Page.swift` (index.html), `+Style` (app.css), `+Script` (app.js).
enum WebUIAssets {}
