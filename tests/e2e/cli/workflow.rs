//! `fanout` as a GitHub Actions step: errors and warnings as annotations, one log line for a
//! written matrix, and a step summary that explains a failure or a change selection.

use crate::e2e::affected::repo::Repo;
use crate::e2e::project::{run, Output, Project};
use std::process::Command;

/// The command as a GitHub Actions step runs it, with a step summary file in the project.
fn on_github(mut command: Command, p: &Project) -> (Output, String) {
    command
        .env("GITHUB_ACTIONS", "true")
        .env("CI", "true")
        .env("GITHUB_STEP_SUMMARY", p.join("summary.md"))
        .env("GITHUB_OUTPUT", p.join("outputs"));
    let out = run(command);
    let summary = std::fs::read_to_string(p.join("summary.md")).unwrap_or_default();
    (out, summary)
}

fn annotations(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.starts_with("::")).collect()
}

const MIXED: &str =
    "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n\ndef test_b():\n    pass\n";

#[test]
fn a_failing_matrix_annotates_and_explains_the_fix_in_the_summary() {
    let p = Project::new();
    p.file("tests/test_x.py", MIXED);
    let command = p.command_in("", &["matrix", "--backend", "github"]);
    let (out, summary) = on_github(command, &p);
    assert_eq!(out.code, 1, "{}", out.describe());
    let found = annotations(&out.stderr);
    assert_eq!(found.len(), 1, "{}", out.describe());
    assert!(
        found[0].starts_with(
            "::error file=tests/test_x.py,line=7,col=1,title=fanout error[mixed-grouping]::"
        ),
        "{}",
        found[0]
    );
    assert!(
        summary.starts_with("### fanout: no matrix written\n"),
        "{summary}"
    );
    assert!(
        summary.contains("| tests/test\\_x.py:7:1 | mixed\\-grouping:"),
        "{summary}"
    );
    assert!(summary.contains("How to fix"), "{summary}");
    assert!(summary.contains("fanout check --explain CODE"), "{summary}");
    let outputs = std::fs::read_to_string(p.join("outputs")).unwrap_or_default();
    assert_eq!(outputs, "", "no matrix on failure");
}

#[test]
fn a_failure_before_collection_is_in_the_summary_too() {
    let p = Project::new();
    p.file("tests/test_x.py", MIXED);
    let command = p.command_in("", &["matrix", "--backend", "nope"]);
    let (out, summary) = on_github(command, &p);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert_eq!(annotations(&out.stderr).len(), 1, "{}", out.describe());
    assert!(summary.contains("unknown backend"), "{summary}");
}

#[test]
fn a_written_matrix_logs_one_line() {
    let p = Project::new();
    p.file(
        "tests/test_x.py",
        MIXED
            .replace("def test_b", "@pytest.mark.group(2)\ndef test_b")
            .as_str(),
    )
    .file(
        "tests/test_y.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_c():\n    pass\n",
    );
    let command = p.command_in("", &["matrix", "--backend", "github"]);
    let (out, summary) = on_github(command, &p);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(
        out.stderr,
        "fanout: 3 jobs from 2 files\n",
        "{}",
        out.describe()
    );
    assert!(summary.starts_with("### fanout: 3 jobs"), "{summary}");
}

#[test]
fn warnings_are_annotations_on_every_collecting_command() {
    let p = Project::new();
    p.file(
        "tests/test_x.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n\nclass TestC:\n    def __init__(self):\n        pass\n\n    def test_c(self):\n        pass\n",
    );
    for args in [
        &["collect"][..],
        &["collect", "--format", "json"],
        &["matrix", "--backend", "json"],
    ] {
        let (out, _) = on_github(p.command_in("", args), &p);
        let found = annotations(&out.stderr);
        assert!(
            found
                .iter()
                .any(|l| l.starts_with("::warning file=tests/test_x.py,line=7,")),
            "{args:?}: {}",
            out.describe()
        );
    }
}

#[test]
fn changed_since_summary_reads_n_of_m_and_lists_the_jobs_left_out() {
    let repo = Repo::new();
    repo.replace("tests/test_a.py", "assert 2", "assert 2 + 0");
    repo.commit_all("change one test");
    let mut command = repo.project.command_in(
        "",
        &["matrix", "--backend", "github", "--changed-since", "main"],
    );
    command
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    let (out, summary) = on_github(command, &repo.project);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(
        out.stderr.contains("fanout: 1 of 4 jobs from 1 file\n"),
        "{}",
        out.describe()
    );
    assert!(summary.contains("**1 of 4 jobs** run"), "{summary}");
    let details = summary
        .split_once("<details><summary>3 jobs left out</summary>")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("no details block:\n{summary}"));
    assert!(details.contains("</details>"), "{summary}");
    for job in [
        "tests/test\\_a.py group 1",
        "tests/api/test\\_b.py group 1",
        "tests/db/test\\_db.py group 3",
    ] {
        assert!(
            details.contains(&format!("- {job}: no change since main reaches it")),
            "{job}:\n{summary}"
        );
    }
}
