#!/usr/bin/env python3
"""Brute-force first-click attribution over the JSONL files of `sluice datagen --output-dir`.

An independent oracle for `make bench-flink` (DESIGN.md section 7): for every checkout
(user u, product p, time T) the click of u on p with the earliest time in [T - 1 h, T] (both
ends inclusive), ties to the smaller click_id (byte order); none -> no click. Every checkout
yields exactly one row. Event time only (the input's disorder is far below the 15 s the jobs
allow, so no event is late and the streaming result must equal this one).

Usage: reference.py INPUT_DIR OUTPUT.tsv [--window-ms 3600000]
Writes `checkout_id<TAB>click_id` lines, click_id `\\N` when none (PostgreSQL's text COPY format,
what compare.py reads).
"""
import argparse
import bisect
import calendar
import json
import os
import sys
import time


def millis(text):
    """'YYYY-MM-DD HH:MM:SS.mmm' (UTC) -> epoch milliseconds."""
    seconds = calendar.timegm(time.strptime(text[:19], "%Y-%m-%d %H:%M:%S"))
    fraction = text[20:23] if len(text) > 19 else ""
    return seconds * 1000 + (int(fraction.ljust(3, "0")) if fraction else 0)


def read_jsonl(path):
    with open(path, "rb") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError as error:
                    sys.exit("reference.py: %s line %d: %s" % (path, number, error))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--window-ms", type=int, default=3600000)
    args = parser.parse_args()

    # Timestamp strings repeat a lot (ms resolution): parse each distinct one once.
    cache = {}

    def event_time(text):
        value = cache.get(text)
        if value is None:
            value = cache[text] = millis(text)
        return value

    clicks = {}  # (user, product) -> [(time, click_id)], sorted afterwards
    for click in read_jsonl(os.path.join(args.input, "clicks.jsonl")):
        key = (click["user_id"], click["product_id"])
        # click_id compared as UTF-8 bytes, as Sluice does (identical to str order for ASCII ids).
        clicks.setdefault(key, []).append((event_time(click["datetime_occured"]), click["click_id"].encode()))
    for entries in clicks.values():
        entries.sort()
    times = {key: [t for t, _ in entries] for key, entries in clicks.items()}

    rows = attributed = 0
    with open(args.output, "w") as out:
        for checkout in read_jsonl(os.path.join(args.input, "checkouts.jsonl")):
            key = (checkout["user_id"], checkout["product_id"])
            checkout_time = event_time(checkout["datetime_occured"])
            click_id = None
            entries = clicks.get(key)
            if entries:
                # The first click at or after T - window (ties in time: the smallest id comes
                # first in the sorted list); it counts if it is not after T.
                index = bisect.bisect_left(times[key], checkout_time - args.window_ms)
                if index < len(entries) and entries[index][0] <= checkout_time:
                    click_id = entries[index][1].decode()
            out.write("%s\t%s\n" % (checkout["checkout_id"], click_id if click_id is not None else "\\N"))
            rows += 1
            attributed += click_id is not None
    print("reference: %d checkouts, %d attributed, %d without a click" % (rows, attributed, rows - attributed))


if __name__ == "__main__":
    main()
