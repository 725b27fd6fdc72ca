#!/usr/bin/env python3
"""Time fanout on one test file with many tests: the cost per test must stay flat.

Generates bench/out/one-file-N/tests/test_many.py with N grouped tests (a module-level
`pytestmark`, a group mark on each function, one class in ten tests) for each N in --counts,
then times, per N, in one run:

  fanout  `fanout matrix tests --backend json`, with its peak memory
  floor   `cat tests/test_many.py > /dev/null`

and prints seconds, microseconds per test and peak MiB. Linear time shows as a flat "us/test"
column. Also run by `bench.py --one-file COUNTS`. Python 3.11 stdlib only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from timing import timed, timed_peak

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def generate(dir: Path, count: int) -> Path:
    path = dir / "tests" / "test_many.py"
    if path.exists():
        return dir
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["import pytest", "", "pytestmark = pytest.mark.slow", ""]
    for i in range(count):
        if i % 10 == 0:
            lines += [f"class TestBlock{i}:", f"    @pytest.mark.group({i % 50})",
                      f"    def test_m{i}(self):", "        pass", ""]
        else:
            lines += [f"@pytest.mark.group({i % 50})", f"def test_f{i}():", "    pass", ""]
    path.write_text("\n".join(lines))
    return dir


def series(counts: list[int], fanout: Path, out: Path, runs: int) -> list[dict]:
    """One row per count: median fanout and floor seconds, run in turn, and fanout's peak MiB."""

    rows = []
    for count in counts:
        suite = generate(out / f"one-file-{count}", count)
        fanout_s, floor_s, peaks, stdout = [], [], [], ""
        for _ in range(runs):
            elapsed, proc, peak = timed_peak([str(fanout), "matrix", "tests", "--backend", "json"], suite)
            fanout_s.append(elapsed)
            peaks.append(peak)
            stdout = proc.stdout
            floor_s.append(timed("cat tests/test_many.py > /dev/null", suite, shell=True)[0])
        tests = sum(len(g["node_ids"]) for g in json.loads(stdout)["groups"])
        if tests != count:
            sys.exit(f"fanout listed {tests} tests, the generator wrote {count}")
        rows.append({"tests": count, "fanout_s": statistics.median(fanout_s),
                     "floor_s": statistics.median(floor_s), "fanout_peak_mib": statistics.median(peaks)})
    return rows


def print_table(rows: list[dict]) -> None:
    print("\none file: `fanout matrix tests --backend json` vs `cat tests/test_many.py > /dev/null`\n")
    print("| tests | fanout s | floor s | ratio | fanout us/test | fanout peak MiB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        f, c = r["fanout_s"], r["floor_s"]
        print(f"| {r['tests']:,} | {f:.3f} | {c:.4f} | {f / c:.0f}x | {f / r['tests'] * 1e6:.1f} "
              f"| {r['fanout_peak_mib']:.0f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", default="10000,20000,40000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fanout", type=Path, default=ROOT / "target" / "release" / "fanout")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    args = parser.parse_args()
    args.fanout = args.fanout.resolve()  # the commands run in the suite's folder
    counts = [int(c) for c in args.counts.split(",") if c.strip()]
    print_table(series(counts, args.fanout, args.out, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
