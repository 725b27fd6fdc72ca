//! What cannot run any job is one clear error before any starts: `--python` that is not a
//! Python with pytest, a `--junit-dir` that cannot be made.

use super::{ran, suite};
use crate::e2e::project::Output;

fn assert_one_error(out: &Output, says: &str) {
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(out.stderr.contains(says), "{}", out.describe());
    assert!(
        !out.stdout.contains("passed") && !out.stdout.contains("failed"),
        "no job ran: {}",
        out.describe()
    );
}

#[test]
fn a_python_that_cannot_run_pytest_is_refused_before_any_job() {
    let p = suite();
    let out = p.run(&["run", "--all", "--python", "/bin/true"]);
    assert_one_error(
        &out,
        "`/bin/true` cannot run pytest: it did not answer as a Python with pytest",
    );
    let venv = p.join("bare-venv");
    let made = std::process::Command::new("python3")
        .args(["-m", "venv", "--without-pip"])
        .arg(&venv)
        .status()
        .expect("python3 -m venv");
    assert!(made.success());
    let python = venv.join("bin/python");
    let out = p.run(&["run", "--all", "--python", python.to_str().expect("UTF-8")]);
    assert_one_error(&out, "pytest is not installed there");
    let out = p.run(&[
        "run",
        "--job",
        "test_a.py | group 1",
        "--python",
        "/no/such/python",
    ]);
    assert_one_error(&out, "it cannot be started");
    assert!(ran(&p).is_empty());
}

#[test]
fn an_unusable_junit_dir_is_refused_before_any_job() {
    let p = suite();
    p.file("not-a-dir", "");
    let py = crate::support::pytest_oracle::python();
    let out = p.run(&[
        "run",
        "--all",
        "--python",
        py.to_str().expect("UTF-8"),
        "--junit-dir",
        "not-a-dir/junit",
    ]);
    assert_one_error(&out, "cannot prepare the run's directories");
    assert!(ran(&p).is_empty());
}
