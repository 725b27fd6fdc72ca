"""Timing helpers shared by bench.py and one_file.py: wall time, and peak memory from GNU time."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

GNU_TIME = "/usr/bin/time"


def timed(cmd: list[str] | str, cwd: Path, env: dict[str, str] | None = None,
          shell: bool = False, expect: int = 0) -> tuple[float, subprocess.CompletedProcess]:
    """Wall seconds and the finished process, which must exit with `expect`."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, shell=shell, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != expect:
        sys.exit(f"failed ({proc.returncode}): {cmd}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed, proc


def timed_peak(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess, float]:
    """Wall seconds, the finished process, and its peak resident memory in MiB, from GNU time
    (`/usr/bin/time -f %M`). A child started by this Python process itself would report at least
    this process's own peak: Linux carries the high-water mark of the forking process over exec."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "maxrss"
        start = time.perf_counter()
        proc = subprocess.run([GNU_TIME, "-f", "%M", "-o", str(report), *cmd], cwd=cwd,
                              capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"failed ({proc.returncode}): {cmd}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        return elapsed, proc, int(report.read_text().split()[-1]) / 1024
