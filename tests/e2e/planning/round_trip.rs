//! The whole loop with a real pytest: a slow sequential suite is measured with
//! `fanout run --all --timings`, planned and rewritten with `fanout plan --write`, and run
//! again in parallel: faster, and every test still runs exactly once.

use crate::e2e::run::{ran, run_with, RECORDING_CONFTEST};
use crate::support::pytest_oracle::python;
use fanout_timings::Timings;

/// One module: a 0.5 s module-scoped setup every test pays once per job, two tests of
/// `slow_seconds` and two quick ones, all in one group: what a plan splits in two.
pub(crate) fn one_group_suite(slow_seconds: f64) -> String {
    format!(
        r#"
    import time
    import pytest

    @pytest.fixture(scope="module", autouse=True)
    def deployment():
        time.sleep(0.5)
        yield

    @pytest.mark.group(1)
    def test_deploy():
        pass

    @pytest.mark.group(1)
    def test_backup():
        time.sleep({slow_seconds:.1})

    @pytest.mark.group(1)
    def test_status():
        pass

    @pytest.mark.group(1)
    def test_upgrade():
        time.sleep({slow_seconds:.1})
    "#
    )
}

/// From the first job start to the last job end.
fn wall(timings: &Timings) -> f64 {
    let start = timings
        .jobs
        .iter()
        .map(|j| j.start)
        .fold(f64::INFINITY, f64::min);
    let end = timings.jobs.iter().map(|j| j.end).fold(0.0, f64::max);
    end - start
}

#[test]
fn measure_plan_write_and_run_again_in_parallel() {
    let p = crate::e2e::project::Project::new();
    p.file("pyproject.toml", crate::e2e::run::CONFIG)
        .file("tests/conftest.py", RECORDING_CONFTEST)
        // A slow test must cost more than a new job repeats (the setup and pytest's start-up,
        // over a second on a busy machine), and the gain must show through the noise: 4 s.
        .file("tests/test_db.py", &one_group_suite(4.0));
    let py = python();

    let first = run_with(&p, &py, &["--all", "--timings", "timings.json"]);
    assert_eq!(first.code, 0, "{}", first.describe());
    let before = Timings::read(&p.join("timings.json")).expect("timings");
    assert_eq!(before.jobs.len(), 1, "one job before planning");

    let planned = p.run(&["plan", "--write"]);
    assert_eq!(planned.code, 0, "{}", planned.describe());
    let source = std::fs::read_to_string(p.join("tests/test_db.py")).expect("read");
    assert!(
        source.contains("@pytest.mark.group(2)"),
        "each slow test gets a group of its own:\n{source}\n{}",
        planned.describe()
    );
    let again = p.run(&["plan", "--write"]);
    assert_eq!(again.code, 0, "{}", again.describe());
    assert_eq!(
        std::fs::read_to_string(p.join("tests/test_db.py")).expect("read"),
        source,
        "a second --write changes nothing"
    );
    let check = p.run(&["check"]);
    assert_eq!(
        check.code,
        0,
        "check is clean after --write\n{}",
        check.describe()
    );

    std::fs::remove_file(p.join("ran.txt")).expect("remove");
    let second = run_with(
        &p,
        &py,
        &["--all", "-j", "2", "--timings", "timings-after.json"],
    );
    assert_eq!(second.code, 0, "{}", second.describe());
    let after = Timings::read(&p.join("timings-after.json")).expect("timings");
    assert_eq!(after.jobs.len(), 2, "two jobs after planning");
    let counts = ran(&p);
    assert_eq!(
        counts.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "tests/test_db.py::test_backup",
            "tests/test_db.py::test_deploy",
            "tests/test_db.py::test_status",
            "tests/test_db.py::test_upgrade"
        ]
    );
    assert!(
        counts.values().all(|&n| n == 1),
        "every test once: {counts:?}"
    );
    // Sequential: 0.5 s setup + 8 s of tests; planned: two jobs of 0.5 s setup + 4 s each.
    assert!(
        wall(&after) < wall(&before) * 0.85,
        "the planned run is faster: {:.2} s before, {:.2} s after",
        wall(&before),
        wall(&after)
    );
}
