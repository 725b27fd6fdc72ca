#!/usr/bin/env python3
"""Time fanout on one test file with many tests: the cost per test must stay flat.

Generates bench/out/one-file-N/tests/test_many.py with N grouped tests (a module-level
`pytestmark`, a group mark on each function, one class in ten tests) for each N in --counts,
then times, per N, in one run:

  fanout  `fanout matrix tests --backend json`
  floor   `cat tests/test_many.py > /dev/null`

and prints seconds and microseconds per test. Linear time shows as a flat "us/test" column.
Python 3.11 stdlib only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

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


def timed(cmd: list[str] | str, cwd: Path, shell: bool = False) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, shell=shell, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {cmd}\n{proc.stderr[-2000:]}")
    return elapsed, proc.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", default="10000,20000,40000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fanout", type=Path, default=ROOT / "target" / "release" / "fanout")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    args = parser.parse_args()
    print("| tests | fanout s | floor s | ratio | fanout us/test |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for count in (int(c) for c in args.counts.split(",")):
        suite = generate(args.out / f"one-file-{count}", count)
        fanout, floor, out = [], [], ""
        for _ in range(args.runs):
            elapsed, out = timed([str(args.fanout), "matrix", "tests", "--backend", "json"], suite)
            fanout.append(elapsed)
            floor.append(timed("cat tests/test_many.py > /dev/null", suite, shell=True)[0])
        tests = sum(len(g["node_ids"]) for g in json.loads(out)["groups"])
        if tests != count:
            sys.exit(f"fanout listed {tests} tests, the generator wrote {count}")
        f, c = statistics.median(fanout), statistics.median(floor)
        print(f"| {count:,} | {f:.3f} | {c:.4f} | {f / c:.0f}x | {f / count * 1e6:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
