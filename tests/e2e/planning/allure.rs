//! allure-pytest's results folder, written by the real plugin (tests/support/requirements.txt),
//! read by `fanout_timings::allure::read_dir`: the node ids and per-test times agree with what
//! `fanout run --timings` measures of the same suite.

use super::round_trip::one_group_suite;
use crate::e2e::project::Project;
use crate::e2e::run::run_with;
use crate::support::pytest_oracle::{describe, python};
use fanout_timings::{allure, JobStatus, TestTiming, Timings};
use std::collections::BTreeMap;
use std::process::Command;

/// Sleeps far apart: a 0.5 s module fixture (its setup in the module's first test), a 0.2 s
/// function fixture in a subpackage's conftest, 0.3 s and 0.6 s tests, a class with
/// parametrize ids that hold a space and a dash.
fn suite() -> Project {
    let p = Project::new();
    p.file(
        "pyproject.toml",
        r#"
        [tool.pytest.ini_options]
        testpaths = ["tests"]

        [tool.fanout]
        ungrouped = "whole-file"
        "#,
    )
    .file(
        "tests/test_db.py",
        r#"
            import time
            import pytest

            @pytest.fixture(scope="module", autouse=True)
            def deployment():
                time.sleep(0.5)
                yield

            def test_deploy():
                time.sleep(0.3)

            class TestBackup:
                @pytest.mark.parametrize("size", ["small", "big"], ids=["small one", "big-one"])
                def test_restore(self, size):
                    time.sleep(0.6 if size == "big" else 0.0)
            "#,
    )
    .file(
        "tests/sub/conftest.py",
        r#"
            import time
            import pytest

            @pytest.fixture
            def client():
                time.sleep(0.2)
                yield
            "#,
    )
    .file(
        "tests/sub/test_api.py",
        r#"
            import time
            import pytest

            def test_ping(client):
                time.sleep(0.3)

            @pytest.mark.parametrize("n", [1, 2])
            def test_scale(n):
                pass
            "#,
    );
    p
}

/// The tests of every job, by node id.
fn by_node_id<'a>(
    tests: impl Iterator<Item = &'a TestTiming>,
) -> BTreeMap<&'a str, &'a TestTiming> {
    let mut all = BTreeMap::new();
    for test in tests {
        assert!(
            all.insert(test.node_id.as_str(), test).is_none(),
            "{} twice",
            test.node_id
        );
    }
    all
}

/// Sleeps overrun on a busy machine, and fanout's phases include pytest's own work around the
/// fixtures: far less than the 0.3 s that tell one test from another.
const TOLERANCE: f64 = 0.15;

#[test]
fn allure_results_agree_with_fanout_runs_timings() {
    let p = suite();
    let py = python();
    let out = Command::new(&py)
        .args([
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "allure_pytest",
        ])
        .args(["--alluredir", "allure-results"])
        .current_dir(p.path())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
        .output()
        .expect("running pytest");
    assert!(
        out.status.success(),
        "pytest with allure failed\n{}",
        describe(&out)
    );
    let run = run_with(&p, &py, &["--all", "--timings", "timings.json"]);
    assert_eq!(run.code, 0, "{}", run.describe());

    let root = p.path();
    let jobs = allure::read_dir(&p.join("allure-results"), &|rel| root.join(rel).is_file())
        .expect("reads the allure results");
    assert_eq!(jobs.len(), 1, "one pytest process, one job");
    assert_eq!(jobs[0].status, JobStatus::Passed);
    let timings = Timings::read(&p.join("timings.json")).expect("timings");
    assert_eq!(timings.jobs.len(), 2, "fanout ran a job per file");

    let from_allure = by_node_id(jobs[0].tests.iter());
    let from_run = by_node_id(timings.jobs.iter().flat_map(|j| &j.tests));
    assert_eq!(
        from_allure.keys().collect::<Vec<_>>(),
        from_run.keys().collect::<Vec<_>>(),
        "the same node ids"
    );
    assert_eq!(
        from_allure.keys().copied().collect::<Vec<_>>(),
        [
            "tests/sub/test_api.py::test_ping",
            "tests/sub/test_api.py::test_scale[1]",
            "tests/sub/test_api.py::test_scale[2]",
            "tests/test_db.py::TestBackup::test_restore[big-one]",
            "tests/test_db.py::TestBackup::test_restore[small one]",
            "tests/test_db.py::test_deploy",
        ]
    );
    for (id, allure_test) in &from_allure {
        let run_test = from_run[id];
        for (phase, a, r) in [
            ("setup", allure_test.setup, run_test.setup),
            ("call", allure_test.call, run_test.call),
            ("teardown", allure_test.teardown, run_test.teardown),
            ("total", allure_test.total(), run_test.total()),
        ] {
            assert!(
                (a - r).abs() < TOLERANCE,
                "{id} {phase}: allure {a:.3} s, fanout run {r:.3} s"
            );
        }
    }
    // The module fixture's 0.5 s is the first test's setup in both, and no other's.
    for tests in [&from_allure, &from_run] {
        let deploy = tests["tests/test_db.py::test_deploy"];
        assert!(deploy.setup >= 0.5, "{deploy:?}");
        assert!(deploy.total() >= 0.8, "{deploy:?}");
        let big = tests["tests/test_db.py::TestBackup::test_restore[big-one]"];
        assert!(big.setup < 0.3 && big.call >= 0.6, "{big:?}");
        let ping = tests["tests/sub/test_api.py::test_ping"];
        assert!(ping.setup >= 0.2 && ping.setup < 0.45, "{ping:?}");
    }
}

/// The same two runs, recorded by `fanout run --timings` and by allure-pytest in the same
/// pytest processes: `fanout plan` proposes the same group marks from either, and `fanout
/// report` reads the allure folders as runs.
#[test]
fn plan_from_allure_results_equals_plan_from_timings() {
    let p = Project::new();
    p.file(
        "pyproject.toml",
        "[tool.pytest.ini_options]\ntestpaths = [\"tests\"]\nmarkers = [\"group(id): the CI job\"]\n",
    )
    // A clear plan: two 1.5 s tests split from the quick ones.
    .file("tests/test_db.py", &one_group_suite(1.5));
    let py = python();
    for run in ["1", "2"] {
        let timings = format!("timings-{run}.json");
        let alluredir = p.join(&format!("allure-{run}"));
        // The command form (`-- COMMAND`) takes no --python: the command is the pytest.
        let out = p.run(&[
            "run",
            "--all",
            "--timings",
            &timings,
            "--",
            &py.to_string_lossy(),
            "-m",
            "pytest",
            "--alluredir",
            &alluredir.to_string_lossy(),
        ]);
        assert_eq!(out.code, 0, "{}", out.describe());
    }
    let from_timings = p.run(&[
        "plan",
        "--diff",
        "--timings",
        "timings-1.json",
        "timings-2.json",
    ]);
    let from_allure = p.run(&["plan", "--diff", "--allure", "allure-1", "allure-2"]);
    assert_eq!(from_timings.code, 1, "{}", from_timings.describe());
    assert!(
        from_timings.stdout.contains("+@pytest.mark.group(2)"),
        "{}",
        from_timings.describe()
    );
    assert_eq!(
        from_allure.stdout,
        from_timings.stdout,
        "{}",
        from_allure.describe()
    );
    assert!(
        from_allure.stderr.contains("2 runs read"),
        "{}",
        from_allure.describe()
    );
    let report = p.run(&["report", "--allure", "allure-1", "allure-2"]);
    assert_eq!(report.code, 0, "{}", report.describe());
    assert!(
        report.stdout.contains("runs, oldest first"),
        "{}",
        report.stdout
    );
    let missing = p.run(&["report", "--allure", "nothing-here"]);
    assert_eq!(missing.code, 2, "{}", missing.describe());
    assert!(
        missing
            .stderr
            .contains("cannot read allure results from nothing-here"),
        "{}",
        missing.describe()
    );
}
