//! A folder named like an option (`-kx`) stays a path in every argument list fanout makes or
//! writes: `run`, `verify`, and the node ids of every backend's output.

use super::{ran, run_with, CONFIG, RECORDING_CONFTEST};
use crate::e2e::project::{run, Project};
use crate::support::pytest_oracle::python;
use serde_json::Value;
use std::process::Command;

/// `-kx/test_a.py` with one failing test: read as `-k x`, pytest would deselect it and pass.
fn dash_suite() -> Project {
    let p = Project::new();
    p.file(
        "pyproject.toml",
        &CONFIG.replace("testpaths = [\"tests\"]", "testpaths = [\"-kx\"]"),
    )
    .file("-kx/conftest.py", RECORDING_CONFTEST)
    .file(
        "-kx/test_a.py",
        r#"
            import pytest

            @pytest.mark.group(1)
            def test_fails():
                assert False

            @pytest.mark.group(1)
            def test_passes():
                pass
            "#,
    );
    p
}

#[test]
fn run_hands_a_dash_folder_to_pytest_as_a_path() {
    let p = dash_suite();
    let out = run_with(&p, &python(), &["--job", "test_a.py | group 1"]);
    assert_eq!(
        out.code,
        1,
        "the failing test ran and failed: {}",
        out.describe()
    );
    assert_eq!(
        ran(&p).keys().collect::<Vec<_>>(),
        ["-kx/test_a.py::test_fails", "-kx/test_a.py::test_passes"]
    );
}

#[test]
fn matrix_node_ids_survive_pytest_word_splitting() {
    let p = dash_suite();
    for backend in ["json", "github"] {
        let mut command = p.command_in("", &["matrix", "--backend", backend]);
        if backend == "github" {
            command.env("GITHUB_OUTPUT", p.join("github_output"));
        }
        let out = run(command);
        assert_eq!(out.code, 0, "{}", out.describe());
        let text = if backend == "github" {
            std::fs::read_to_string(p.join("github_output")).expect("written")
        } else {
            out.stdout.clone()
        };
        let json = text
            .lines()
            .find_map(|l| l.strip_prefix("groups="))
            .map_or_else(
                || serde_json::from_str::<Value>(&text).expect("JSON")["groups"].clone(),
                |g| serde_json::from_str(g).expect("groups JSON"),
            );
        let ids: Vec<&str> = json[0]["node_ids"]
            .as_array()
            .expect("node_ids")
            .iter()
            .map(|v| v.as_str().expect("a string"))
            .collect();
        assert_eq!(
            ids,
            ["./-kx/test_a.py"],
            "{backend}: the file's tests are all in this job, which names the file"
        );
        // As the docs' workflow runs them: unquoted, word-split by the shell.
        let status = Command::new("sh")
            .args(["-c", "\"$0\" -m pytest -q -p no:cacheprovider $NODE_IDS"])
            .arg(python())
            .env("NODE_IDS", ids.join(" "))
            .current_dir(p.path())
            .output()
            .expect("running pytest");
        let stdout = String::from_utf8_lossy(&status.stdout);
        assert!(stdout.contains("1 failed, 1 passed"), "{backend}: {stdout}");
    }
}

#[test]
fn gitlab_node_ids_survive_pytest_word_splitting() {
    let p = dash_suite();
    p.file(
        ".gitlab/template.yml",
        ".fanout-integration:\n  script: [pytest $FANOUT_NODE_IDS]\n",
    );
    let out = p.run(&[
        "matrix",
        "--backend",
        "gitlab",
        "--backend-option",
        "template-file=.gitlab/template.yml",
    ]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(
        out.stdout.contains("FANOUT_NODE_IDS_1: './-kx/test_a.py'"),
        "{}",
        out.stdout
    );
}

#[test]
fn verify_hands_a_dash_path_to_pytest_as_a_path() {
    let p = dash_suite();
    let py = python();
    let out = p.run(&[
        "verify",
        "--python",
        py.to_str().expect("UTF-8"),
        "--",
        "-kx/test_a.py",
    ]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(
        out.stderr.contains("2 tests") || out.stdout.contains("2 tests"),
        "{}",
        out.describe()
    );
}
