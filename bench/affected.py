#!/usr/bin/env python3
"""Benchmark `fanout affected` against plain git on the same range.

Times, in one run and on the same clone:

  fanout  `fanout affected --base REF --no-include-worktree` (merge base, tree diff with rename
          detection, collection of the test tree, the selection rules)
  git     `git merge-base REF HEAD` followed by `git diff --name-only -M BASE HEAD`

and prints the median of each and the ratio fanout / git. Clone a repository with a long history
first (never commit it), e.g. to /tmp/bench-repo, and pick a REF: a release branch far back makes
a large diff, `HEAD~N` a small one.

    python3 bench/affected.py --repo /tmp/bench-repo --ref HEAD~30 --runs 5
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def timed(cmd, cwd):
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - start, done


def git_range(repo, ref):
    start = time.perf_counter()
    base = subprocess.run(
        ["git", "merge-base", ref, "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    names = subprocess.run(
        ["git", "diff", "--name-only", "-M", base, "HEAD"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return time.perf_counter() - start, len(names)


def main():
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", required=True, type=Path)
    parser.add_argument("--ref", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fanout", type=Path, default=here.parent / "target/release/fanout")
    parser.add_argument("--paths", nargs="*", default=[], help="test paths for fanout")
    parser.add_argument(
        "--one-file",
        help="a small test file: `fanout affected` on it alone times the git side and the rules "
        "with a negligible collection (the selection step)",
    )
    args = parser.parse_args()
    fanout_cmd = [str(args.fanout), "affected", "--base", args.ref, "--no-include-worktree", *args.paths]
    commits = subprocess.run(
        ["git", "rev-list", "--count", "HEAD"], cwd=args.repo, capture_output=True, text=True
    ).stdout.strip()
    # Warm-up: the page cache, so both sides read from memory.
    git_range(args.repo, args.ref)
    _, done = timed(fanout_cmd, args.repo)
    if done.returncode not in (0, 1):
        sys.exit(f"fanout failed ({done.returncode}):\n{done.stderr}")
    summary = next((l for l in done.stdout.splitlines() if l.startswith("changes since")), "?")
    step_cmd = fanout_cmd[:5] + [args.one_file] if args.one_file else None
    fanout_times, git_times, step_times = [], [], []
    for _ in range(args.runs):
        t, _ = timed(fanout_cmd, args.repo)
        fanout_times.append(t)
        if step_cmd:
            t, _ = timed(step_cmd, args.repo)
            step_times.append(t)
        t, count = git_range(args.repo, args.ref)
        git_times.append(t)
    f, g = statistics.median(fanout_times), statistics.median(git_times)
    print(f"repository: {args.repo} ({commits} commits), range {args.ref}...HEAD")
    print(f"fanout: {summary}")
    print(f"git:    {count} changed paths")
    print(f"fanout affected          median {f * 1000:8.1f} ms")
    print(f"git merge-base + diff    median {g * 1000:8.1f} ms")
    if step_times:
        s = statistics.median(step_times)
        print(f"fanout affected {args.one_file}  median {s * 1000:8.1f} ms (the selection step)")
        print(f"ratio selection step / git: {s / g:.2f}")
    print(f"ratio fanout / git: {f / g:.2f}")


if __name__ == "__main__":
    main()
