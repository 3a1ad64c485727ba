#!/usr/bin/env bash
# Rewrites README.md's operator reference (between its two markers) from `sluice kinds --markdown`,
# so the README says exactly what the spec parser accepts. KindReferenceTests fails while it is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
sluice="${SLUICE_BIN_DIR:?set SLUICE_BIN_DIR to the folder holding the sluice binary}/sluice"
reference="$("$sluice" kinds --markdown)"
REFERENCE="$reference" python3 - <<'PY'
import os, re
begin, end = "<!-- sluice kinds --markdown: begin -->", "<!-- sluice kinds --markdown: end -->"
text = open("README.md").read()
if begin not in text or end not in text:
    raise SystemExit("README.md lacks the markers " + begin + " / " + end)
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open("README.md", "w").write(head + begin + "\n\n" + os.environ["REFERENCE"].strip() + "\n\n" + end + tail)
print("README.md: operator reference rewritten from sluice kinds --markdown")
PY
