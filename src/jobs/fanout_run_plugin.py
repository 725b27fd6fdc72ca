"""fanout's pytest plugin for `fanout run`: per-test timings, and node ids read from a file.

Written by fanout to a temporary directory and loaded with ``-p fanout_run_plugin``. Only APIs
pytest 7.0 already had, and nothing but pytest itself.

- ``FANOUT_RUN_TIMINGS``: a file to which one JSON line is appended per finished test::

      {"node_id": "tests/test_a.py::test_b[1]", "outcome": "passed",
       "start": 1764266401.0, "setup": 0.3, "call": 1.2, "teardown": 0.0}

  Lines are written as each test ends, so an interrupted run keeps the tests it finished.
  Outcomes follow pytest's summary: an error in setup is ``error``, a skip in setup
  ``skipped``, ``pytest.xfail``/``xfail`` marks give ``xfailed``/``xpassed`` (``wasxfail``),
  and an error in teardown turns a passed (or skipped) test into ``error``.
- ``FANOUT_RUN_NODE_IDS``: a file of node ids, one per line, added to pytest's arguments
  (a job with more ids than a command line holds; pytest < 8.2 has no ``@argsfile``).
"""

import json
import os
import time

import pytest

TIMINGS_ENV = "FANOUT_RUN_TIMINGS"
NODE_IDS_ENV = "FANOUT_RUN_NODE_IDS"

_running = {}
_out = []


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    path = os.environ.get(NODE_IDS_ENV)
    if not path:
        return
    with open(path, encoding="utf-8") as f:
        ids = [line for line in f.read().split("\n") if line]
    args.extend(ids)
    # Initial conftests are found from the paths parsed so far: add the ids there too.
    namespace = early_config.known_args_namespace
    namespace.file_or_dir = list(getattr(namespace, "file_or_dir", None) or []) + ids


def pytest_runtest_logreport(report):
    path = os.environ.get(TIMINGS_ENV)
    if not path:
        return
    test = _running.setdefault(
        report.nodeid,
        {"node_id": report.nodeid, "outcome": None, "start": None,
         "setup": 0.0, "call": 0.0, "teardown": 0.0},
    )
    if report.when in ("setup", "call", "teardown"):
        test[report.when] = float(report.duration)
    if report.when == "setup":
        start = getattr(report, "start", None)
        test["start"] = start if start is not None else time.time() - report.duration
    test["outcome"] = _outcome(report, test["outcome"])
    if report.when == "teardown":
        del _running[report.nodeid]
        if test["outcome"] is not None:
            _write(path, test)


def _outcome(report, before):
    xfail = hasattr(report, "wasxfail")
    if report.when == "call":
        if report.passed:
            return "xpassed" if xfail else "passed"
        if report.skipped:
            return "xfailed" if xfail else "skipped"
        return "failed"
    if report.when == "setup":
        if report.failed:
            return "error"
        if report.skipped:
            return "xfailed" if xfail else "skipped"
        return before
    if report.failed and before not in ("failed", "error"):
        return "error"
    return before


def _write(path, test):
    if not _out:
        _out.append(open(path, "a", encoding="utf-8"))
    _out[0].write(json.dumps(test) + "\n")
    _out[0].flush()
