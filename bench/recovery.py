#!/usr/bin/env python3
"""Recovery time of the attribution job after a TaskManager is SIGKILLed (make bench, part 6).

Usage: recovery.py REST_URL JOB_ID POSTGRES_URL KILLS

For each kill: waits until the job runs every task and a checkpoint completed since the last
recovery, SIGKILLs a TaskManager that hosts tasks (a spare one stays free), then measures
  running:   kill -> job RUNNING again with every task RUNNING (new attempt)
  first row: kill -> the row count of commerce.attributed_checkouts grows again
and restarts the killed TaskManager with cluster.sh. Prints one TSV line per kill:
  kill<TAB>running_ms<TAB>first_row_ms
"""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

rest, job, pg, kills = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def get(path):
    with urllib.request.urlopen(rest + path, timeout=5) as reply:
        return json.load(reply)


def rows():
    out = subprocess.run(["psql", "-tA", pg, "-c", "SELECT count(*) FROM commerce.attributed_checkouts"],
                         capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def wait(what, condition, timeout=120, interval=0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    sys.exit(f"recovery bench: timed out waiting for {what}")


def running(min_attempt):
    details = get(f"/jobs/{job}")
    counts = details.get("status-counts", {})
    if details["state"] == "FAILED":
        sys.exit(f"recovery bench: the job failed: {details.get('failure-cause')}")
    return details["state"] == "RUNNING" and details["attempt"] >= min_attempt and counts.get("running") == counts.get("total")


def latest_checkpoint():
    latest = get(f"/jobs/{job}/checkpoints")["latest"]["completed"]
    return latest["id"] if latest else 0


def busy_taskmanager():
    """A TaskManager that runs tasks of the job (fewer free slots than slots): its pid."""
    for tm in get("/taskmanagers")["taskmanagers"]:
        if tm["freeSlots"] < tm["slotsNumber"]:
            return tm["pid"]
    return None


attempt = get(f"/jobs/{job}")["attempt"]
for kill in range(1, kills + 1):
    wait("the job to run every task", lambda: running(attempt))
    checkpoint = latest_checkpoint()
    wait("a new completed checkpoint", lambda: latest_checkpoint() > checkpoint, interval=0.1)
    pid = wait("a TaskManager with tasks", busy_taskmanager, interval=0.2)
    killed_at = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    wait("the failover to start", lambda: get(f"/jobs/{job}")["attempt"] > attempt, interval=0.005)
    attempt = get(f"/jobs/{job}")["attempt"]
    wait("the job to run again", lambda: running(attempt), interval=0.005)
    running_ms = (time.monotonic() - killed_at) * 1000
    before = rows()
    wait("a new committed row", lambda: rows() > before, interval=0.02)
    first_row_ms = (time.monotonic() - killed_at) * 1000
    print(f"{kill}\t{running_ms:.0f}\t{first_row_ms:.0f}", flush=True)
    subprocess.run(["bash", "cluster/cluster.sh", "up"], check=True, stdout=subprocess.DEVNULL)
