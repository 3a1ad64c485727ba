#!/usr/bin/env python3
"""Compares two sets of attribution rows: checkout_id -> click_id (or NULL).

Usage: compare.py EXPECTED ACTUAL [--expected-name NAME] [--actual-name NAME]

EXPECTED and ACTUAL are each a file or a folder (every regular file in it is read, except hidden
ones: Flink's filesystem sink writes committed `part-…` files, and `.part-…` ones while in
progress, which do not count). Formats, told apart per line:
  - PostgreSQL's text COPY (`psql -c "\\copy (SELECT checkout_id, click_id FROM
    commerce.attributed_checkouts) TO 'FILE'"`): tab-separated, NULL = \\N;
  - CSV (Flink's csv format, reference.py with a .csv name): comma-separated, the first two
    fields checkout_id, click_id, NULL = empty field.
Prints the counts of equal / missing (in EXPECTED only) / extra (in ACTUAL only) / different
(same checkout, other click) rows, and duplicates (a checkout twice in one side), with a few
examples of each; exits 1 on any difference, 2 on unreadable input.
"""
import argparse
import csv
import os
import sys


def files(path):
    if os.path.isdir(path):
        names = sorted(os.listdir(path))
        return [os.path.join(path, n) for n in names
                if not n.startswith((".", "_")) and os.path.isfile(os.path.join(path, n))]
    if os.path.isfile(path):
        return [path]
    sys.stderr.write("compare.py: %s is neither a file nor a folder\n" % path)
    sys.exit(2)


def parse_line(line):
    """(checkout_id, click_id or None) of one line, or None for a blank one."""
    line = line.rstrip("\r\n")
    if not line:
        return None
    if "\t" in line:
        fields = line.split("\t")
        click = fields[1] if len(fields) > 1 else "\\N"
        return fields[0], (None if click == "\\N" else click)
    fields = next(csv.reader([line]))
    click = fields[1] if len(fields) > 1 else ""
    return fields[0], (click or None)


def load(path, name):
    rows, duplicates = {}, []
    for file in files(path):
        with open(file, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                try:
                    row = parse_line(line)
                except (csv.Error, StopIteration) as error:
                    sys.stderr.write("compare.py: %s line %d: %s\n" % (file, number, error))
                    sys.exit(2)
                if row is None:
                    continue
                checkout, click = row
                if checkout in ("checkout_id",) and number == 1:
                    continue  # a header line
                if checkout in rows:
                    duplicates.append(checkout)
                rows[checkout] = click
    if not rows:
        sys.stderr.write("compare.py: %s (%s) holds no rows\n" % (name, path))
    return rows, duplicates


def show(title, examples):
    for example in examples[:5]:
        print("  %s: %s" % (title, example))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("expected")
    parser.add_argument("actual")
    parser.add_argument("--expected-name", default="expected")
    parser.add_argument("--actual-name", default="actual")
    args = parser.parse_args()
    expected, expected_duplicates = load(args.expected, args.expected_name)
    actual, actual_duplicates = load(args.actual, args.actual_name)

    equal = [c for c in expected if c in actual and actual[c] == expected[c]]
    missing = [c for c in expected if c not in actual]
    extra = [c for c in actual if c not in expected]
    different = ["%s: %s %s, %s %s" % (c, args.expected_name, expected[c] or "NULL", args.actual_name, actual[c] or "NULL")
                 for c in expected if c in actual and actual[c] != expected[c]]
    attributed = sum(1 for c in equal if expected[c] is not None)
    print("compare %s (%d rows) with %s (%d rows): %d equal (%d attributed, %d NULL), %d missing, %d extra, "
          "%d different, %d duplicate" % (
              args.expected_name, len(expected), args.actual_name, len(actual), len(equal), attributed,
              len(equal) - attributed, len(missing), len(extra), len(different),
              len(expected_duplicates) + len(actual_duplicates)))
    show("missing in " + args.actual_name, missing)
    show("extra in " + args.actual_name, extra)
    show("different", different)
    show("duplicate in " + args.expected_name, expected_duplicates)
    show("duplicate in " + args.actual_name, actual_duplicates)
    ok = expected and not (missing or extra or different or expected_duplicates or actual_duplicates)
    print("compare: %s" % ("the same rows" if ok else "DIFFERENT"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
