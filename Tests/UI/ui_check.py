#!/usr/bin/python3
"""Loads the Sluice web UI of a running cluster in headless Chromium and checks it.

Usage: ui_check.py BASE_URL OUT_DIR [--job JOB_ID] [--timeout SECONDS] [--expect-preview]

Drives Chromium over the Chrome DevTools Protocol: opens #/overview and waits until it shows
at least 2 TaskManagers and the job, then the job page until its SVG graph has one node per
vertex, a node shows a non-zero rate and the checkpoint table has a COMPLETED row (with
--expect-preview also until the sink preview lists rows), then the TaskManagers page
until its rates are known, then the submit page. On every page it checks that no two visible text elements overlap and that
numbers carry units, and it writes a PNG screenshot (overview.png, job.png, taskmanagers.png,
submit.png) to OUT_DIR. Any JavaScript console error, uncaught exception or browser log error fails the
check. Prints the reason and exits 1 on failure; Chromium is always killed.

Needs Debian's `chromium` and `python3-websocket` (make test installs them).
"""
import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket


class CheckFailed(Exception):
    pass


class Browser:
    """A headless Chromium process and a DevTools connection to its page."""

    def __init__(self, timeout):
        self.profile = tempfile.mkdtemp(prefix="sluice-ui-chromium-")
        self.process = None
        self.socket = None
        self.next_id = 0
        self.errors = []
        self.timeout = timeout

    def start(self):
        executable = shutil.which("chromium") or shutil.which("chromium-browser")
        if not executable:
            raise CheckFailed("chromium is not installed: run `bash cluster/install-packages.sh chromium python3-websocket` (make test does)")
        self.process = subprocess.Popen(
            [executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0",
             "--user-data-dir=" + self.profile, "--window-size=1280,800", "--no-first-run",
             "--no-default-browser-check", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + 30
        while not (os.path.exists(port_file) and os.path.getsize(port_file) > 0):
            if self.process.poll() is not None:
                raise CheckFailed("chromium exited with %s: %s" % (self.process.returncode, self.process.stderr.read().decode(errors="replace")[-2000:]))
            if time.monotonic() > deadline:
                raise CheckFailed("chromium wrote no DevToolsActivePort within 30 s")
            time.sleep(0.05)  # polling a file Chromium writes; the deadline above bounds it
        with open(port_file) as handle:
            port = int(handle.readline().strip())
        with urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port, timeout=10) as reply:
            targets = json.load(reply)
        pages = [t for t in targets if t.get("type") == "page"]
        if not pages:
            raise CheckFailed("chromium has no page target: %s" % targets)
        self.socket = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.call("Runtime.enable")
        self.call("Log.enable")
        self.call("Page.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=1280, height=800, deviceScaleFactor=1, mobile=False)

    def stop(self):
        if self.socket:
            try:
                self.socket.close()
            except Exception:
                pass
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)

    def call(self, method, **params):
        self.next_id += 1
        call_id = self.next_id
        self.socket.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise CheckFailed("%s failed: %s" % (method, message["error"]))
                return message.get("result", {})
            self.event(message)

    def event(self, message):
        method = message.get("method")
        params = message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
            self.errors.append("console.%s: %s" % (params["type"], text))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            description = details.get("exception", {}).get("description", "")
            self.errors.append("uncaught exception: %s %s (%s:%s)" % (details.get("text", ""), description,
                                                                      details.get("url", ""), details.get("lineNumber", "")))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            self.errors.append("browser log (%s): %s %s" % (entry.get("source"), entry.get("text"), entry.get("url", "")))

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise CheckFailed("evaluating %r threw: %s" % (expression[:80], result["exceptionDetails"]))
        return result.get("result", {}).get("value")

    def fail_on_errors(self, where):
        if self.errors:
            raise CheckFailed("JavaScript errors on %s:\n  %s" % (where, "\n  ".join(self.errors)))

    def wait_for(self, what, expression):
        """Polls `expression` until it is truthy; fails with its last value after the timeout."""
        deadline = time.monotonic() + self.timeout
        value = None
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            self.fail_on_errors("the page while waiting for " + what)
            if value and value is not None and (not isinstance(value, dict) or value.get("ok")):
                return value
            time.sleep(0.25)  # poll interval of the condition; the deadline bounds the wait
        raise CheckFailed("timed out after %d s waiting for %s; last state: %s" % (self.timeout, what, json.dumps(value)))

    def screenshot(self, path):
        metrics = self.call("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics.get("contentSize")
        height = max(800, min(int(size["height"]), 6000))
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1})
        with open(path, "wb") as handle:
            handle.write(base64.b64decode(shot["data"]))
        print("screenshot %s (%d bytes, 1280x%d)" % (path, os.path.getsize(path), height))


# Visible elements that hold text directly; any two (neither inside the other) whose boxes
# intersect by more than 2 px in both directions overlap.
OVERLAP_CHECK = r"""
(() => {
  const items = [];
  for (const e of document.querySelectorAll('body *')) {
    if (['SCRIPT', 'STYLE', 'title', 'TITLE', 'TEXTAREA', 'OPTION'].includes(e.tagName)) continue;
    const ownText = Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim() !== '');
    if (!ownText) continue;
    const style = getComputedStyle(e);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const r = e.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    items.push({ e, r });
  }
  const overlaps = [];
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i], b = items[j];
      if (a.e.contains(b.e) || b.e.contains(a.e)) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (w > 2 && h > 2) {
        const name = x => x.e.tagName.toLowerCase() + (x.e.id ? '#' + x.e.id : '') + (x.e.getAttribute('class') ? '.' + x.e.getAttribute('class').split(' ').join('.') : '') + ' "' + x.e.textContent.trim().slice(0, 40) + '"';
        overlaps.push(name(a) + ' overlaps ' + name(b) + ' by ' + Math.round(w) + 'x' + Math.round(h) + ' px');
      }
    }
  }
  return { count: items.length, overlaps: overlaps.slice(0, 10) };
})()
"""


def check_layout(browser, page):
    result = browser.evaluate(OVERLAP_CHECK)
    if result["count"] < 5:
        raise CheckFailed("%s page shows almost no text (%d text elements)" % (page, result["count"]))
    if result["overlaps"]:
        raise CheckFailed("text overlaps on the %s page:\n  %s" % (page, "\n  ".join(result["overlaps"])))
    width = browser.evaluate("document.documentElement.scrollWidth")
    if width > 1280:
        raise CheckFailed("the %s page is %d px wide: it must fit 1280 px without horizontal scrolling" % (page, width))
    print("%s page: %d text elements, no overlap, fits 1280 px" % (page, result["count"]))


def check_units(browser, page, selector, pattern, what):
    """Every element matching `selector` must match the JS regex `pattern`."""
    bad = browser.evaluate(
        "Array.from(document.querySelectorAll(%s)).map(e => e.textContent.trim()).filter(t => !(%s).test(t))"
        % (json.dumps(selector), pattern))
    count = browser.evaluate("document.querySelectorAll(%s).length" % json.dumps(selector))
    if count == 0:
        raise CheckFailed("%s page has no %s (%s)" % (page, what, selector))
    if bad:
        raise CheckFailed("%s page: %s without units: %s" % (page, what, bad[:10]))


def navigate(browser, url):
    browser.call("Page.navigate", url=url)


def run(base, out, job, timeout, expect_preview):
    os.makedirs(out, exist_ok=True)
    with urllib.request.urlopen(base + "/jobs/overview", timeout=10) as reply:
        jobs = json.load(reply)["jobs"]
    running = [j for j in jobs if j["state"] == "RUNNING" and (job is None or j["jid"] == job)]
    if not running:
        raise CheckFailed("no RUNNING job%s on %s: %s" % (" " + job if job else "", base, jobs))
    jid = running[0]["jid"]
    with urllib.request.urlopen(base + "/jobs/" + jid, timeout=10) as reply:
        vertices = len(json.load(reply)["vertices"])

    browser = Browser(timeout)
    try:
        browser.start()
        navigate(browser, base + "/#/overview")
        browser.wait_for("the overview with >= 2 TaskManagers and job " + jid, """
            (() => { const tm = document.getElementById('tm-count');
                     const job = Array.from(document.querySelectorAll('a.job-link')).some(a => a.title === %s);
                     return { ok: !!tm && Number(tm.textContent) >= 2 && job, taskmanagers: tm && tm.textContent, job }; })()
            """ % json.dumps(jid))
        check_layout(browser, "overview")
        browser.screenshot(os.path.join(out, "overview.png"))

        navigate(browser, base + "/#/jobs/" + jid)
        browser.wait_for("the job graph with %d nodes, a non-zero rate and a COMPLETED checkpoint%s"
                         % (vertices, " and sink preview rows" if expect_preview else ""), """
            (() => { const nodes = document.querySelectorAll('#graph g.node').length;
                     const rates = Array.from(document.querySelectorAll('#graph .node-rate')).map(t => t.textContent);
                     const completed = Array.from(document.querySelectorAll('#checkpoint-table tbody tr .badge.COMPLETED')).length;
                     const rows = Array.from(document.querySelectorAll('#sink-preview tbody tr')).filter(r => !r.querySelector('.empty')).length;
                     return { ok: nodes === %d && rates.some(r => /[1-9]/.test(r) && /\\/s$/.test(r)) && completed >= 1 && (rows > 0 || !%s),
                              nodes, rates, completed, previewRows: rows,
                              previewErrors: Array.from(document.querySelectorAll('#sink-preview .panel-error')).map(e => e.textContent) }; })()
            """ % (vertices, "true" if expect_preview else "false"))
        check_layout(browser, "job")
        rate = r"/^\d+(\.\d)?[kMG]?\/s$/"
        check_units(browser, "job", "#vertex-table td.rate", rate, "rate cells")
        check_units(browser, "job", "#graph .node-rate", rate, "graph rates")
        check_units(browser, "job", "#vertex-table td:nth-child(8), #vertex-table td:nth-child(9)", r"/^\d+(\.\d)? ?(B|kB|MB|GB|TB)$/", "byte cells")
        check_units(browser, "job", "#checkpoint-table tbody tr td:nth-child(4)", r"/^(\d+ ms|\d+\.\d s|\d+m \d\ds)$/", "checkpoint durations")
        browser.screenshot(os.path.join(out, "job.png"))

        navigate(browser, base + "/#/taskmanagers")
        browser.wait_for("the TaskManager table with >= 2 rows and their rates", """
            (() => { const rows = Array.from(document.querySelectorAll('#tm-table tbody tr')).filter(r => !r.querySelector('.empty'));
                     const rates = Array.from(document.querySelectorAll('#tm-table td.rate')).map(td => td.textContent);
                     return { ok: rows.length >= 2 && rates.every(r => /\\/s$/.test(r)), rows: rows.length, rates }; })()
            """)
        check_layout(browser, "taskmanagers")
        check_units(browser, "taskmanagers", "#tm-table td:nth-child(6)", r"/^\d+(\.\d)? ?(B|kB|MB|GB)$/", "RSS cells")
        check_units(browser, "taskmanagers", "#tm-table td:nth-child(7)", r"/^\d+(\.\d)? %$/", "CPU cells")
        browser.screenshot(os.path.join(out, "taskmanagers.png"))

        navigate(browser, base + "/#/submit")
        browser.wait_for("the submit form", "!!document.getElementById('spec-input')")
        check_layout(browser, "submit")
        browser.screenshot(os.path.join(out, "submit.png"))
        browser.fail_on_errors("the UI")
    finally:
        browser.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", help="the JobManager's REST/UI address, e.g. http://127.0.0.1:8081")
    parser.add_argument("out", help="directory for the screenshots")
    parser.add_argument("--job", help="the job to open (default: the first RUNNING job)")
    parser.add_argument("--timeout", type=float, default=90, help="seconds to wait for each page (default 90)")
    parser.add_argument("--expect-preview", action="store_true", help="also wait for rows in the sink preview")
    args = parser.parse_args()
    try:
        run(args.base.rstrip("/"), args.out, args.job, args.timeout, args.expect_preview)
    except CheckFailed as failure:
        print("UI check failed: %s" % failure, file=sys.stderr)
        return 1
    print("UI check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
