"""The `packages` shape of bench.py's suites: charm-style trees as real projects lay them out,
unlike the flat shape's one folder of self-contained modules.

    tests/integration/__init__.py, conftest.py (fixtures), helpers.py (imported by the tests)
    tests/integration/<area>/__init__.py, conftest.py
    tests/integration/<area>/<suite>/__init__.py
    tests/integration/<area>/<suite>/test_<topic>_<i>.py

Every test gets its group in one of the ways real suites write it (see PATTERNS in the repo's
shared notes): `@pytest.mark.group(N)` on the function (most files), `@mark.group(N)` after
`from pytest import mark`, a class decorator or a class-level `pytestmark`, or module
`pytestmark` with some functions overriding it. Some tests are parametrized. pytest's closest
mark decides a test's group (`item.get_closest_marker`), as fanout reads it.
Python 3.11 stdlib only; the output is a function of (files, tests per file, seed).
"""

from __future__ import annotations

import random
from pathlib import Path

import suite_cache

GENERATOR_VERSION = 1
AREAS = ["database", "relations", "tls", "backups", "upgrade", "scaling", "ha", "charm",
         "config", "secrets", "metrics", "logging", "replication", "storage", "networking", "cos"]
SUITES_PER_AREA = 8
HELPERS = ["get_leader_unit", "get_primary", "wait_for_idle", "deploy_and_relate", "get_password",
           "run_action", "scale_application", "check_connection", "get_unit_address", "fetch_config"]

PYPROJECT = """[tool.pytest.ini_options]
testpaths = ["tests/integration"]
markers = [
    "group(id): the CI job that runs the test",
    "abort_on_fail: stop the module after a failure",
]
"""

ROOT_CONFTEST = '''"""Shared fixtures; the job list pytest would give (closest group mark), on request."""
import json
import os
import pathlib

import pytest


def pytest_addoption(parser):
    parser.addoption("--collect-groups", action="store_true", help="print the (file, group) jobs")


def pytest_configure(config):
    if config.option.collect_groups:
        config.option.collectonly = True


def pytest_collection_modifyitems(config, items):
    if not config.option.collect_groups:
        return
    groups = set()
    for item in items:
        mark = item.get_closest_marker("group")
        if mark is None:
            raise Exception(f"{item.nodeid} has no group")
        path = pathlib.Path(item.path).relative_to(config.rootpath)
        groups.add((str(path), str(mark.args[0])))
    matrix = [{"path_to_test_file": p, "group_id": g} for p, g in sorted(groups)]
    line = f"groups={json.dumps(matrix)}"
    if os.environ.get("GITHUB_OUTPUT"):
        with open(os.environ["GITHUB_OUTPUT"], "a") as f:
            f.write(line + "\\n")
    else:
        print(line)


class _Model:
    applications = {}


class _OpsTest:
    model = _Model()


@pytest.fixture(scope="module")
def ops_test():
    return _OpsTest()
'''


def helpers_module() -> str:
    out = ['"""Helpers the tests import."""\nimport asyncio\n\nAPP_NAME = "bench"\n']
    for name in HELPERS:
        out.append(f"\n\nasync def {name}(ops_test, app: str = APP_NAME, attempts: int = 3) -> str:\n"
                   f"    for _ in range(attempts):\n"
                   f"        await asyncio.sleep(0)\n"
                   f"    return f\"{{app}}/{name}\"\n")
    return "".join(out)


def area_conftest(area: str) -> str:
    return (f'import pytest\n\n\n@pytest.fixture(scope="module")\ndef {area}_config():\n'
            f'    return {{"area": "{area}", "units": 3}}\n')


def body(rng: random.Random, indent: str) -> str:
    helper = rng.choice(HELPERS)
    return (f"{indent}    unit = await {helper}(ops_test)\n"
            f"{indent}    assert unit, \"{helper} gave nothing\"\n"
            f"{indent}    for attempt in range({rng.randint(2, 9)}):\n"
            f"{indent}        if attempt > 1:\n"
            f"{indent}            break\n")


def module(rng: random.Random, area: str, index: int, tests: int) -> tuple[str, int]:
    """A test module and how many tests pytest collects from it."""
    style = rng.choices(["function", "mark", "class", "class_pytestmark", "pytestmark"],
                        weights=[55, 10, 15, 10, 10])[0]
    imports = ["import pytest"]
    if style == "mark":
        imports.append("from pytest import mark")
    names = rng.sample(HELPERS, 3)
    head = (f'"""{area} tests, module {index}."""\n' + "\n".join(imports)
            + f"\n\nfrom ..helpers import {', '.join(sorted(names))}\n"
            + "from ...helpers import APP_NAME\n\n"
            + f'CHANNEL = "{rng.choice(["14/edge", "16/stable", "8.0/candidate"])}"\n\n')
    groups = max(1, tests // 4)
    collected = 0
    parts = [head]
    if style == "pytestmark":
        parts.append("pytestmark = pytest.mark.group(1)\n\n")
    indent = ""
    if style in ("class", "class_pytestmark"):
        if style == "class":
            parts.append(f"\n@pytest.mark.group({rng.randint(1, groups)})\n")
        parts.append(f"class Test{area.title()}{index}:\n")
        if style == "class_pytestmark":
            parts.append(f"    pytestmark = pytest.mark.group({rng.randint(1, groups)})\n\n")
        indent = "    "
    for t in range(tests):
        decorators = []
        if style == "function" or (style == "pytestmark" and t % 3 == 0):
            decorators.append(f"@pytest.mark.group({rng.randint(1, groups)})")
        elif style == "mark":
            decorators.append(f"@mark.group({rng.randint(1, groups)})")
        if t == 0:
            decorators.append("@pytest.mark.abort_on_fail")
        cases = 1
        params = ""
        if rng.random() < 0.15:
            cases = rng.randint(2, 4)
            values = ", ".join(f'"{v}"' for v in rng.sample(["aws", "gcp", "azure", "ceph", "local"], cases))
            decorators.append(f'@pytest.mark.parametrize("cloud", [{values}])')
            params = ", cloud"
        self_arg = "self, " if indent else ""
        parts.append("".join(f"{indent}{d}\n" for d in decorators)
                     + f"{indent}async def test_{area}_{t}({self_arg}ops_test{params}) -> None:\n"
                     + body(rng, indent) + "\n\n")
        collected += cases
    return "".join(parts), collected


def generate(suite: Path, size: int, seed: int, tests_per_file: int | None) -> dict:
    """Writes the tree unless an identical one is there; returns its manifest."""
    key = {"shape": "packages", "generator": GENERATOR_VERSION, "size": size, "seed": seed,
           "tests_per_file": tests_per_file}
    if (kept := suite_cache.reuse(suite, key)) is not None:
        return kept
    integration, start = suite_cache.fresh(suite)
    (suite / "pyproject.toml").write_text(PYPROJECT)
    (integration / "__init__.py").write_text("")
    (integration / "conftest.py").write_text(ROOT_CONFTEST)
    (integration / "helpers.py").write_text(helpers_module())
    rng = random.Random(seed * 1_000_003 + size)
    tests = 0
    for i in range(size):
        area = AREAS[i % len(AREAS)]
        area_dir = integration / area
        if not area_dir.exists():
            area_dir.mkdir()
            (area_dir / "__init__.py").write_text("")
            (area_dir / "conftest.py").write_text(area_conftest(area))
            (area_dir / "helpers.py").write_text(helpers_module())
        suite_dir = area_dir / f"suite_{(i // len(AREAS)) % SUITES_PER_AREA}"
        if not suite_dir.exists():
            suite_dir.mkdir()
            (suite_dir / "__init__.py").write_text("")
        n = tests_per_file if tests_per_file is not None else rng.randint(3, 8)
        source, collected = module(rng, area, i, n)
        (suite_dir / f"test_{area}_{i:05d}.py").write_text(source)
        tests += collected
    return suite_cache.save(suite, key, start, size, None, tests)
