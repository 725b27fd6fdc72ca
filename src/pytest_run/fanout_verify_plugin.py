"""fanout's pytest plugin: what pytest collected, as JSON, for `fanout verify` and
`--resolve-dynamic`.

Written by fanout to a temporary directory and loaded with ``-p fanout_verify_plugin``; the
output path is in ``FANOUT_VERIFY_OUT``. Only APIs pytest 7.0 already had, and nothing but
pytest itself, so it runs beside whatever plugins and conftest hooks the project has::

    {"pytest_version": "9.2.0", "rootdir": "/abs",
     "items": [{"node_id": "tests/test_a.py::test_b[1]",
                "function_node_id": "tests/test_a.py::test_b",
                "group": null | {"args": [...], "kwargs": {...}},
                "runner": null | {"args": [...], "kwargs": {...}},
                "marks": [{"name": "slow", "kwargs": {...}}, ...],
                "location": ["tests/test_a.py", 11] | null}, ...],
     "deselected": ["tests/test_a.py::test_b[2]", ...],
     "errors": [{"node_id": "tests/test_c.py", "message": "..."}]}

Marks are the closest (``item.get_closest_marker``), after every hook ran; ``marks`` is every
mark closest first, as ``-m`` sees them. ``location`` is ``item.location``: the file that defines
the function and the 0-based line pytest reports for it. ``deselected`` are the items ``-m``,
``--deselect`` or a hook left out (``pytest_deselected``). Values JSON cannot
hold are written as {"repr": "..."}; booleans stay booleans, so 1 and True differ.
"""

import json
import os

import pytest

OUTPUT_ENV = "FANOUT_VERIFY_OUT"

_errors = []
_deselected = []


def pytest_collectreport(report):
    if report.failed:
        _errors.append({"node_id": report.nodeid, "message": report.longreprtext})


def pytest_deselected(items):
    _deselected.extend(item.nodeid for item in items)


# Last, so that every other plugin's collection_finish has run too.
@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    out = os.environ.get(OUTPUT_ENV)
    if not out:
        return
    document = {
        "pytest_version": pytest.__version__,
        "rootdir": str(session.config.rootpath),
        "items": [_item(item) for item in session.items],
        "deselected": _deselected,
        "errors": _errors,
    }
    partial = out + ".partial"
    with open(partial, "w", encoding="utf-8") as f:
        json.dump(document, f)
    os.replace(partial, out)


def _item(item):
    return {
        "node_id": item.nodeid,
        "function_node_id": _function_node_id(item),
        "group": _mark(item.get_closest_marker("group")),
        "runner": _mark(item.get_closest_marker("runner")),
        "marks": [_named_mark(mark) for mark in item.iter_markers()],
        "location": _location(item),
    }


def _named_mark(mark):
    return {
        "name": mark.name,
        "kwargs": {str(k): _jsonable(v) for k, v in mark.kwargs.items()},
    }


def _location(item):
    try:
        path, line, _ = item.location
    except Exception:  # A plugin's item may have none; the line is only for messages.
        return None
    return [str(path), line if isinstance(line, int) else None]


def _function_node_id(item):
    """`path::Class::test_f[a-1]` -> `path::Class::test_f`; ids may hold `[` and `::`."""
    original = getattr(item, "originalname", None)
    if not original or item.name == original or not item.nodeid.endswith(item.name):
        return item.nodeid
    return item.nodeid[: len(item.nodeid) - len(item.name)] + original


def _mark(mark):
    if mark is None:
        return None
    return {
        "args": [_jsonable(a) for a in mark.args],
        "kwargs": {str(k): _jsonable(v) for k, v in mark.kwargs.items()},
    }


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return {"repr": repr(value)}
