#!/usr/bin/env python3
"""Prints the markdown table of retort/raw pairs from a Google Benchmark JSON file.

    python3 benchmarks/ratios.py build/bench/results.json [--stat best|median|mean]

Benchmarks are named `<workload>/retort` and `<workload>/raw` (Google Benchmark may append
/iterations:N, /real_time and the like); each reports items per second. The ratio is retort's
throughput over the raw C API's: 1.00 means no overhead, 0.90 means retort does 10% fewer
items per second.

With --benchmark_repetitions=N each benchmark has N runs. By default the best run (the most
items per second) stands for it: on a shared machine, interference only ever slows a run
down, so the fastest run is the least disturbed one. --stat median or --stat mean instead.
A workload that errored or lacks a twin shows a dash.
"""

import argparse
import json
import statistics
import sys

STATS = {"best": max, "median": statistics.median, "mean": statistics.mean}


def split_name(name):
    """("sqlite_scan_100k", "retort") from "sqlite_scan_100k/retort/real_time"; (name, None)
    for names that are not one of a pair."""
    parts = name.split("/")
    for i, part in enumerate(parts):
        if i > 0 and part in ("retort", "raw"):
            return "/".join(parts[:i]), part
    return name, None


def throughputs(data, stat):
    """[(name, items/s or None)] in registration order (even when the runs were interleaved)."""
    runs, errors, order = {}, set(), {}
    for b in data.get("benchmarks", []):
        name = b.get("run_name") or b["name"]
        order.setdefault(name, (b.get("family_index", len(order)), len(order)))
        if b.get("error_occurred"):
            errors.add(name)
        elif b.get("run_type", "iteration") == "iteration" and "items_per_second" in b:
            runs.setdefault(name, []).append(b["items_per_second"])
    return [
        (name, None if name in errors or name not in runs else STATS[stat](runs[name]), len(runs.get(name, [])))
        for name in sorted(order, key=order.get)
    ]


def fmt_rate(v):
    if v is None:
        return "-"
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if v >= scale:
            return f"{v / scale:.2f}{unit}"
    return f"{v:.1f}"


def table(data, stat="best"):
    pairs = {}  # workload -> {"retort": items/s, "raw": items/s}
    runs = 0
    for name, rate, n in throughputs(data, stat):
        workload, twin = split_name(name)
        if twin is not None:
            pairs.setdefault(workload, {})[twin] = rate
            runs = max(runs, n)
    lines = [
        "| workload | retort items/s | raw items/s | retort/raw |",
        "|---|---:|---:|---:|",
    ]
    for workload, twins in pairs.items():
        retort, raw = twins.get("retort"), twins.get("raw")
        ratio = f"{retort / raw:.2f}" if retort and raw else "-"
        lines.append(f"| {workload} | {fmt_rate(retort)} | {fmt_rate(raw)} | {ratio} |")
    return "\n".join(lines), runs


def main(argv):
    parser = argparse.ArgumentParser(description="retort/raw ratios from Google Benchmark JSON")
    parser.add_argument("results", help="the file written by --benchmark_out (JSON format)")
    parser.add_argument("--stat", choices=sorted(STATS), default="best",
                        help="how repetitions combine (default: best)")
    args = parser.parse_args(argv[1:])
    with open(args.results, encoding="utf-8") as f:
        data = json.load(f)
    text, runs = table(data, args.stat)
    ctx = data.get("context", {})
    notes = []
    if ctx.get("num_cpus"):
        notes.append(f"{ctx['num_cpus']} CPUs" +
                     (f" @ {ctx['mhz_per_cpu']} MHz" if ctx.get("mhz_per_cpu") else ""))
    if runs > 1:
        notes.append(f"{args.stat} of {runs} repetitions")
    if notes:
        print("Machine: " + ", ".join(notes) + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
