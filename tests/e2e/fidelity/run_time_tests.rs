//! A module whose tests are made at run time (`globals()[name] = ...`, `exec(...)` into the
//! module) is in a job or in an error, never in neither: with `ungrouped = "whole-file"` its
//! job runs the file and pytest collects what it makes; where files need groups it is an
//! `ungrouped-file` error naming it. `exec` into a dict of its own binds nothing.

use super::compare::{job_node_ids, pytest_item_ids as pytest_items};
use crate::e2e::project::Project;

const MADE: &str = r#"
def _make(i):
    def test():
        assert i >= 0
    return test

for i in range(3):
    globals()[f"test_made_{i}"] = _make(i)

exec("def test_from_exec():\n    pass\n")
"#;

fn suite(whole_file: bool) -> Project {
    let p = Project::new();
    if whole_file {
        p.file(
            "pyproject.toml",
            "[tool.fanout]\nungrouped = \"whole-file\"\n",
        );
    }
    p.file("tests/test_made.py", MADE).file(
        "tests/test_static.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_static():\n    pass\n",
    );
    p
}

#[test]
fn a_module_of_run_time_tests_is_a_whole_file_job() {
    let p = suite(true);
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(
        out.stderr.contains("its job runs it whole"),
        "the warning says so: {}",
        out.describe()
    );
    let jobs = job_node_ids(&p, &[]);
    assert!(
        jobs.contains(&vec!["tests/test_made.py".to_owned()]),
        "{jobs:?}"
    );
    let mut together: Vec<String> = jobs
        .iter()
        .flat_map(|ids| {
            let args: Vec<&str> = ids.iter().map(String::as_str).collect();
            pytest_items(&p, &args)
        })
        .collect();
    together.sort();
    let whole = pytest_items(&p, &[]);
    assert_eq!(together, whole, "the jobs are the suite, each test once");
    assert_eq!(
        whole
            .iter()
            .filter(|id| id.starts_with("tests/test_made.py::"))
            .count(),
        4,
        "{whole:?}"
    );
    // -m cannot know their marks: the file stays, and the run's -m picks.
    let out = p.run(&["matrix", "--backend", "json", "-m", "slow"]);
    assert!(
        out.stdout.contains("tests/test_made.py"),
        "{}",
        out.describe()
    );
}

#[test]
fn where_files_need_groups_it_is_an_error_naming_the_file() {
    let p = suite(false);
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(
        out.stderr.contains(
            "tests/test_made.py:7:1: error[ungrouped-file]: pytest collects the tests this file makes at run time"
        ),
        "{}",
        out.describe()
    );
}

#[test]
fn exec_into_a_dict_of_its_own_binds_nothing() {
    let p = Project::new();
    p.file(
        "tests/test_env.py",
        "import pytest\n\nENV = {}\nexec(\"from os import *\", ENV)\nexec(\"x = 1\", {\"a\": 1})\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n",
    );
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(
        !out.stderr.contains("unresolved-test"),
        "{}",
        out.describe()
    );
    let out = p.run(&["collect"]);
    assert!(
        !out.stderr.contains("unresolved-test"),
        "{}",
        out.describe()
    );
}
