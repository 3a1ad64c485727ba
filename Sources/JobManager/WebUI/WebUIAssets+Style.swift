extension WebUIAssets {
    /// Layout for 1280×800 and up: CSS grid, single-line table cells with ellipsis, tabular numbers.
    static let style = #"""
    :root {
      --bg: #f4f6f8; --card: #ffffff; --ink: #1d2733; --muted: #5f6b7a; --line: #dde3ea;
      --accent: #1f6feb; --ok: #2e9d57; --warn: #d99a1c; --bad: #d64545; --head: #17212b;
    }
    * { box-sizing: border-box; }
    html, body { margin: 0; padding: 0; }
    body { background: var(--bg); color: var(--ink); font: 14px/1.4 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
    a { color: var(--accent); text-decoration: none; }
    a:hover { text-decoration: underline; }
    .topbar { display: flex; align-items: center; gap: 24px; height: 48px; padding: 0 20px; background: var(--head); color: #fff; }
    .brand { color: #fff; font-weight: 700; font-size: 18px; letter-spacing: .5px; }
    .nav { display: flex; gap: 4px; flex: 1; }
    .nav a { color: #c9d4e0; padding: 6px 12px; border-radius: 4px; white-space: nowrap; }
    .nav a.active { background: #2c3a49; color: #fff; }
    .updated { color: #9fb0c2; font-size: 12px; white-space: nowrap; font-variant-numeric: tabular-nums; }
    .banner { margin: 12px 20px 0; padding: 10px 14px; border-radius: 6px; background: #fdecec; color: #8a1f1f; border: 1px solid #f3b8b8; overflow-wrap: anywhere; }
    .banner.info { background: #e8f2fe; color: #174a8c; border-color: #b6d3fa; }
    .main { max-width: 1280px; margin: 0 auto; padding: 16px 20px 40px; display: grid; gap: 16px; }
    h1 { font-size: 20px; margin: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    h2 { font-size: 15px; margin: 0 0 10px; color: var(--head); }
    .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; min-width: 0; }
    .stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; }
    .stat { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 0; }
    .stat-label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .4px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .stat-value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .stat-sub { color: var(--muted); font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    table { width: 100%; border-collapse: collapse; table-layout: fixed; }
    th, td { padding: 6px 8px; text-align: left; border-bottom: 1px solid var(--line); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    th { color: var(--muted); font-weight: 600; font-size: 12px; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    td.wrap { white-space: normal; }
    .empty { color: var(--muted); font-style: italic; }
    .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; background: #e6ebf1; color: var(--ink); }
    .badge.RUNNING, .badge.COMPLETED, .badge.FINISHED { background: #dff3e6; color: #1d6b3a; }
    .badge.FAILED, .badge.FAILING { background: #fbe1e1; color: #9b2525; }
    .badge.RESTARTING, .badge.IN_PROGRESS, .badge.CANCELLING, .badge.CANCELING { background: #fdf0d5; color: #845b06; }
    .bp-ok { color: var(--ok); } .bp-low { color: var(--warn); } .bp-high { color: var(--bad); }
    .job-head { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 12px; align-items: center; }
    .job-meta { display: flex; flex-wrap: wrap; gap: 6px 20px; color: var(--muted); margin-top: 6px; font-variant-numeric: tabular-nums; }
    .job-meta span { white-space: nowrap; }
    .actions { display: flex; gap: 8px; align-items: center; }
    button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--line); background: #fff; cursor: pointer; white-space: nowrap; }
    button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
    button.danger { color: var(--bad); border-color: #f0b9b9; }
    button:disabled { opacity: .5; cursor: default; }
    input, textarea { font: inherit; border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; }
    textarea { width: 100%; min-height: 320px; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
    .form { display: grid; gap: 12px; }
    .form-row { display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
    .form-row label { display: flex; gap: 8px; align-items: center; white-space: nowrap; }
    .graph { width: 100%; overflow-x: auto; }
    .graph svg { display: block; }
    .node rect { stroke-width: 2; rx: 8; }
    .node.bp-ok rect { fill: #e9f7ee; stroke: var(--ok); }
    .node.bp-low rect { fill: #fdf3dc; stroke: var(--warn); }
    .node.bp-high rect { fill: #fbe4e4; stroke: var(--bad); }
    .node text { font-size: 12px; fill: var(--ink); font-variant-numeric: tabular-nums; }
    .node text.node-name { font-weight: 600; font-size: 13px; }
    .edge { fill: none; stroke: #8a98a8; stroke-width: 1.5; }
    .legend { display: flex; gap: 16px; color: var(--muted); font-size: 12px; margin-top: 8px; }
    .legend span { white-space: nowrap; }
    .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
    .section-note { color: var(--muted); font-size: 12px; margin: -4px 0 10px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    details summary { cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    details pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; padding: 8px; border-radius: 4px; margin: 6px 0 0; font-size: 12px; }
    .panel-error { color: #8a1f1f; font-size: 12px; margin-top: 8px; overflow-wrap: anywhere; }
    """#
}
