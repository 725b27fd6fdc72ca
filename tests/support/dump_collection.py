"""pytest plugin: dump what pytest collected, and the group marks it sees, as JSON.

The oracle for fanout's end-to-end tests ("what does pytest do?"). Load it with
``python -m pytest --collect-only -q -p dump_collection`` with this file's folder on
PYTHONPATH and the output path in ``FANOUT_ORACLE_OUT``. It writes, after ``-m``/``-k``
deselection::

    {"rootdir": "/abs", "inifile": "/abs/pyproject.toml" | null,
     "items": [{"node_id": "tests/test_x.py::TestY::test_z",   # [param] suffix stripped
                "group": null | {"args": [...], "kwargs": {...},
                                 "level": "function" | "class" | "module"},
                "group_count_at_level": 1,    # group marks on the node the closest one is on
                "runner": null | <first arg of the closest runner mark>,
                "param_groups": [[1], [2]],   # only when parametrized items differ
                "cases": [{"node_id": "...::test_z[a-1]", "group": ..., "runner": ...}]},
                                              # every item of the function, parametrized or not
               ...],
     "errors": ["tests/test_broken.py", ...]}  # collectors whose collection failed

One item per test function, in collection order (first occurrence wins). Mark arguments
that JSON cannot represent are written as {"repr": "<python repr>"}.
Needs nothing but pytest itself.
"""

from __future__ import annotations

import json
import os

import pytest

OUTPUT_ENV = "FANOUT_ORACLE_OUT"

_errors: list[str] = []


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:
        _errors.append(report.nodeid)


def pytest_collection_finish(session: pytest.Session) -> None:
    out = os.environ.get(OUTPUT_ENV)
    if not out:
        return
    config = session.config
    dump = {
        "rootdir": str(config.rootpath),
        "inifile": str(config.inipath) if config.inipath is not None else None,
        "items": _functions(session.items),
        "errors": list(_errors),
    }
    tmp = f"{out}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(dump, f, indent=1)
    os.replace(tmp, out)


def _functions(items: list[pytest.Item]) -> list[dict]:
    """One entry per test function; parametrized items fold into their function."""
    by_id: dict[str, dict] = {}
    param_args: dict[str, list] = {}
    for item in items:
        node_id = _function_node_id(item)
        group = _closest_group(item)
        args = group["args"] if group is not None else None
        seen = param_args.setdefault(node_id, [])
        if args not in seen:
            seen.append(args)
        runner = item.get_closest_marker("runner")
        runner_value = _jsonable(runner.args[0]) if runner is not None and runner.args else None
        case = {"node_id": item.nodeid, "group": group, "runner": runner_value}
        if node_id in by_id:
            by_id[node_id]["cases"].append(case)
            continue
        by_id[node_id] = {
            "node_id": node_id,
            "group": group,
            "group_count_at_level": _group_count_at_level(item),
            "runner": runner_value,
            "cases": [case],
        }
    for node_id, entry in by_id.items():
        if len(param_args[node_id]) > 1:
            entry["param_groups"] = param_args[node_id]
    return list(by_id.values())


def _function_node_id(item: pytest.Item) -> str:
    """`path::Class::test_f[a-1]` -> `path::Class::test_f` (ids may contain `[`, `::`)."""
    original = getattr(item, "originalname", None)
    if original is None or item.name == original:
        return item.nodeid
    return item.nodeid[: len(item.nodeid) - len(item.name)] + original


def _closest_group(item: pytest.Item) -> dict | None:
    for node, mark in item.iter_markers_with_node("group"):
        return {
            "args": [_jsonable(a) for a in mark.args],
            "kwargs": {k: _jsonable(v) for k, v in mark.kwargs.items()},
            "level": _level(node),
        }
    return None


def _group_count_at_level(item: pytest.Item) -> int:
    for node, _mark in item.iter_markers_with_node("group"):
        return sum(1 for m in node.own_markers if m.name == "group")
    return 0


def _level(node: object) -> str:
    if isinstance(node, pytest.Function):
        return "function"
    if isinstance(node, pytest.Class):
        return "class"
    if isinstance(node, pytest.Module):
        return "module"
    return type(node).__name__.lower()


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _jsonable(v) for k, v in value.items()}
    return {"repr": repr(value)}
