/// The web UI's hand-written assets (no build step, no CDN, no external fonts): `Assets/index.html`,
/// `Assets/app.css` and `Assets/app.js`, embedded into the binary at build time (SwiftPM
/// `.embedInCode` resources), so the JobManager serves them wherever it is copied to.
enum WebUIAssets {
    /// The single page; `app.js` renders every view into `<main>` from the hash route.
    static let page = String(decoding: PackageResources.index_html, as: UTF8.self)
    /// Layout for 1280×800 and up: CSS grid, single-line table cells with ellipsis, tabular numbers.
    static let style = String(decoding: PackageResources.app_css, as: UTF8.self)
    /// The single-page app: hash routes `#/overview`, `#/jobs/<jid>`, `#/taskmanagers`,
    /// `#/submit`; polls the current page's endpoints every `/config` `refresh-interval`;
    /// computes live rates from consecutive polls; renders API strings with `textContent` only.
    static let script = String(decoding: PackageResources.app_js, as: UTF8.self)
}
