//! Tests on real allure-pytest output: `tests/data/allure/two_runs/` is, verbatim, the folder
//! that allure-pytest 2.16.2 (allure-python-commons 2.16.2, attrs 26.1.0) on pytest 9.2.0 and
//! CPython 3.11 wrote for two runs into one folder, the first `pytest --alluredir DIR
//! tests/test_x.py` (pid 16912), the second `pytest --alluredir DIR tests/sub tests/v1.2`
//! (pid 16914), of this suite:
//!
//! == pyproject.toml
//! [tool.pytest.ini_options]
//! testpaths = ["tests"]
//! == tests/conftest.py
//! import time
//! import pytest
//!
//! @pytest.fixture
//! def func_fixture():
//!     time.sleep(0.1)
//!     yield "f"
//!     time.sleep(0.05)
//! == tests/test_x.py
//! import time
//! import pytest
//!
//! @pytest.fixture(scope="module", autouse=True)
//! def module_fixture():
//!     time.sleep(0.2)
//!     yield
//!     time.sleep(0.15)
//!
//! def test_module_level(func_fixture):
//!     time.sleep(0.3)
//!
//! @pytest.mark.parametrize("a, b", [(1, "x y"), (2, "z-w")], ids=["one two", "th-ree"])
//! def test_param(a, b):
//!     pass
//!
//! @pytest.mark.parametrize("n", [1, 2])
//! def test_auto_ids(n):
//!     pass
//!
//! class TestC:
//!     def test_m(self, func_fixture):
//!         pass
//!
//!     @pytest.mark.parametrize("v", ["a b", "c-d"], ids=["id one", "id-two"])
//!     def test_p(self, v):
//!         pass
//!
//! def test_fails():
//!     assert 1 == 2
//!
//! def test_broken():
//!     raise ValueError("boom")
//!
//! @pytest.fixture
//! def bad_fixture():
//!     raise RuntimeError("setup boom")
//!
//! def test_setup_error(bad_fixture):
//!     pass
//!
//! @pytest.mark.skip(reason="not now")
//! def test_skipped():
//!     pass
//!
//! @pytest.mark.xfail(reason="known")
//! def test_xfail():
//!     assert False
//!
//! @pytest.mark.xfail(reason="known")
//! def test_xpass():
//!     pass
//!
//! @pytest.mark.xfail(reason="strict", strict=True)
//! def test_xpass_strict():
//!     pass
//! == tests/sub/test_y.py
//! import pytest
//!
//! class TestOuter:
//!     class TestInner:
//!         def test_nested(self):
//!             pass
//!
//! @pytest.mark.parametrize("s", ["a::b", "π"])
//! def test_odd(s):
//!     pass
//!
//! @pytest.fixture
//! def bad_teardown():
//!     yield
//!     raise RuntimeError("teardown boom")
//!
//! def test_teardown_error(bad_teardown):
//!     pass
//! == tests/v1.2/test_z.py
//! import allure
//! import pytest
//!
//! @allure.title("A titled test")
//! def test_titled():
//!     pass
//!
//! @allure.title("Case {n}")
//! @pytest.mark.parametrize("n", [1, 2])
//! def test_titled_cases(n):
//!     pass
//!
//! pytest collected these node ids for it: the expected ids below.

use super::*;
use std::fs;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/allure/two_runs")
}

const FILES: [&str; 3] = [
    "tests/test_x.py",
    "tests/sub/test_y.py",
    "tests/v1.2/test_z.py",
];

fn is_sample_file(rel: &str) -> bool {
    FILES.contains(&rel)
}

fn read_sample() -> Vec<JobTiming> {
    read_dir(&data(), &is_sample_file).expect("reads the sample")
}

fn ids(job: &JobTiming) -> Vec<&str> {
    job.tests.iter().map(|t| t.node_id.as_str()).collect()
}

fn test<'a>(jobs: &'a [JobTiming], node_id: &str) -> &'a TestTiming {
    let mut found = jobs
        .iter()
        .flat_map(|j| &j.tests)
        .filter(|t| t.node_id == node_id);
    let test = found.next().unwrap_or_else(|| panic!("no {node_id}"));
    assert!(found.next().is_none(), "{node_id} once");
    test
}

/// Within a millisecond: allure's clock ticks in milliseconds.
fn assert_seconds(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-6, "{actual} != {expected}");
}

const RUN_1: [&str; 15] = [
    "tests/test_x.py::test_module_level",
    "tests/test_x.py::test_param[one two]",
    "tests/test_x.py::test_param[th-ree]",
    "tests/test_x.py::test_auto_ids[1]",
    "tests/test_x.py::test_auto_ids[2]",
    "tests/test_x.py::TestC::test_m",
    "tests/test_x.py::TestC::test_p[id one]",
    "tests/test_x.py::TestC::test_p[id-two]",
    "tests/test_x.py::test_fails",
    "tests/test_x.py::test_broken",
    "tests/test_x.py::test_setup_error",
    "tests/test_x.py::test_skipped",
    "tests/test_x.py::test_xfail",
    "tests/test_x.py::test_xpass",
    "tests/test_x.py::test_xpass_strict",
];

/// `@allure.title` replaces the name: the parameter id is lost, both cases share one id.
const RUN_2: [&str; 7] = [
    "tests/sub/test_y.py::TestOuter::TestInner::test_nested",
    "tests/sub/test_y.py::test_odd[a::b]",
    r"tests/sub/test_y.py::test_odd[\u03c0]",
    "tests/sub/test_y.py::test_teardown_error",
    "tests/v1.2/test_z.py::test_titled",
    "tests/v1.2/test_z.py::test_titled_cases",
    "tests/v1.2/test_z.py::test_titled_cases",
];

#[test]
fn one_job_per_pytest_process_in_the_order_tests_ran() {
    let jobs = read_sample();
    assert_eq!(jobs.len(), 2);
    assert_eq!(ids(&jobs[0]), RUN_1);
    assert_eq!(ids(&jobs[1]), RUN_2);
    let dir = data().display().to_string();
    assert_eq!(jobs[0].job_name, format!("{dir} | 16912-MainThread on vm"));
    assert_eq!(jobs[1].job_name, format!("{dir} | 16914-MainThread on vm"));
    assert_eq!(
        jobs[0].path_to_test_file.as_deref(),
        Some("tests/test_x.py")
    );
    assert_eq!(jobs[1].path_to_test_file, None);
    assert_eq!(jobs[0].status, JobStatus::Failed);
    assert_eq!(jobs[1].status, JobStatus::Failed, "a teardown error");
    assert_eq!(jobs[0].exit_code, None);
    // The module fixture's setup began it, its teardown ended it.
    assert_seconds(jobs[0].start, 1_796_645_726.100);
    assert_seconds(jobs[0].end, 1_796_645_727.106);
    assert_seconds(jobs[1].start, 1_796_645_727.410);
}

#[test]
fn node_ids_without_a_checkout_come_from_the_package_label() {
    let jobs = read_dir(&data(), &|_| false).expect("reads");
    assert_eq!(ids(&jobs[0]), RUN_1);
    assert_eq!(ids(&jobs[1]), RUN_2);
}

/// allure-pytest before 2.15 wrote no `titlePath`: the ids come from `fullName`, split where
/// `is_file` or the `package` label says (`tests.v1.2.test_z` is ambiguous without them).
#[test]
fn node_ids_from_full_name_when_there_is_no_title_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in fs::read_dir(data()).expect("data") {
        let path = entry.expect("entry").path();
        let mut json: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).expect("read")).expect("json");
        if let Some(object) = json.as_object_mut() {
            object.remove("titlePath");
        }
        let name = path.file_name().expect("a file name");
        fs::write(dir.path().join(name), json.to_string()).expect("write");
    }
    let jobs = read_dir(dir.path(), &is_sample_file).expect("reads");
    assert_eq!(ids(&jobs[0]), RUN_1);
    assert_eq!(ids(&jobs[1]), RUN_2);
}

#[test]
fn module_fixture_counts_in_the_first_test_and_its_teardown_in_the_last() {
    let jobs = read_sample();
    // 0.2 s module fixture + 0.1 s function fixture; the call's 0.3 s sleep; 0.05 s teardown.
    let first = test(&jobs, "tests/test_x.py::test_module_level");
    assert_seconds(first.setup, 0.3);
    assert_seconds(first.call, 0.301);
    assert_seconds(first.teardown, 0.05);
    assert_eq!(first.start, Some(1_796_645_726.100));
    // The same function fixture again, without the module's.
    let method = test(&jobs, "tests/test_x.py::TestC::test_m");
    assert_seconds(method.setup, 0.1);
    assert_seconds(method.teardown, 0.05);
    // The module fixture's 0.15 s teardown, in the module's last test.
    let last = test(&jobs, "tests/test_x.py::test_xpass_strict");
    assert_seconds(last.teardown, 0.15);
    assert_seconds(last.setup, 0.0);
    let middle = test(&jobs, "tests/test_x.py::test_param[one two]");
    assert_seconds(middle.total(), 0.0);
}

#[test]
fn outcomes_as_pytests_summary_counts_them() {
    let jobs = read_sample();
    use Outcome::*;
    for (node_id, outcome) in [
        ("tests/test_x.py::test_module_level", Passed),
        ("tests/test_x.py::test_fails", Failed),
        // `broken` in the test's body: pytest's FAILED.
        ("tests/test_x.py::test_broken", Failed),
        // `broken` in a fixture's setup or teardown: pytest's ERROR.
        ("tests/test_x.py::test_setup_error", Error),
        ("tests/sub/test_y.py::test_teardown_error", Error),
        ("tests/test_x.py::test_skipped", Skipped),
        ("tests/test_x.py::test_xfail", Xfailed),
        ("tests/test_x.py::test_xpass", Xpassed),
        ("tests/test_x.py::test_xpass_strict", Failed),
    ] {
        assert_eq!(test(&jobs, node_id).outcome, outcome, "{node_id}");
    }
}

fn sample_files() -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = fs::read_dir(data())
        .expect("data")
        .map(|e| {
            let path = e.expect("entry").path();
            let text = fs::read_to_string(&path).expect("read");
            (path, text)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_listing_order_does_not_matter() {
    let files = sample_files();
    let expected = jobs_of(&data(), files.clone(), &is_sample_file).expect("reads");
    for shift in [1, 7, 20] {
        let mut other = files.clone();
        other.rotate_left(shift);
        other.reverse();
        let jobs = jobs_of(&data(), other, &is_sample_file).expect("reads");
        assert_eq!(jobs, expected, "rotated by {shift}, reversed");
    }
    assert_eq!(read_sample(), expected);
}

#[test]
fn a_folder_without_results_is_an_error_that_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("1f0c-attachment.txt"), "log").expect("write");
    fs::write(dir.path().join("environment.properties"), "a=b").expect("write");
    let error = read_dir(dir.path(), &|_| false).expect_err("no results");
    assert!(matches!(error, AllureError::NoResults { .. }), "{error}");
    assert!(
        error.to_string().contains("no `*-result.json` file"),
        "{error}"
    );

    let missing = dir.path().join("missing");
    let error = read_dir(&missing, &|_| false).expect_err("no folder");
    assert!(matches!(error, AllureError::Io { .. }), "{error}");
    assert!(error.to_string().contains("missing"), "{error}");
}

#[test]
fn attachments_and_other_files_are_not_read() {
    let mut files = sample_files();
    files.push((data().join("0a-attachment.json"), "not json".to_owned()));
    files.push((data().join("categories.json"), "[".to_owned()));
    let jobs = jobs_of(&data(), files, &is_sample_file).expect("reads");
    assert_eq!(jobs, read_sample());
}

#[test]
fn malformed_files_are_named_in_the_error() {
    let one = |name: &str, text: &str| {
        let mut files = sample_files();
        files.push((PathBuf::from(name), text.to_owned()));
        jobs_of(Path::new("results"), files, &is_sample_file).expect_err("refused")
    };
    let error = one("bad-result.json", "{\"name\": ");
    assert!(matches!(error, AllureError::Json { .. }), "{error}");
    assert!(
        error.to_string().starts_with("bad-result.json: "),
        "{error}"
    );

    let error = one("bad-container.json", r#"{"children": "x"}"#);
    assert!(
        error.to_string().starts_with("bad-container.json: "),
        "{error}"
    );

    let result = |start: &str, stop: &str| {
        format!(
            r#"{{"name": "test_a", "fullName": "t#test_a", "titlePath": ["t.py"],
                 "status": "passed", "start": {start}, "stop": {stop}}}"#
        )
    };
    let error = one("late-result.json", &result("2000", "1000"));
    assert!(matches!(error, AllureError::Invalid { .. }), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("late-result.json: the test has start 2000.0"),
        "{error}"
    );
    let error = one(
        "never-result.json",
        r#"{"name": "test_a", "fullName": "t#test_a"}"#,
    );
    assert!(
        error.to_string().contains("no `start` or `stop`"),
        "{error}"
    );
    let error = one(
        "who-result.json",
        r#"{"status": "passed", "start": 1, "stop": 2}"#,
    );
    assert!(
        error.to_string().contains("cannot tell which test"),
        "{error}"
    );
    let error = one("far-result.json", &result("1e17", "1e17"));
    assert!(matches!(error, AllureError::Times { .. }), "{error}");

    let fixture = r#"{"children": ["17ab59a5-7f46-463a-ab03-ed85a8194183"],
        "befores": [{"name": "db", "start": 5, "stop": -1}]}"#;
    let error = one("neg-container.json", fixture);
    assert!(
        error
            .to_string()
            .starts_with("neg-container.json: fixture `db` has start 5.0"),
        "{error}"
    );
}
