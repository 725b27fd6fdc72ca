//! Files that are not regular files (a FIFO named like a test module, a conftest, a config file
//! or a `.gitignore`) and symlinks to nothing never block fanout: skipped as pytest skips them,
//! or an error naming them.

use std::os::unix::fs::symlink;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::e2e::project::{Output, Project};
use crate::support::pytest_oracle::pytest_collect;

const TEST_A: &str = "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n";

fn fifo(p: &Project, rel: &str) {
    let status = Command::new("mkfifo")
        .arg(p.join(rel))
        .status()
        .expect("mkfifo");
    assert!(status.success());
}

/// Runs `fanout ARGS`, failing the test (and killing fanout) after 20 s: a blocked read.
fn run_bounded(p: &Project, args: &[&str]) -> Output {
    let mut child = p
        .command_in("", args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning fanout");
    let started = Instant::now();
    while child.try_wait().expect("waiting").is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("fanout {args:?} blocked for 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn node_ids(out: &Output) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    doc["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .map(|t| t["node_id"].as_str().expect("id").to_owned())
        .collect()
}

#[test]
fn fifos_named_like_pytests_files_are_skipped_as_pytest_skips_them() {
    let p = Project::new();
    p.file("tests/test_a.py", TEST_A);
    for rel in [
        "tests/test_fifo.py",
        "tests/conftest.py",
        "conftest.py",
        "pytest.ini",
        "tox.ini",
        "setup.cfg",
    ] {
        fifo(&p, rel);
    }
    let pytest = pytest_collect(&p.path(), &[]);
    let pytest_ids: Vec<String> = pytest.items.iter().map(|i| i.node_id.clone()).collect();
    assert_eq!(pytest_ids, ["tests/test_a.py::test_a"], "{pytest:?}");
    for command in [
        &["collect", "--format", "json"][..],
        &["matrix", "--backend", "json"],
        &["check"],
    ] {
        let out = run_bounded(&p, command);
        assert_eq!(out.code, 0, "{command:?}: {}", out.describe());
        if command[0] == "collect" {
            assert_eq!(node_ids(&out), pytest_ids);
        }
    }
}

#[test]
fn a_fifo_gitignore_is_an_error_naming_it() {
    let p = Project::new();
    p.file("tests/test_a.py", TEST_A);
    fifo(&p, "tests/.gitignore");
    let out = run_bounded(&p, &["collect"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr
            .contains("tests/.gitignore: error[io-error]: not a regular file"),
        "{}",
        out.describe()
    );

    let q = Project::new();
    q.file("tests/test_a.py", TEST_A);
    crate::e2e::affected::repo::git_in(&q.path(), &["init", "-q", "-b", "main"]);
    crate::e2e::affected::repo::git_in(&q.path(), &["add", "."]);
    crate::e2e::affected::repo::git_in(&q.path(), &["commit", "-q", "-m", "one"]);
    fifo(&q, ".gitignore");
    let out = run_bounded(&q, &["affected", "--base", "HEAD"]);
    assert_ne!(out.code, 0, "{}", out.describe());
    assert!(out.stderr.contains(".gitignore"), "{}", out.describe());
}

#[test]
fn symlinks_to_nothing_are_skipped_as_pytest_skips_them() {
    let p = Project::new();
    p.file("tests/test_a.py", TEST_A);
    symlink("gone.py", p.join("tests/test_gone.py")).expect("symlink");
    symlink("gone.py", p.join("tests/conftest.py")).expect("symlink");
    let pytest = pytest_collect(&p.path(), &[]);
    let pytest_ids: Vec<String> = pytest.items.iter().map(|i| i.node_id.clone()).collect();
    assert_eq!(pytest_ids, ["tests/test_a.py::test_a"], "{pytest:?}");
    let out = run_bounded(&p, &["collect", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(node_ids(&out), pytest_ids);
}
