//! Grouping lint: each rule fires on a fixture that needs it and stays quiet on one that does not.

use super::{check_json, codes};
use crate::e2e::project::Project;

const REGISTERED: &str = "[pytest]\nmarkers =\n    group\n";

fn with_tests(text: &str) -> Vec<String> {
    let p = Project::new();
    p.file("pytest.ini", REGISTERED)
        .file("tests/test_a.py", text);
    codes(&check_json(&p, &[]).1)
}

#[test]
fn clean_suite_has_no_findings() {
    let p = Project::new();
    p.file("pytest.ini", REGISTERED).file(
        "tests/test_a.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n\n@pytest.mark.group(\"smoke\")\ndef test_b():\n    pass\n",
    );
    let (out, doc) = check_json(&p, &[]);
    assert_eq!((out.code, codes(&doc)), (0, vec![]), "{}", out.describe());
    let human = p.run(&["check"]);
    assert_eq!(human.code, 0);
    assert!(
        human.stdout.contains("no problems found"),
        "{}",
        human.stdout
    );
}

#[test]
fn group_mark_on_a_helper_pytest_does_not_collect() {
    let found = with_tests(
        "import pytest\n\n@pytest.mark.group(1)\nasync def verify_endpoints():\n    pass\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n",
    );
    assert_eq!(found, ["uncollected-group-mark"]);
}

#[test]
fn class_and_module_group_marks_are_flagged_for_the_original_conftest() {
    let found = with_tests(
        "import pytest\n\npytestmark = pytest.mark.group(1)\n\ndef test_a():\n    pass\n",
    );
    assert_eq!(found, ["outer-group-mark"]);
    let found = with_tests(
        "import pytest\n\n@pytest.mark.group(2)\nclass TestX:\n    def test_a(self):\n        pass\n",
    );
    assert_eq!(found, ["outer-group-mark"]);
}

#[test]
fn group_zero_and_ids_differing_in_type() {
    let found = with_tests("import pytest\n\n@pytest.mark.group(0)\ndef test_a():\n    pass\n");
    assert_eq!(found, ["group-zero"]);
    let found = with_tests(
        "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n\n@pytest.mark.group(\"1\")\ndef test_b():\n    pass\n",
    );
    assert_eq!(found, ["group-id-type-clash"]);
    // The same id in two files is two jobs: nothing to say.
    let p = Project::new();
    p.file("pytest.ini", REGISTERED)
        .file(
            "tests/test_a.py",
            "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n",
        )
        .file(
            "tests/test_b.py",
            "import pytest\n\n@pytest.mark.group(\"1\")\ndef test_b():\n    pass\n",
        );
    assert_eq!(codes(&check_json(&p, &[]).1), Vec::<String>::new());
}

#[test]
fn more_jobs_than_max_jobs_and_collect_errors() {
    let p = Project::new();
    p.file("pytest.ini", REGISTERED)
        .file("pyproject.toml", "[tool.fanout]\nmax-jobs = 1\n")
        .file(
            "tests/test_a.py",
            "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n\n@pytest.mark.group(2)\ndef test_b():\n    pass\n\ndef test_c():\n    pass\n",
        );
    let (out, doc) = check_json(&p, &[]);
    assert_eq!(out.code, 1);
    assert_eq!(codes(&doc), ["too-many-jobs", "mixed-grouping"], "{doc:#}");
    assert_eq!(doc["diagnostics"][0]["path"], "pyproject.toml");
    assert_eq!(doc["diagnostics"][0]["line"], 2);
    p.file("pyproject.toml", "[tool.fanout]\nmax-jobs = 2\n");
    assert_eq!(codes(&check_json(&p, &[]).1), ["mixed-grouping"]);
}

#[test]
fn explain_and_usage_errors() {
    let p = Project::new();
    let out = p.run(&["check", "--explain", "unknown-marker"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("--strict-markers"), "{}", out.stdout);
    let out = p.run(&["check", "--explain", "no-such-code"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown diagnostic code"),
        "{}",
        out.stderr
    );
    let out = p.run(&["check", "-c", "missing.ini"]);
    assert_eq!(out.code, 2, "{}", out.describe());
}

/// pytest-dependency, pytest-order and `incremental` classes: a dependency between two jobs is
/// a warning, one inside a job is not; names follow each plugin's scopes.
#[test]
fn dependencies_between_jobs_are_flagged() {
    let p = Project::new();
    p.file(
        "pytest.ini",
        "[pytest]\nmarkers =\n    group\n    dependency\n    order\n    incremental\n",
    )
    .file(
        "tests/test_a.py",
        r#"import pytest

@pytest.mark.group(1)
@pytest.mark.dependency()
def test_a():
    pass

@pytest.mark.group(1)
@pytest.mark.dependency(depends=["test_a"])
def test_same_job():
    pass

@pytest.mark.group(2)
@pytest.mark.dependency(depends=["test_a"])
def test_other_group():
    pass

@pytest.mark.group(2)
@pytest.mark.dependency(depends=["tests/test_b.py::test_b"], scope="session")
def test_other_file():
    pass

@pytest.mark.group(3)
@pytest.mark.order(after="test_a")
def test_ordered():
    pass

@pytest.mark.group(3)
@pytest.mark.order(after=["TestInc::test_one", "test_missing"])
def test_ordered_in_job():
    pass

@pytest.mark.incremental
class TestInc:
    @pytest.mark.group(3)
    def test_one(self):
        pass

    @pytest.mark.group(4)
    def test_two(self):
        pass

    @pytest.mark.group(4)
    @pytest.mark.dependency(depends=["test_two"], scope="class")
    def test_three(self):
        pass
"#,
    )
    .file(
        "tests/test_b.py",
        "import pytest\n\n@pytest.mark.group(1)\n@pytest.mark.dependency()\ndef test_b():\n    pass\n",
    );
    let (out, doc) = check_json(&p, &[]);
    assert_eq!(out.code, 0, "warnings only: {}", out.describe());
    let mut found: Vec<String> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "split-dependency")
        .map(|d| d["message"].as_str().expect("a message").to_owned())
        .collect();
    found.sort();
    let needs = |a: &str, b: &str, why: &str, where_: &str| {
        format!("`tests/test_a.py::{a}` needs `{b}` ({why}), which is in another {where_}")
    };
    let expected = [
        needs(
            "TestInc::test_three",
            "tests/test_a.py::TestInc::test_one",
            "an `incremental` class",
            "group: its job runs without it",
        ),
        needs(
            "TestInc::test_two",
            "tests/test_a.py::TestInc::test_one",
            "an `incremental` class",
            "group: its job runs without it",
        ),
        needs(
            "test_ordered",
            "tests/test_a.py::test_a",
            "pytest-order `after`/`before`",
            "group: its job runs without it",
        ),
        needs(
            "test_other_file",
            "tests/test_b.py::test_b",
            "pytest-dependency `depends`",
            "file: every job is its own pytest run, so no grouping runs them together",
        ),
        needs(
            "test_other_group",
            "tests/test_a.py::test_a",
            "pytest-dependency `depends`",
            "group: its job runs without it",
        ),
    ];
    assert_eq!(found, expected, "{}", out.describe());
}
