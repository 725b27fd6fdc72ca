"""Generated suites kept between runs (bench.py and packages.py): a suite is written once under
its folder with a manifest, and reused while the manifest's key (generator, size, seed, shape)
matches. Every suite is a git repository with all of it committed, as a CI checkout is: fanout
reads the git index there (it collects tracked files even where `.gitignore` would skip them),
and a tree outside any repository would leave that work out of the figures."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path


def reuse(suite: Path, key: dict) -> dict | None:
    """The suite's manifest, with its folder, when the suite there was generated with `key`."""
    manifest_path = suite / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("key") == key:
            checkout(suite)
            return {**manifest, "dir": suite}
    return None


def checkout(suite: Path) -> None:
    """Makes `suite` a git repository with everything in one commit, unless it is one."""
    if (suite / ".git").exists():
        return
    if shutil.which("git") is None:
        print(f"note: no git: {suite} is timed outside a repository, unlike a CI checkout", file=sys.stderr)
        return
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
           "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "generated suite"]):
        subprocess.run(git + args, cwd=suite, check=True, capture_output=True)


def fresh(suite: Path) -> tuple[Path, float]:
    """An empty `tests/integration` under `suite` (what was there is removed), and the time the
    generation started."""
    start = time.perf_counter()
    if suite.exists():
        shutil.rmtree(suite)
    integration = suite / "tests" / "integration"
    integration.mkdir(parents=True)
    return integration, start


def save(suite: Path, key: dict, start: float, files: int, functions: int | None,
         tests: int) -> dict:
    """Writes the manifest of a suite just generated; returns it, with the suite's folder."""
    manifest = {"key": key, "files": files, "functions": functions, "tests": tests}
    (suite / "manifest.json").write_text(json.dumps(manifest) + "\n")
    checkout(suite)
    print(f"generated {files} files in {suite} ({time.perf_counter() - start:.1f}s)", file=sys.stderr)
    return {**manifest, "dir": suite}
