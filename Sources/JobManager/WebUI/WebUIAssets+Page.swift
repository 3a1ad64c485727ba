extension WebUIAssets {
    /// The single page; `app.js` renders every view into `<main>` from the hash route.
    static let page = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Sluice</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/app.css">
    </head>
    <body>
    <header class="topbar">
      <a class="brand" href="#/overview">Sluice</a>
      <nav class="nav">
        <a href="#/overview" data-route="overview">Overview</a>
        <a href="#/taskmanagers" data-route="taskmanagers">TaskManagers</a>
        <a href="#/submit" data-route="submit">Submit job</a>
      </nav>
      <span id="updated" class="updated">loading…</span>
    </header>
    <div id="banner" class="banner" role="alert" hidden></div>
    <main id="main" class="main"></main>
    <script src="/app.js"></script>
    </body>
    </html>
    """#
}
