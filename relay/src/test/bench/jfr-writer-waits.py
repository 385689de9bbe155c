#!/usr/bin/env python3
"""Where a relay's writer thread waits: sums the jdk.ThreadPark and jdk.ThreadSleep events of the
soulgraph-writer thread in a JFR recording by the step of the commit they belong to (the first
frame of a known step in the stack), so the time a group commit spends on each kind of Cassandra
round trip shows. Record with run-cql-bench.sh's BENCH_JFR and a .jfc whose jdk.ThreadPark
threshold is low (1 ms): the profile setting's 10 ms hides most round trips on an idle node.

Usage: jfr-writer-waits.py <recording.jfr> [more.jfr ...]
"""
import json
import subprocess
import sys
from collections import defaultdict

# The first of these found in a waiting stack (innermost first) names the step.
STEPS = [
    ("ConsistentKeyLocker.writeSingleLock", "lock claim write"),
    ("ConsistentKeyLocker.checkSingleLock", "lock claim check (wait-time, claim read)"),
    ("ConsistentKeyLocker.deleteSingleLock", "lock claim delete"),
    ("ExpectedValueCheckingTransaction.checkSingleExpectedValue", "expected-value read"),
    ("ExpectedValueCheckingTransaction.checkAllExpectedValues", "expected-value read"),
    ("StandardJanusGraph.commit", "mutations (commit)"),
    ("SharedSchema", "schema declaration"),
    ("BatchLoader", "fresh reads of the batch's souls"),
    ("GroupCommitter.pauseBeforeRetry", "pause before a retry"),
    ("GroupCommitter.gather", "waiting for puts (idle)"),
    ("GroupCommitter.takeMore", "waiting for puts (idle)"),
]


def step(frames):
    for frame in frames:
        method = frame.get("method", {})
        name = method.get("type", {}).get("name", "") + "." + method.get("name", "")
        for marker, label in STEPS:
            if marker in name:
                return label
    top = frames[0]["method"] if frames else {}
    return "other: " + top.get("type", {}).get("name", "?") + "." + top.get("name", "?")


def seconds(duration):
    # JFR's JSON durations look like "PT0.012345S"
    return float(duration[2:-1]) if duration.startswith("PT") and duration.endswith("S") else 0.0


def main(paths):
    for path in paths:
        out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events",
                              "jdk.ThreadPark,jdk.ThreadSleep",
                              path], check=True, capture_output=True, text=True).stdout
        events = json.loads(out)["recording"]["events"]
        totals, counts = defaultdict(float), defaultdict(int)
        for event in events:
            values = event["values"]
            thread = (values.get("eventThread") or {}).get("javaName") or ""
            if not thread.startswith("soulgraph-writer") or thread.endswith("-deadlines"):
                continue
            frames = (values.get("stackTrace") or {}).get("frames") or []
            label = step(frames)
            totals[label] += seconds(values.get("duration", "PT0S"))
            counts[label] += 1
        print(path)
        total = sum(totals.values()) or 1
        for label, secs in sorted(totals.items(), key=lambda kv: -kv[1]):
            print(f"  {secs:8.1f} s  {100 * secs / total:5.1f} %  {counts[label]:7d} waits  {label}")


if __name__ == "__main__":
    main(sys.argv[1:])
