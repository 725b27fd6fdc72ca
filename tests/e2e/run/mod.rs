//! `fanout run` with the pinned pytest (and the oldest one supported): which tests each job
//! ran, exit statuses, the timings file, a `-- COMMAND` launcher, and Ctrl-C.

mod dash_paths;
mod interrupt;
mod preflight;
mod timings;

use crate::e2e::project::{Output, Project};
use crate::support::pytest_oracle::python;
use std::collections::BTreeMap;
use std::path::Path;

pub const CONFIG: &str = r#"
    [tool.pytest.ini_options]
    testpaths = ["tests"]
    markers = ["group(id): the CI job", "broken: a test that fails"]
    "#;

/// Every test appends its node id to `ran.txt` in the rootdir: what ran, and how often.
pub const RECORDING_CONFTEST: &str = r#"
    import os
    import pytest

    @pytest.fixture(autouse=True)
    def _record(request):
        with open(os.path.join(str(request.config.rootpath), "ran.txt"), "a") as f:
            f.write(request.node.nodeid + "\n")
    "#;

/// Three files, five jobs; `test_c.py | group 2` fails.
pub fn suite() -> Project {
    let p = Project::new();
    p.file("pyproject.toml", CONFIG)
        .file("tests/conftest.py", RECORDING_CONFTEST)
        .file(
            "tests/test_a.py",
            r#"
            import pytest

            @pytest.mark.group(1)
            @pytest.mark.parametrize("n", [1, 2])
            def test_deploy(n):
                pass

            @pytest.mark.group(2)
            def test_scale():
                pass
            "#,
        )
        .file(
            "tests/sub/test_b.py",
            r#"
            import pytest

            pytestmark = pytest.mark.group("backup")

            def test_backup():
                pass

            class TestRestore:
                def test_restore(self):
                    pass
            "#,
        )
        .file(
            "tests/test_c.py",
            r#"
            import pytest

            @pytest.mark.group(1)
            def test_ok():
                pass

            @pytest.mark.group(2)
            @pytest.mark.broken
            def test_broken():
                assert False
            "#,
        );
    p
}

/// `fanout run ARGS --python PY`, in the project root.
pub fn run_with(p: &Project, python: &Path, args: &[&str]) -> Output {
    let mut all = vec!["run".to_owned(), "--python".to_owned()];
    all.push(python.to_string_lossy().into_owned());
    all.extend(args.iter().map(|a| (*a).to_owned()));
    p.run(&all)
}

/// How often each node id ran.
pub fn ran(p: &Project) -> BTreeMap<String, usize> {
    let text = std::fs::read_to_string(p.join("ran.txt")).unwrap_or_default();
    let mut counts = BTreeMap::new();
    for line in text.lines() {
        *counts.entry(line.to_owned()).or_insert(0) += 1;
    }
    counts
}

fn once(ids: &[&str]) -> BTreeMap<String, usize> {
    ids.iter().map(|id| ((*id).to_owned(), 1)).collect()
}

#[test]
fn one_job_runs_exactly_its_tests_and_exits_with_pytests_status() {
    let p = suite();
    let out = run_with(&p, &python(), &["--job", "test_a.py | group 1"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(
        out.stdout.contains("2 passed"),
        "pytest's output streams through\n{}",
        out.describe()
    );
    assert_eq!(
        ran(&p),
        once(&[
            "tests/test_a.py::test_deploy[1]",
            "tests/test_a.py::test_deploy[2]"
        ])
    );

    // By artifact id, from a subdirectory (the test path, so the name is below it): the job
    // still runs in the rootdir.
    std::fs::remove_file(p.join("ran.txt")).expect("remove");
    let mut all = vec!["run", "--job", "test_b.py_group_backup", "--python"];
    let py = python();
    all.push(py.to_str().expect("utf-8 path"));
    let out = p.run_in("tests/sub", &all);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(
        ran(&p),
        once(&[
            "tests/sub/test_b.py::TestRestore::test_restore",
            "tests/sub/test_b.py::test_backup"
        ])
    );

    let out = run_with(&p, &python(), &["--job", "test_c.py | group 2"]);
    assert_eq!(out.code, 1, "pytest's exit status\n{}", out.describe());
}

#[test]
fn all_jobs_run_each_test_once_and_a_failing_job_fails_the_run() {
    let p = suite();
    let logs = p.join("logs");
    let out = run_with(
        &p,
        &python(),
        &[
            "--all",
            "-j",
            "2",
            "--log-dir",
            logs.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.code, 1, "{}", out.describe());
    assert_eq!(
        ran(&p),
        once(&[
            "tests/sub/test_b.py::TestRestore::test_restore",
            "tests/sub/test_b.py::test_backup",
            "tests/test_a.py::test_deploy[1]",
            "tests/test_a.py::test_deploy[2]",
            "tests/test_a.py::test_scale",
            "tests/test_c.py::test_broken",
            "tests/test_c.py::test_ok",
        ])
    );
    let rows: BTreeMap<&str, &str> = out
        .stdout
        .lines()
        .filter_map(|line| {
            let (job, rest) = line.split_once("  ")?;
            Some((job.trim(), rest.split_whitespace().next()?))
        })
        .collect();
    assert_eq!(
        rows.get("test_c.py | group 2"),
        Some(&"failed"),
        "{}",
        out.describe()
    );
    assert_eq!(
        rows.get("test_c.py | group 1"),
        Some(&"passed"),
        "{}",
        out.describe()
    );
    assert_eq!(
        rows.values().filter(|r| **r == "passed").count(),
        4,
        "{}",
        out.describe()
    );
    assert!(
        out.stdout.contains("5 jobs: 4 passed, 1 failed; wall time"),
        "{}",
        out.describe()
    );
    let log = std::fs::read_to_string(logs.join("test_c.py_group_2.log")).expect("the job's log");
    assert!(
        log.contains("assert False"),
        "the log holds pytest's output:\n{log}"
    );
    // Not a terminal: plain progress lines on stderr.
    assert!(
        out.stderr.contains("failed      test_c.py | group 2"),
        "{}",
        out.describe()
    );

    std::fs::remove_file(p.join("ran.txt")).expect("remove");
    let out = run_with(&p, &python(), &["--all", "-m", "not broken"]);
    assert_eq!(
        out.code,
        0,
        "-m leaves the failing job out\n{}",
        out.describe()
    );
}

#[test]
fn a_command_after_the_double_dash_gets_the_options_and_node_ids() {
    let p = suite();
    p.file(
        "wrapper.py",
        r#"
        import os, sys
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "argv.txt"), "w") as f:
            f.write("\n".join(sys.argv[1:]))
        os.execv(sys.executable, [sys.executable, "-m", "pytest"] + sys.argv[2:])
        "#,
    );
    let py = python();
    let wrapper = p.join("wrapper.py");
    let out = p.run(&[
        "run",
        "--job",
        "test_c.py | group 1",
        "--",
        py.to_str().expect("utf-8"),
        wrapper.to_str().expect("utf-8"),
        "--marker-for-the-wrapper",
    ]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let argv = std::fs::read_to_string(p.join("argv.txt")).expect("the wrapper ran");
    let argv: Vec<&str> = argv.lines().collect();
    assert_eq!(argv[0], "--marker-for-the-wrapper");
    assert_eq!(argv.last(), Some(&"tests/test_c.py::test_ok"));
    assert_eq!(ran(&p), once(&["tests/test_c.py::test_ok"]));
}

#[test]
fn an_unknown_job_is_a_usage_error_naming_near_ones() {
    let p = suite();
    let out = run_with(&p, &python(), &["--job", "test_a.py | group 3"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr.contains("no job is named `test_a.py | group 3`"),
        "{}",
        out.describe()
    );
    assert!(
        out.stderr.contains("did you mean `test_a.py | group 1`"),
        "{}",
        out.describe()
    );
    assert!(ran(&p).is_empty(), "nothing ran");
}

#[test]
fn errors_in_the_selection_run_nothing() {
    let p = suite();
    p.file("tests/test_d.py", "def test_ungrouped():\n    pass\n");
    let out = run_with(&p, &python(), &["--all"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(out.stderr.contains("nothing run"), "{}", out.describe());
    assert!(ran(&p).is_empty(), "nothing ran");
}

/// A launcher command that does not exist starts no job: each is `not started`, the run
/// fails. (An interpreter is checked before any job: see preflight.rs.)
#[test]
fn jobs_whose_command_cannot_start_are_reported_and_fail_the_run() {
    let p = suite();
    let out = p.run(&["run", "--all", "-j", "2", "--", "/nonexistent/pytest"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(
        out.stdout
            .contains("5 jobs: 0 passed, 5 could not start; wall time")
            && out.stdout.contains("(1.0x)"),
        "{}",
        out.describe()
    );
    assert!(
        out.stdout
            .lines()
            .filter(|l| l.contains("not started"))
            .count()
            == 5,
        "{}",
        out.describe()
    );
    assert!(ran(&p).is_empty());
}
