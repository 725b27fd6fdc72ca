//! `fanout run --timings`: the file parses with fanout-timings, outcomes follow pytest's rules
//! and phase times land in their phase, with pytest 9.2 and 7.0; and a job with thousands of
//! node ids (more than fanout puts on a command line) runs them all.

use super::{run_with, CONFIG};
use crate::e2e::project::Project;
use crate::support::pytest_oracle::{python, python_pytest7};
use fanout_timings::{JobStatus, Outcome, Timings};
use std::collections::BTreeMap;
use std::path::Path;

fn outcomes_suite() -> Project {
    let p = Project::new();
    p.file("pyproject.toml", CONFIG).file(
        "tests/test_t.py",
        r#"
        import time
        import pytest

        pytestmark = pytest.mark.group(1)

        @pytest.fixture
        def slow_setup():
            time.sleep(0.3)

        @pytest.fixture
        def skip_in_setup():
            pytest.skip("no cloud")

        @pytest.fixture
        def broken_setup():
            raise RuntimeError("setup")

        @pytest.fixture
        def broken_teardown():
            yield
            raise RuntimeError("teardown")

        def test_slow(slow_setup):
            pass

        def test_skipped(skip_in_setup):
            pass

        def test_setup_error(broken_setup):
            pass

        def test_teardown_error(broken_teardown):
            pass

        def test_fails():
            assert False

        @pytest.mark.xfail
        def test_xfail():
            assert False

        @pytest.mark.xfail
        def test_xpass():
            pass

        def test_imperative_xfail():
            pytest.xfail("known")
        "#,
    );
    p
}

fn check_outcomes(python: &Path) {
    let p = outcomes_suite();
    let file = p.join("timings.json");
    let out = run_with(
        &p,
        python,
        &["--all", "--timings", file.to_str().expect("utf-8")],
    );
    assert_eq!(out.code, 1, "{}", out.describe());
    let timings = Timings::read(&file).expect("the timings file parses");
    assert_eq!(timings.jobs.len(), 1);
    let job = &timings.jobs[0];
    assert_eq!(job.job_name, "test_t.py | group 1");
    assert_eq!(job.group_id, serde_json::json!(1));
    assert_eq!(job.status, JobStatus::Failed);
    assert_eq!(job.exit_code, Some(1));
    assert!(job.duration() > 0.3, "{job:?}");
    let outcomes: BTreeMap<&str, Outcome> = job
        .tests
        .iter()
        .map(|t| (t.node_id.rsplit("::").next().expect("a name"), t.outcome))
        .collect();
    let expected: BTreeMap<&str, Outcome> = [
        ("test_slow", Outcome::Passed),
        ("test_skipped", Outcome::Skipped),
        ("test_setup_error", Outcome::Error),
        ("test_teardown_error", Outcome::Error),
        ("test_fails", Outcome::Failed),
        ("test_xfail", Outcome::Xfailed),
        ("test_xpass", Outcome::Xpassed),
        ("test_imperative_xfail", Outcome::Xfailed),
    ]
    .into();
    assert_eq!(outcomes, expected);
    let slow = &job.tests[0];
    assert_eq!(slow.node_id, "tests/test_t.py::test_slow");
    assert!(slow.setup >= 0.3 && slow.setup < 2.0, "{slow:?}");
    assert!(slow.call < 0.2, "{slow:?}");
    let start = slow.start.expect("a start time");
    assert!(
        start >= job.start && start <= job.end,
        "{slow:?} in {job:?}"
    );
}

#[test]
fn timings_follow_pytests_outcomes_and_phases() {
    check_outcomes(&python());
}

#[test]
fn timings_with_pytest_7() {
    check_outcomes(&python_pytest7());
}

/// 3,000 tests in one job: more node-id bytes than fanout puts on a command line (64 KiB).
fn many_ids(python: &Path) {
    let p = Project::new();
    let mut source = String::from("import pytest\n\npytestmark = pytest.mark.group(1)\n\n");
    for i in 0..3000 {
        source.push_str(&format!("def test_number_{i:05}():\n    pass\n\n"));
    }
    p.file("pyproject.toml", CONFIG)
        .bytes("tests/test_many.py", source.as_bytes());
    let bytes: usize = (0..3000)
        .map(|i| format!("tests/test_many.py::test_number_{i:05} ").len())
        .sum();
    assert!(
        bytes > 64 * 1024,
        "the ids must not fit on fanout's command line"
    );
    let file = p.join("timings.json");
    let out = run_with(
        &p,
        python,
        &[
            "--job",
            "test_many.py | group 1",
            "--timings",
            file.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(out.stdout.contains("3000 passed"), "{}", out.describe());
    let timings = Timings::read(&file).expect("parses");
    assert_eq!(timings.jobs[0].tests.len(), 3000);
}

#[test]
fn thousands_of_node_ids_reach_pytest() {
    many_ids(&python());
}

#[test]
fn thousands_of_node_ids_reach_pytest_7() {
    many_ids(&python_pytest7());
}
