#!/usr/bin/env python3
"""Benchmark fanout against the pytest collection it replaces.

Generates synthetic charm-style integration suites (50, 1,000 and 20,000 test files by default)
under bench/out/, then times, per size:

  pytest  `python -m pytest --collect-only -q --collect-groups -p no:cacheprovider`, with the
          suite's conftest.py implementing the original `--collect-groups` tooling; warmed once
          so .pyc files exist
  fanout  `fanout matrix tests/integration --backend json`
  floor   reading the same .py files and nothing else:
          `find tests -name '*.py' -print0 | xargs -0 cat > /dev/null`
  parse   reading and parsing them with ruff's parser on all cores, as fanout does, and nothing
          else (crates/pytest/examples/parse_floor.rs; timed when built:
          `cargo build --release -p fanout-pytest --example parse_floor`)
  none    fanout on the same files under a config in which no name is a test
          (`-c no-tests.ini --rootdir .`, `python_functions = nomatch`): the walk, read and
          parse, CPython's checks, namespaces and imports, everything fanout does before it
          lists a test; it ends in a `no-tests` error, and its time is the yardstick for what
          listing the tests, grouping them and writing the jobs cost

with fanout's peak memory (the largest resident set of its process, from GNU time), and checks that
fanout and pytest agree on the (file, group) jobs. `--tests-per-file N` writes N test functions
per module instead of 3 to 8; `--shape packages` generates package-shaped trees instead
(bench/packages.py); `--one-file` adds bench/one_file.py's one-module series.
Python 3.11 stdlib only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
from pathlib import Path

import one_file
import packages
import suite_cache
from timing import GNU_TIME, timed, timed_peak

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
GENERATOR_VERSION = 2
FLOOR_COMMAND = "find tests -name '*.py' -print0 | xargs -0 cat > /dev/null"
FILES_PER_DIR = 200
# A config under which fanout reads and parses every test file and finds no test in any.
NO_TESTS_INI = "[pytest]\npython_functions = nomatch\npython_classes = Nomatch\n"

TOPICS = ["charm", "upgrade", "scaling", "backup", "tls", "relations", "ha", "config",
          "actions", "cos", "storage", "network", "secrets", "s3", "ldap", "replication"]
STR_IDS = ["smoke", "ha", "tls", "AWS", "backup", "upgrade", "large", "arm64"]
RUNNERS = ['["self-hosted", "linux", "X64", "large"]', '["ubuntu-22.04"]']


def main() -> int:
    args = parse_args()
    rows = []
    for size in args.sizes:
        per_file = args.tests_per_file
        name = f"suite-{size}" if per_file is None else f"suite-{size}x{per_file}"
        if args.shape == "packages":
            suite = packages.generate(args.out / f"packages-{name.removeprefix('suite-')}", size,
                                      args.seed, per_file)
        else:
            suite = generate(args.out / name, size, args.seed, per_file)
        runs = args.runs if args.runs is not None else (1 if size >= 20_000 else 3)
        row = {"files": size, "tests": suite["tests"], "functions": suite["functions"], "runs": runs,
               "tests_per_file": per_file, "shape": args.shape}
        print(f"## {size} files: {suite['tests']} tests", file=sys.stderr)
        if args.skip_pytest:
            row["pytest_s"], pytest_jobs = None, None
        else:
            row["pytest_s"], pytest_jobs, collected = time_pytest(args.python, suite["dir"], runs)
            if collected != suite["tests"]:
                print(f"warning: pytest collected {collected} tests, the generator wrote {suite['tests']}", file=sys.stderr)
        if args.skip_fanout:
            row["floor_s"] = time_floor(suite["dir"], runs)
            row["fanout_s"], row["fanout_peak_mib"], fanout_jobs = None, None, None
            row["parse_s"] = row["none_s"] = None
        else:
            (row["fanout_s"], row["floor_s"], row["parse_s"], row["none_s"], row["fanout_peak_mib"],
             fanout_jobs) = time_fanout(args.fanout, args.parse_floor, suite["dir"], runs)
        row["pytest_jobs"] = None if pytest_jobs is None else len(pytest_jobs)
        row["fanout_jobs"] = None if fanout_jobs is None else len(fanout_jobs)
        row["agree"] = (None if fanout_jobs is None or pytest_jobs is None
                        else check_agreement(size, pytest_jobs, fanout_jobs))
        rows.append(row)
    print_table(rows, args)
    one_file_rows = one_file.series(args.one_file, args.fanout, args.out, args.runs or 3) if args.one_file else []
    if one_file_rows:
        one_file.print_table(one_file_rows)
    if args.json:
        args.json.write_text(json.dumps({"floor": FLOOR_COMMAND, "parse_floor": str(args.parse_floor),
                                         "python": str(args.python),
                                         "fanout": str(args.fanout), "rows": rows,
                                         "one_file": one_file_rows}, indent=2) + "\n")
    return 1 if any(row["agree"] is False for row in rows) else 0


def parse_args() -> argparse.Namespace:
    venv_python = ROOT / "target" / "pytest-venv-9.2.0" / "bin" / "python"
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="50,1000,20000",
                        type=lambda s: [int(n) for n in s.split(",") if n.strip()],
                        help="comma-separated numbers of test files (default: 50,1000,20000)")
    parser.add_argument("--runs", type=int, default=None,
                        help="timed runs per measurement, median reported (default: 3; 1 for 20,000+ files)")
    parser.add_argument("--python", type=Path, default=venv_python if venv_python.exists() else Path("python3"),
                        help="python with pytest installed (default: the test oracle's venv if built, else python3)")
    parser.add_argument("--fanout", type=Path, default=ROOT / "target" / "release" / "fanout",
                        help="fanout binary (default: target/release/fanout)")
    parser.add_argument("--parse-floor", type=Path, default=ROOT / "target" / "release" / "examples" / "parse_floor",
                        help="the parse floor binary (default: target/release/examples/parse_floor; not timed "
                             "when absent)")
    parser.add_argument("--skip-fanout", action="store_true", help="time pytest and the floors only")
    parser.add_argument("--skip-pytest", action="store_true",
                        help="time fanout and the floor only (pytest takes minutes on the largest suites)")
    parser.add_argument("--tests-per-file", type=int, default=None,
                        help="test functions per module (default: 3 to 8 at random); the suite goes to "
                             "suite-FILESxN")
    parser.add_argument("--one-file", default="",
                        type=lambda s: [int(n) for n in s.split(",") if n.strip()],
                        help="also time one module with each of these numbers of tests (bench/one_file.py)")
    parser.add_argument("--shape", choices=["flat", "packages"], default="flat",
                        help="flat: self-contained modules, every group mark on its function (the default, "
                             "as earlier figures); packages: packages with __init__.py, conftests and helpers "
                             "the tests import, class and module pytestmark, `from pytest import mark` "
                             "(bench/packages.py)")
    parser.add_argument("--out", type=Path, default=BENCH / "out", help="where suites are generated")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    args.fanout = args.fanout.resolve()  # the commands run in the suites' folders
    args.parse_floor = args.parse_floor.resolve() if args.parse_floor.exists() else None
    if args.parse_floor is None:
        print("note: no parse floor binary: `cargo build --release -p fanout-pytest --example parse_floor` "
              "to time it", file=sys.stderr)
    if not args.skip_fanout and not args.fanout.exists():
        parser.error(f"no fanout binary at {args.fanout}: `cargo build --release`, or pass --skip-fanout")
    if not args.skip_fanout and not Path(GNU_TIME).exists():
        parser.error(f"no GNU time at {GNU_TIME} (it measures fanout's peak memory): install `time`")
    return args


# --- timing -----------------------------------------------------------------------------------

def time_pytest(python: Path, suite: Path, runs: int) -> tuple[float, set[tuple[str, str]], int]:
    """Median seconds, the (file, group) jobs, and the number of tests pytest reports."""
    cmd = [str(python), "-m", "pytest", "--collect-only", "-q", "--collect-groups", "-p", "no:cacheprovider"]
    times, jobs = [], set()
    with tempfile.TemporaryDirectory() as tmp:
        github_output = Path(tmp) / "github_output"
        env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "PYTHONDONTWRITEBYTECODE")}
        env["GITHUB_OUTPUT"] = str(github_output)
        for i in range(runs + 1):  # the first run writes the .pyc files and is not counted
            github_output.write_text("")
            elapsed, proc = timed(cmd, suite, env)
            if i:
                times.append(elapsed)
        line = github_output.read_text().strip()
        groups = json.loads(line.removeprefix("groups="))
        jobs = {(g["path_to_test_file"], str(g["group_id"])) for g in groups}
    collected = re.search(r"(\d+) tests? collected", proc.stdout)
    return statistics.median(times), jobs, int(collected.group(1)) if collected else -1


def time_fanout(fanout: Path, parse_floor: Path | None, suite: Path,
                runs: int) -> tuple[float, float, float | None, float, float, set[tuple[str, str]]]:
    """Median seconds of fanout, of the read floor, of the parse floor and of fanout listing no
    test (run in turn, so all see the same machine), fanout's median peak MiB, and its (file,
    group) jobs."""
    cmd = [str(fanout), "matrix", "tests/integration", "--backend", "json"]
    timed(FLOOR_COMMAND, suite, shell=True)  # warms the page cache
    times, floor, parse, none, peaks, out = [], [], [], [], [], ""
    with tempfile.TemporaryDirectory() as tmp:
        no_tests = Path(tmp) / "no-tests.ini"
        no_tests.write_text(NO_TESTS_INI)
        none_cmd = cmd + ["-c", str(no_tests), "--rootdir", "."]
        for _ in range(runs):
            elapsed, proc, peak = timed_peak(cmd, suite)
            times.append(elapsed)
            peaks.append(peak)
            out = proc.stdout
            floor.append(timed(FLOOR_COMMAND, suite, shell=True)[0])
            if parse_floor is not None:
                parse.append(timed([str(parse_floor), "tests"], suite)[0])
            elapsed, proc = timed(none_cmd, suite, expect=1)
            if "error[no-tests]" not in proc.stderr:
                raise SystemExit(f"fanout listed tests under {NO_TESTS_INI!r}:\n{proc.stderr[-2000:]}")
            none.append(elapsed)
    doc = json.loads(out)
    jobs = {(normalize(g["path_to_test_file"], suite), str(g["group_id"])) for g in doc["groups"]}
    return (statistics.median(times), statistics.median(floor),
            statistics.median(parse) if parse else None, statistics.median(none),
            statistics.median(peaks), jobs)


def time_floor(suite: Path, runs: int) -> float:
    timed(FLOOR_COMMAND, suite, shell=True)
    return statistics.median(timed(FLOOR_COMMAND, suite, shell=True)[0] for _ in range(runs))


def normalize(path: str, suite: Path) -> str:
    p = Path(path)
    return (p.relative_to(suite) if p.is_absolute() else p).as_posix()


def check_agreement(size: int, pytest_jobs: set, fanout_jobs: set) -> bool:
    if len(pytest_jobs) != len(fanout_jobs):
        print(f"\n!!!!! MISMATCH at {size} files: pytest finds {len(pytest_jobs)} (file, group) jobs, "
              f"fanout {len(fanout_jobs)} !!!!!", file=sys.stderr)
        for job in sorted(pytest_jobs - fanout_jobs)[:5]:
            print(f"  only pytest: {job}", file=sys.stderr)
        for job in sorted(fanout_jobs - pytest_jobs)[:5]:
            print(f"  only fanout: {job}", file=sys.stderr)
        return False
    if pytest_jobs != fanout_jobs:
        print(f"warning: at {size} files the job counts agree ({len(pytest_jobs)}) but the jobs differ, "
              f"e.g. pytest {sorted(pytest_jobs - fanout_jobs)[:1]} vs fanout {sorted(fanout_jobs - pytest_jobs)[:1]}",
              file=sys.stderr)
    return True


def print_table(rows: list[dict], args: argparse.Namespace) -> None:
    def num(x: float | None, fmt: str = ".3f") -> str:
        return "-" if x is None else format(x, fmt)

    def ratio(a: float | None, b: float | None) -> str:
        return "-" if a is None or not b else f"{a / b:.1f}x"

    print(f"\npytest: `{args.python} -m pytest --collect-only -q --collect-groups -p no:cacheprovider`")
    print(f"fanout: `{args.fanout} matrix tests/integration --backend json`")
    print(f"floor: `{FLOOR_COMMAND}` (a process that only reads the files)")
    print(f"parse: `{args.parse_floor or 'parse_floor (not built)'} tests` (reads and parses the files on all cores)")
    print("none: fanout with `-c no-tests.ini --rootdir .`, a config under which no name is a test "
          "(all it does before listing tests)")
    print("times: median wall-clock seconds\n")
    print("| files | tests | jobs | pytest s | fanout s | floor s | parse s | none s | pytest/fanout | fanout/floor "
          "| parse/floor | fanout/parse | none/parse | fanout/none | fanout peak MiB |")
    print("|------:|------:|-----:|---------:|---------:|--------:|--------:|-------:|--------------:|-------------:"
          "|------------:|-------------:|-----------:|------------:|----------------:|")
    for r in rows:
        files = f"{r['files']:,}" if r["tests_per_file"] is None else f"{r['files']:,} x {r['tests_per_file']}"
        if r.get("shape") == "packages":
            files += " packages"
        jobs = r["pytest_jobs"] if r["pytest_jobs"] is not None else r["fanout_jobs"]
        jobs = str(jobs) if r["agree"] is not False else f"{r['pytest_jobs']} != {r['fanout_jobs']} MISMATCH"
        print(f"| {files} | {r['tests']:,} | {jobs} | {num(r['pytest_s'])} | {num(r['fanout_s'])} "
              f"| {num(r['floor_s'])} | {num(r['parse_s'])} | {num(r.get('none_s'))} "
              f"| {ratio(r['pytest_s'], r['fanout_s'])} "
              f"| {ratio(r['fanout_s'], r['floor_s'])} | {ratio(r['parse_s'], r['floor_s'])} "
              f"| {ratio(r['fanout_s'], r['parse_s'])} | {ratio(r.get('none_s'), r['parse_s'])} "
              f"| {ratio(r['fanout_s'], r.get('none_s'))} | {num(r['fanout_peak_mib'], '.0f')} |")


# --- generation ---------------------------------------------------------------------------------

def generate(suite: Path, size: int, seed: int, tests_per_file: int | None = None) -> dict:
    """Writes the suite unless an identical one is there; returns its manifest. `tests_per_file`
    fixes the number of test functions per module (default: 3 to 8 at random)."""
    key = {"generator": GENERATOR_VERSION, "size": size, "seed": seed}
    if tests_per_file is not None:
        key["tests_per_file"] = tests_per_file
    if (kept := suite_cache.reuse(suite, key)) is not None:
        return kept
    integration, start = suite_cache.fresh(suite)
    (suite / "pyproject.toml").write_text(PYPROJECT)
    (integration / "conftest.py").write_text(CONFTEST)
    (integration / "helpers.py").write_text(HELPERS)
    rng = random.Random(seed * 1_000_003 + size)
    tests = functions = 0
    for i in range(size):
        topic = TOPICS[i % len(TOPICS)]
        folder = integration / f"part_{i // FILES_PER_DIR:03d}"
        folder.mkdir(exist_ok=True)
        source, n_functions, n_tests = test_module(rng, topic, i, tests_per_file)
        (folder / f"test_{topic}_{i:05d}.py").write_text(source)
        functions += n_functions
        tests += n_tests
    return suite_cache.save(suite, key, start, size, functions, tests)


def test_module(rng: random.Random, topic: str, index: int,
                tests_per_file: int | None = None) -> tuple[str, int, int]:
    """One charm integration test module: (source, test functions, pytest items)."""
    n_tests = rng.randint(3, 8)  # drawn either way: the default suites stay as they were
    if tests_per_file is not None:
        n_tests = tests_per_file
    use_str_ids = rng.random() < 0.25
    n_groups = rng.randint(1, min(n_tests, 7))
    ids = [f'"{s}"' for s in rng.sample(STR_IDS, min(n_groups, len(STR_IDS)))] if use_str_ids else [
        str(g) for g in range(1, n_groups + 1)]
    in_class = rng.random() < 0.2
    app = f"{topic}-k8s" if index % 2 else topic
    header = (f'#!/usr/bin/env python3\n# Copyright {2022 + index % 4} Canonical Ltd.\n'
              f'# See LICENSE file for licensing details.\n\n"""Integration tests for {topic} (module {index})."""\n\n'
              "import asyncio\nimport json\nimport logging\nfrom pathlib import Path\n\nimport pytest\n\n"
              "from helpers import (\n    APP_NAME,\n    OpsTest,\n    get_leader_unit,\n    get_unit_address,\n"
              "    wait_for_active,\n)\n\n"
              f'logger = logging.getLogger(__name__)\n\nAPP = "{app}"\nTIMEOUT = {rng.choice([600, 900, 1200, 1800])}\n'
              f'CHANNELS = ["{rng.choice(["14", "16", "8.0"])}/edge", "{rng.choice(["14", "16", "8.0"])}/stable"]\n'
              f'CONFIG = {{"profile": "{rng.choice(["testing", "production"])}", "log-level": "debug"}}\n'
              f'METADATA_PATH = Path("./metadata.yaml")')
    out = [header]
    if rng.random() < 0.3:
        out.append(f'@pytest.fixture(scope="module")\nasync def {topic}_config(ops_test: OpsTest) -> dict:\n'
                   f'    """The {topic} settings every test in this module starts from."""\n'
                   f'    await ops_test.model.applications[APP].set_config(CONFIG)\n    return dict(CONFIG)')
    for h in range(rng.randint(2, 4)):
        out.append(helper_function(rng, topic, h).rstrip())
    items = 0
    methods = []
    indent = "    " if in_class else ""
    for t in range(n_tests):
        group = ids[0] if t == 0 else rng.choice(ids)
        source, n_items = test_function(rng, topic, t, group, indent)
        methods.append(source.rstrip())
        items += n_items
    if in_class:
        out.append(f'class Test{topic.title()}:\n    """Tests sharing one {topic} deployment."""\n\n'
                   + "\n\n".join(methods))
    else:
        out.extend(methods)
    return "\n\n\n".join(out) + "\n", n_tests, items


def helper_function(rng: random.Random, topic: str, h: int) -> str:
    name = f"{rng.choice(['check', 'fetch', 'verify', 'collect'])}_{topic}_{rng.choice(['status', 'metrics', 'endpoints', 'data'])}_{h}"
    return (f'async def {name}(ops_test: OpsTest, unit_name: str, attempts: int = {rng.randint(3, 10)}) -> dict:\n'
            f'    """Return the {topic} state reported by `unit_name`, retrying while the unit settles."""\n'
            f'    address = await get_unit_address(ops_test, unit_name)\n'
            f'    for attempt in range(attempts):\n'
            f'        action = await ops_test.model.units.get(unit_name).run_action("get-{topic}-state")\n'
            f'        result = await action.wait()\n'
            f'        if result.status == "completed":\n'
            f'            logger.info("%s answered from %s after %d attempts", unit_name, address, attempt)\n'
            f'            return json.loads(result.results.get("state", "{{}}"))\n'
            f'        await asyncio.sleep({rng.choice([2, 5, 10])})\n'
            f'    raise TimeoutError(f"{{unit_name}} did not report its {topic} state")\n')


def test_function(rng: random.Random, topic: str, t: int, group: str, indent: str) -> tuple[str, int]:
    decorators = []
    if t == 0 and rng.random() < 0.3:
        decorators.append(f"@pytest.mark.runner({rng.choice(RUNNERS)})")
    decorators.append(f"@pytest.mark.group({group})")
    if t == 0 or rng.random() < 0.2:
        decorators.append("@pytest.mark.abort_on_fail")
    params, n_items = "", 1
    if t > 0 and rng.random() < 0.25:
        if rng.random() < 0.5:
            decorators.append('@pytest.mark.parametrize("channel", CHANNELS)')
            n_items = 2
        else:
            n_items = rng.randint(2, 4)
            cases = ", ".join(f'pytest.param({k}, id="units-{k}")' for k in range(1, n_items + 1))
            decorators.append(f'@pytest.mark.parametrize("units", [{cases}])')
        params = ", channel: str" if "channel" in decorators[-1] else ", units: int"
    name = "test_build_and_deploy" if t == 0 else f"test_{topic}_{rng.choice(['scale', 'restart', 'config', 'relate', 'action', 'status', 'recover'])}_{t}"
    self_arg = "self, " if indent else ""
    body = [f'"""Check {topic} step {t}: the application settles and answers."""',
            "await wait_for_active(ops_test, APP, timeout=TIMEOUT)",
            "leader = await get_leader_unit(ops_test, APP)",
            'logger.info("leader is %s", leader)']
    for _ in range(rng.randint(6, 20)):
        body.append(rng.choice([
            "await ops_test.model.applications[APP].set_config(CONFIG)",
            "status = await ops_test.model.get_status()",
            "assert leader is not None, \"no leader elected\"",
            "units = ops_test.model.applications[APP].units",
            "await ops_test.model.wait_for_idle(apps=[APP], status=\"active\", timeout=TIMEOUT)",
            "address = await get_unit_address(ops_test, leader)\nassert address, f\"{leader} has no address\"",
            "if ops_test.model.applications[APP].units:\n    logger.info(\"%d units\", len(ops_test.model.applications[APP].units))",
        ]))
    lines = "\n".join(decorators) + f"\nasync def {name}({self_arg}ops_test: OpsTest{params}) -> None:\n"
    lines += "\n".join("    " + line.replace("\n", "\n    ") for line in body) + "\n"
    return "\n".join(indent + line if line else line for line in lines.split("\n")), n_items


PYPROJECT = """\
[tool.pytest.ini_options]
testpaths = ["tests/integration"]
markers = [
    "group: CI job of the test",
    "runner: CI runner labels",
    "abort_on_fail: stop the module when the test fails",
]
"""

HELPERS = '''\
"""Helpers for the generated suite (stand-ins for pytest-operator's OpsTest)."""

APP_NAME = "bench"


class OpsTest:
    """What the tests use of pytest-operator's OpsTest; never called during collection."""

    model = None


async def get_leader_unit(ops_test: OpsTest, app: str) -> str:
    for unit in ops_test.model.applications[app].units:
        if await unit.is_leader_from_status():
            return unit.name
    raise LookupError(f"{app} has no leader")


async def get_unit_address(ops_test: OpsTest, unit_name: str) -> str:
    status = await ops_test.model.get_status()
    app = unit_name.split("/")[0]
    return status["applications"][app]["units"][unit_name]["address"]


async def wait_for_active(ops_test: OpsTest, app: str, timeout: int = 1000) -> None:
    await ops_test.model.wait_for_idle(apps=[app], status="active", timeout=timeout)
'''

# The original tooling: groups from each test function's own marks only, written as
# `groups=<json>` to $GITHUB_OUTPUT (or stdout).
CONFTEST = '''\
import json
import os
import pathlib

import pytest

from helpers import OpsTest

FORBIDDEN = set('\\\\/"\\':<>|*?')


def pytest_addoption(parser):
    parser.addoption("--collect-groups", action="store_true", help="Collect test groups (used by GitHub Actions)")
    parser.addoption("--group", help="Integration test group ID")


def pytest_configure(config):
    if config.option.collect_groups:
        config.option.collectonly = True


def pytest_collection_modifyitems(config, items):
    if config.option.collect_groups:
        groups = set()
        for item in items:
            marks = [mark for mark in item.own_markers if mark.name == "group"]
            if len(marks) != 1 or len(marks[0].args) != 1:
                raise Exception(f"{item} needs exactly one group mark with one argument")
            group_id = marks[0].args[0]
            if not isinstance(group_id, (int, str)) or FORBIDDEN & set(str(group_id)):
                raise Exception(f"{item}: invalid group id {group_id!r}")
            path = pathlib.Path(item.path).relative_to(config.rootpath)
            groups.add((str(path), str(group_id)))
        matrix = [
            {"path_to_test_file": path, "group_id": group_id, "job_name": f"{pathlib.Path(path).name} | group {group_id}"}
            for path, group_id in sorted(groups)
        ]
        line = f"groups={json.dumps(matrix)}"
        if os.environ.get("GITHUB_OUTPUT"):
            with open(os.environ["GITHUB_OUTPUT"], "a") as f:
                f.write(line + "\\n")
        else:
            print(line)
    elif config.option.group is not None:
        selected, deselected = [], []
        for item in items:
            marks = [mark for mark in item.own_markers if mark.name == "group"]
            wanted = len(marks) == 1 and str(marks[0].args[0]) == config.option.group
            (selected if wanted else deselected).append(item)
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture(scope="module")
def ops_test() -> OpsTest:
    return OpsTest()
'''

if __name__ == "__main__":
    sys.exit(main())
