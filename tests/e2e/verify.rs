//! `fanout verify` against the pinned pytest (and the oldest one it supports): agreement,
//! hooks fanout cannot see, files pytest cannot import, and each output format.

use crate::e2e::project::{Output, Project};
use crate::support::pytest_oracle::{python, python_pytest7};
use serde_json::Value;
use std::path::Path;

const CONFIG: &str = r#"
    [tool.pytest.ini_options]
    testpaths = ["tests"]
    markers = ["group(id): the CI job", "runner(labels): the CI runner"]
    "#;

/// Modules, classes, parameters and runners, all readable statically.
fn agreeing_suite() -> Project {
    let p = Project::new();
    p.file("pyproject.toml", CONFIG)
        .file(
            "tests/test_deploy.py",
            r#"
            import pytest

            pytestmark = pytest.mark.group(1)

            @pytest.mark.parametrize("size", ["small", "large"])
            def test_deploy(size):
                pass

            class TestScale:
                pytestmark = [pytest.mark.group("scale"), pytest.mark.runner(["self-hosted", "big"])]

                def test_up(self):
                    pass

                @pytest.mark.group(3)
                def test_down(self):
                    pass
            "#,
        )
        .file(
            "tests/test_backup.py",
            r#"
            import pytest

            @pytest.mark.group(2)
            @pytest.mark.runner("large")
            def test_backup():
                pass
            "#,
        );
    p
}

fn verify(p: &Project, args: &[&str]) -> Output {
    verify_with(p, &python(), args)
}

fn verify_with(p: &Project, python: &Path, args: &[&str]) -> Output {
    let mut all = vec!["verify".to_owned(), "--python".to_owned()];
    all.push(python.to_string_lossy().into_owned());
    all.extend(args.iter().map(|a| (*a).to_owned()));
    p.run(&all)
}

fn json(output: &Output) -> Value {
    serde_json::from_str(&output.stdout)
        .unwrap_or_else(|e| panic!("verify JSON does not parse ({e})\n{}", output.describe()))
}

#[test]
fn a_suite_fanout_reads_whole_agrees() {
    let p = agreeing_suite();
    let out = verify(&p, &[]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(
        out.stdout,
        "verify: 5 tests agree (pytest 9.2.0; fanout lists 4)\n"
    );
    assert_eq!(out.stderr, "");
}

/// Cases fanout lists one by one (groups and runners on parameters, built by a comprehension)
/// are compared item by item.
#[test]
fn cases_listed_one_by_one_agree() {
    let p = Project::new();
    p.file("pyproject.toml", CONFIG).file(
        "tests/test_clouds.py",
        r#"
        import pytest

        CASES = [
            pytest.param(c, id=c, marks=[pytest.mark.group(c), pytest.mark.runner(f"{c}-runner")])
            for c in ("aws", "gcp")
        ]

        @pytest.mark.parametrize("cloud", CASES)
        @pytest.mark.parametrize("size", [1, 2])
        def test_backup(cloud, size):
            pass
        "#,
    );
    let out = verify(&p, &[]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(
        out.stdout,
        "verify: 4 tests agree (pytest 9.2.0; fanout lists 4)\n"
    );
}

#[test]
fn the_plugin_works_with_pytest_7_0() {
    let p = agreeing_suite();
    let out = verify_with(&p, &python_pytest7(), &["--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let doc = json(&out);
    assert_eq!(doc["pytest_version"], "7.0.1");
    assert_eq!(doc["agree"], true);
    assert_eq!(doc["counts"]["pytest"], 5);
}

#[test]
fn the_virtualenv_is_the_default_interpreter() {
    let p = agreeing_suite();
    let venv = python()
        .parent()
        .and_then(Path::parent)
        .expect("the venv python is in <venv>/bin")
        .to_owned();
    let mut command = p.command_in("", &["verify"]);
    command.env("VIRTUAL_ENV", &venv);
    let out = crate::e2e::project::run(command);
    assert_eq!(out.code, 0, "{}", out.describe());
}

/// A conftest hook that gives a test another group, and drops another.
fn hooked_suite() -> Project {
    let p = agreeing_suite();
    p.file(
        "tests/conftest.py",
        r#"
        import pytest

        def pytest_collection_modifyitems(items):
            for item in items:
                if item.name == "test_backup":
                    item.add_marker(pytest.mark.group(7), append=False)
            items[:] = [i for i in items if i.name != "test_down"]
        "#,
    );
    p
}

#[test]
fn a_group_added_by_a_hook_is_a_difference() {
    let p = hooked_suite();
    let out = verify(&p, &[]);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert_eq!(
        out.stdout,
        "only fanout lists (1):\n  tests/test_deploy.py::TestScale::test_down\ngroup differs (1):\n  tests/test_backup.py::test_backup  pytest: 7  fanout: 2\nverify: 2 differences; 3 of 4 tests pytest collects agree (pytest 9.2.0)\n"
    );
}

#[test]
fn json_output() {
    let p = hooked_suite();
    let out = verify(&p, &["--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    let root = p.path().to_string_lossy().into_owned();
    insta::assert_snapshot!("json", out.stdout.replace(&root, "[ROOT]"));
}

#[test]
fn github_output() {
    let p = hooked_suite();
    let mut command = p.command_in("", &["verify", "--format", "github", "--python"]);
    command.arg(python()).env("GITHUB_ACTIONS", "true");
    let out = crate::e2e::project::run(command);
    assert_eq!(out.code, 1, "{}", out.describe());
    insta::assert_snapshot!("github", out.stdout);
}

#[test]
fn parameters_from_pytest_generate_tests_belong_to_their_function() {
    let p = Project::new();
    p.file("pyproject.toml", CONFIG)
        .file(
            "tests/conftest.py",
            r#"
            import pytest

            def pytest_generate_tests(metafunc):
                if "region" in metafunc.fixturenames:
                    metafunc.parametrize("region", ["eu", "us"])
                if "zone" in metafunc.fixturenames:
                    metafunc.parametrize(
                        "zone", ["a", pytest.param("b", marks=pytest.mark.group(9))]
                    )
            "#,
        )
        .file(
            "tests/test_regions.py",
            r#"
            import pytest

            @pytest.mark.group(1)
            def test_region(region):
                pass

            def test_zone(zone):
                pass
            "#,
        );
    let out = verify(&p, &["--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    let doc = json(&out);
    assert_eq!(doc["counts"]["pytest"], 4);
    assert_eq!(doc["counts"]["agreeing"], 3);
    // Both `test_region` items are the function's; `test_zone[b]` got a group at run time
    // (a parameter's mark comes after the function's own, so `test_region` would keep 1).
    assert_eq!(
        doc["differences"],
        serde_json::json!([{
            "kind": "group",
            "node_id": "tests/test_regions.py::test_zone[b]",
            "path": "tests/test_regions.py",
            "line": 7,
            "pytest": "9",
            "fanout": "none",
        }])
    );
}

#[test]
fn a_file_pytest_cannot_import_is_an_error_and_the_rest_is_compared() {
    let p = agreeing_suite();
    p.file(
        "tests/test_broken.py",
        r#"
        import pytest
        import fanout_missing_dependency

        @pytest.mark.group(5)
        def test_never():
            pass
        "#,
    );
    let out = verify(&p, &[]);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stdout
            .starts_with("verify: 0 differences, 1 error; 5 of 5 tests"),
        "{}",
        out.describe()
    );
    assert!(
        out.stderr.starts_with(
            "tests/test_broken.py: error[pytest-collection-error]: pytest could not collect this: ModuleNotFoundError: No module named 'fanout_missing_dependency'\n"
        ),
        "{}",
        out.describe()
    );
}

#[test]
fn pytest_that_cannot_start_is_exit_2_with_its_output() {
    let p = agreeing_suite();
    p.file("tests/conftest.py", "import fanout_missing_plugin\n");
    let out = verify(&p, &["--format", "json"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    let doc = json(&out);
    assert_eq!(doc["diagnostics"][0]["code"], "pytest-failed");
    let tail = doc["pytest_output"].to_string();
    assert!(tail.contains("fanout_missing_plugin"), "{}", out.describe());
    assert!(out.stderr.contains("  | "), "{}", out.describe());
}

#[test]
fn no_python_is_exit_2() {
    let p = agreeing_suite();
    let mut command = p.command_in("", &["verify"]);
    command.env("PATH", p.path());
    let out = crate::e2e::project::run(command);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr
            .starts_with("error[pytest-failed]: no Python found"),
        "{}",
        out.describe()
    );
}

#[test]
fn a_collect_command_gets_pytests_arguments_appended() {
    let p = hooked_suite();
    let command = format!("'{}' -m pytest", python().display());
    let out = p.run(&[
        "verify",
        "--collect-command",
        &command,
        "tests/test_backup.py",
    ]);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert_eq!(
        out.stdout,
        "group differs (1):\n  tests/test_backup.py::test_backup  pytest: 7  fanout: 2\nverify: 1 difference; 0 of 1 test pytest collects agree (pytest 9.2.0)\n"
    );
}

#[test]
fn mark_expressions_reach_pytest() {
    let p = agreeing_suite();
    let out = verify(&p, &["-m", "runner", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(json(&out)["counts"]["pytest"], 3);
}

/// A conftest that leaves a process behind holding pytest's output, and writes 500 MB to
/// stderr: verify returns when pytest exits, and keeps only the end of what it wrote.
#[test]
fn verify_stops_waiting_when_pytest_exits_and_bounds_its_output() {
    let p = agreeing_suite();
    // `-s`: no capture, so the conftest writes to pytest's own stdout and stderr (with capture
    // on, a plugin or a daemon started before it does the same).
    p.file(
        "pyproject.toml",
        &format!("{CONFIG}\n    addopts = \"-s\"\n"),
    );
    p.file(
        "tests/conftest.py",
        r#"
        import subprocess, sys

        # Inherits pytest's stdout and stderr, and outlives it.
        subprocess.Popen(["sleep", "60"])
        chunk = "x" * (1 << 20) + "\n"
        for _ in range(500):
            sys.stderr.write(chunk)
        sys.stderr.flush()
        "#,
    );
    let started = std::time::Instant::now();
    let py = python();
    let mut child = p
        .command_in("", &["verify", "--python", py.to_str().expect("UTF-8")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawning fanout");
    // The process's own peak (VmHWM), read until it exits.
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    let status = loop {
        if let Some(hwm) = std::fs::read_to_string(&status_file).ok().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        }) {
            peak_kib = peak_kib.max(hwm);
        }
        if let Some(status) = child.try_wait().expect("waiting") {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let elapsed = started.elapsed();
    assert_eq!(status.code(), Some(0));
    assert!(
        elapsed < std::time::Duration::from_secs(40),
        "returned after pytest exited, not after the sleep: {elapsed:?}"
    );
    assert!(peak_kib > 0, "read the peak");
    assert!(
        peak_kib < 200 * 1024,
        "peak {peak_kib} KiB for 500 MB of stderr"
    );
}
