use super::{job, timings};
use crate::e2e::project::Project;
use crate::support::pytest_oracle::pytest_collect;
use serde_json::json;

pub const MARKERS: &str = "[tool.pytest.ini_options]\nmarkers = [\"group(id): run this test in the CI job of its (test file, group id); see fanout\", \"abort_on_fail: stop at the first failure\"]\n";

/// Five tests in one group, measured in one job: a 100 s module setup, two slow tests.
pub const ONE_GROUP: &str = "import pytest


@pytest.mark.group(1)
@pytest.mark.abort_on_fail  # deploys first
async def test_deploy():
    pass


@pytest.mark.group(1)
def test_scale():
    pass


@pytest.mark.group(1)
def test_status():
    pass


@pytest.mark.group(1)
def test_upgrade():
    pass


@pytest.mark.group(1)
def test_check():
    pass
";

pub const MEASURED: &[(&str, f64, f64)] = &[
    ("tests/test_db.py::test_deploy", 100.5, 1.0),
    ("tests/test_db.py::test_scale", 0.5, 300.0),
    ("tests/test_db.py::test_status", 0.5, 1.0),
    ("tests/test_db.py::test_upgrade", 0.5, 250.0),
    ("tests/test_db.py::test_check", 0.5, 1.0),
];

pub fn measured_project(pyproject: &str, test_file: &str) -> Project {
    let p = Project::new();
    p.file("pyproject.toml", pyproject)
        .bytes("tests/test_db.py", test_file.as_bytes())
        .file(
            "timings.json",
            &timings(&[job(
                "tests/test_db.py | group 1",
                "tests/test_db.py",
                MEASURED,
            )]),
        );
    p
}

fn groups_by_pytest(p: &Project) -> Vec<(String, serde_json::Value)> {
    let pytest = pytest_collect(&p.path(), &[]);
    assert!(pytest.errors.is_empty(), "{pytest:?}");
    pytest
        .items
        .iter()
        .map(|item| {
            let group = item
                .group
                .as_ref()
                .map_or(json!(null), |g| g.args[0].clone());
            (item.node_id.clone(), group)
        })
        .collect()
}

#[test]
fn two_slow_tests_after_a_big_setup_get_two_groups() {
    let p = measured_project(MARKERS, ONE_GROUP);
    // timings.json is the default input.
    let shown = p.run(&["plan"]);
    assert_eq!(shown.code, 0, "{}", shown.describe());
    insta::assert_snapshot!("plan_two_slow_tests", shown.stdout);

    let diff = p.run(&["plan", "--timings", "timings.json", "--diff"]);
    assert_eq!(diff.code, 1, "{}", diff.describe());
    insta::assert_snapshot!("plan_two_slow_tests_diff", diff.stdout);
    assert_eq!(
        std::fs::read_to_string(p.join("tests/test_db.py"))
            .ok()
            .as_deref(),
        Some(ONE_GROUP)
    );

    let write = p.run(&["plan", "--timings", "timings.json", "--write"]);
    assert_eq!(write.code, 0, "{}", write.describe());
    let after = std::fs::read_to_string(p.join("tests/test_db.py")).expect("file");
    assert_eq!(
        after,
        ONE_GROUP
            .replace(
                "@pytest.mark.group(1)\ndef test_upgrade",
                "@pytest.mark.group(2)\ndef test_upgrade"
            )
            .replace(
                "@pytest.mark.group(1)\ndef test_check",
                "@pytest.mark.group(2)\ndef test_check"
            )
    );
    let groups = groups_by_pytest(&p);
    assert_eq!(
        groups,
        [
            ("tests/test_db.py::test_deploy".to_owned(), json!(1)),
            ("tests/test_db.py::test_scale".to_owned(), json!(1)),
            ("tests/test_db.py::test_status".to_owned(), json!(1)),
            ("tests/test_db.py::test_upgrade".to_owned(), json!(2)),
            ("tests/test_db.py::test_check".to_owned(), json!(2)),
        ]
    );
    let check = p.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.describe());
    assert!(
        check.stdout.contains("no problems found"),
        "{}",
        check.describe()
    );

    let again = p.run(&["plan", "--timings", "timings.json", "--write"]);
    assert_eq!(again.code, 0, "{}", again.describe());
    assert!(again.stderr.contains("already match"), "{}", again.stderr);
    assert_eq!(
        std::fs::read_to_string(p.join("tests/test_db.py")).ok(),
        Some(after)
    );
    let diff = p.run(&["plan", "--timings", "timings.json", "--diff"]);
    assert_eq!(
        (diff.code, diff.stdout.as_str()),
        (0, ""),
        "{}",
        diff.describe()
    );
}

#[test]
fn fast_tests_follow_their_slow_test_and_marks_are_added_and_renumbered() {
    // No group mark yet on three tests, group 5 on two: a CRLF file with comments.
    let before = "import pytest\r\n\r\n# the deployment\r\nasync def test_deploy():\r\n    pass\r\n\r\n\r\n@pytest.mark.group(5)  # old\r\ndef test_scale():\r\n    pass\r\n\r\n\r\ndef test_status():\r\n    pass\r\n\r\n\r\nclass TestLater:\r\n    @pytest.mark.group(5)\r\n    def test_upgrade(self):\r\n        pass\r\n\r\n    def test_check(self):\r\n        pass\r\n";
    let p = Project::new();
    p.file("pyproject.toml", MARKERS)
        .bytes("tests/test_db.py", before.as_bytes());
    let measured: Vec<(String, f64, f64)> = MEASURED
        .iter()
        .map(|(id, s, c)| {
            (
                id.replace("::test_upgrade", "::TestLater::test_upgrade")
                    .replace("::test_check", "::TestLater::test_check"),
                *s,
                *c,
            )
        })
        .collect();
    let measured: Vec<(&str, f64, f64)> = measured
        .iter()
        .map(|(i, s, c)| (i.as_str(), *s, *c))
        .collect();
    p.file(
        "timings.json",
        &timings(&[job("all", "tests/test_db.py", &measured)]),
    );
    let write = p.run(&["plan", "--timings", "timings.json", "--write"]);
    assert_eq!(write.code, 0, "{}", write.describe());
    let after = std::fs::read_to_string(p.join("tests/test_db.py")).expect("file");
    assert_eq!(after, "import pytest\r\n\r\n# the deployment\r\n@pytest.mark.group(1)\r\nasync def test_deploy():\r\n    pass\r\n\r\n\r\n@pytest.mark.group(1)  # old\r\ndef test_scale():\r\n    pass\r\n\r\n\r\n@pytest.mark.group(1)\r\ndef test_status():\r\n    pass\r\n\r\n\r\nclass TestLater:\r\n    @pytest.mark.group(2)\r\n    def test_upgrade(self):\r\n        pass\r\n\r\n    @pytest.mark.group(2)\r\n    def test_check(self):\r\n        pass\r\n");
    let groups: Vec<serde_json::Value> = groups_by_pytest(&p).into_iter().map(|(_, g)| g).collect();
    assert_eq!(groups, [json!(1), json!(1), json!(1), json!(2), json!(2)]);
    let check = p.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.describe());
}

#[test]
fn together_keeps_dependent_slow_tests_in_one_group() {
    let pyproject = format!("{MARKERS}\n[tool.fanout.plan]\ntogether = [[\"tests/test_db.py::test_scale\", \"tests/test_db.py::test_upgrade\"]]\n");
    let p = measured_project(&pyproject, ONE_GROUP);
    let diff = p.run(&["plan", "--timings", "timings.json", "--diff"]);
    assert_eq!(
        (diff.code, diff.stdout.as_str()),
        (0, ""),
        "one group, as written: {}",
        diff.describe()
    );
    let shown = p.run(&["plan", "--timings", "timings.json"]);
    assert!(
        shown.stdout.contains("  proposed    1 job "),
        "{}",
        shown.stdout
    );

    let bad = measured_project(
        &format!("{MARKERS}\n[tool.fanout.plan]\ntogehter = []\n"),
        ONE_GROUP,
    );
    let out = bad.run(&["plan", "--timings", "timings.json"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(out.stderr.contains("togehter"), "{}", out.stderr);
}

#[test]
fn one_group_under_whole_file_policy_removes_the_marks() {
    let pyproject = format!("{MARKERS}\n[tool.fanout]\nungrouped = \"whole-file\"\n");
    let file = ONE_GROUP.replace(
        "@pytest.mark.group(1)\ndef test_upgrade",
        "@pytest.mark.group(2)\ndef test_upgrade",
    );
    let p = measured_project(&pyproject, &file);
    let measured: Vec<(&str, f64, f64)> = MEASURED
        .iter()
        .map(|(i, s, c)| (*i, *s, c.min(5.0)))
        .collect();
    p.file(
        "timings.json",
        &timings(&[job("all", "tests/test_db.py", &measured)]),
    );
    let write = p.run(&["plan", "--timings", "timings.json", "--write"]);
    assert_eq!(write.code, 0, "{}", write.describe());
    let after = std::fs::read_to_string(p.join("tests/test_db.py")).expect("file");
    assert!(!after.contains("mark.group"), "{after}");
    assert!(
        after.contains("@pytest.mark.abort_on_fail  # deploys first\nasync def test_deploy"),
        "{after}"
    );
    let check = p.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.describe());
}

#[test]
fn class_groups_are_reported_not_rewritten() {
    let file = "import pytest\n\n\n@pytest.mark.group(1)\nclass TestDb:\n    def test_deploy(self):\n        pass\n\n    def test_scale(self):\n        pass\n";
    let p = Project::new();
    p.file("pyproject.toml", MARKERS)
        .file("tests/test_db.py", file)
        .file(
            "timings.json",
            &timings(&[job(
                "all",
                "tests/test_db.py",
                &[
                    ("tests/test_db.py::TestDb::test_deploy", 100.0, 200.0),
                    ("tests/test_db.py::TestDb::test_scale", 0.0, 300.0),
                ],
            )]),
        );
    // The plan cannot be written whole: the file is left as it is and the command fails.
    let out = p.run(&["plan", "--timings", "timings.json", "--write"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(out.stderr.contains("warning[not-rewritten]: `TestDb::test_scale` not rewritten: its group comes from the class group mark"), "{}", out.stderr);
    assert!(
        out.stderr.contains("plan: not written: tests/test_db.py"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(p.join("tests/test_db.py"))
            .ok()
            .as_deref(),
        Some(file)
    );
}

#[test]
fn an_unregistered_group_marker_is_left_to_check_fix() {
    let p = measured_project(
        "[tool.pytest.ini_options]\naddopts = \"--strict-markers\"\nmarkers = [\"abort_on_fail\"]\n",
        &ONE_GROUP.replace("@pytest.mark.group(1)\n", ""),
    );
    let write = p.run(&["plan", "--timings", "timings.json", "--write"]);
    assert_eq!(write.code, 0, "{}", write.describe());
    assert!(
        write
            .stderr
            .contains("`fanout check --fix` registers the `group` marker"),
        "{}",
        write.stderr
    );
    let check = p.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.describe());
    let fix = p.run(&["check", "--fix"]);
    assert_eq!(fix.code, 0, "{}", fix.describe());
    let pytest = pytest_collect(&p.path(), &[]);
    assert!(
        pytest.exit_code == 0 && pytest.errors.is_empty(),
        "{pytest:?}"
    );
}

#[test]
fn plan_from_junit_written_by_pytest() {
    let p = Project::new();
    super::report::junit_suite(&p);
    let out = p.run(&["plan", "--junit", "db.xml", "api.xml"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(
        out.stdout.contains("tests/test_db.py: shared setup "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "(first test's time minus the median time of the others (no setup phase in the input))"
        ),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("TestDb::test_scale"), "{}", out.stdout);
}

#[test]
fn nothing_measured_is_an_error() {
    let p = measured_project(MARKERS, ONE_GROUP);
    p.file(
        "other.json",
        &timings(&[job(
            "x",
            "tests/test_gone.py",
            &[("tests/test_gone.py::test_a", 1.0, 1.0)],
        )]),
    );
    let out = p.run(&["plan", "--timings", "other.json"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(out.stderr.contains("nothing to plan"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("1 test in the timings not collected now"),
        "{}",
        out.stderr
    );
}

/// Start-up differs between files (a heavy conftest or import): each file is predicted with
/// its own, so a file planned as it ran is predicted as it ran.
#[test]
fn each_file_is_predicted_with_its_own_start_up() {
    let p = Project::new();
    let two_tests = "import pytest\n\n@pytest.mark.group(1)\ndef test_one():\n    pass\n\n@pytest.mark.group(1)\ndef test_two():\n    pass\n";
    let job = |file: &str, start: f64, end: f64| {
        json!({"job_name": format!("{file} | group 1"), "artifact_group_id": file,
               "start": start, "end": end, "status": "passed",
               "tests": [
                   {"node_id": format!("tests/{file}::test_one"), "outcome": "passed", "setup": 0.5, "call": 0.5},
                   {"node_id": format!("tests/{file}::test_two"), "outcome": "passed", "call": 1.0}]})
    };
    let timings = json!({"format": "fanout-timings", "version": 1, "jobs": [
        job("test_heavy.py", 1000.0, 1020.0),
        job("test_light.py", 1000.0, 1003.0),
    ]});
    p.file("pyproject.toml", MARKERS)
        .file("tests/test_heavy.py", two_tests)
        .file("tests/test_light.py", two_tests)
        .file("timings.json", &timings.to_string());
    let out = p.run(&["plan"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let heavy = out
        .stdout
        .split("tests/test_light.py")
        .next()
        .expect("heavy first");
    assert!(
        heavy.contains("current     1 job   wall   20.0s")
            && heavy.contains("proposed    1 job   wall   20.0s"),
        "{}",
        out.describe()
    );
}
