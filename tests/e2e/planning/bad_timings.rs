//! Durations from pytest-split and JUnit are checked as fanout's own timings are: a time no run
//! can have is an error naming the file, never `inf`, `NaN` or centuries in a report or plan;
//! one file given twice does not count twice.

use super::{job, timings};
use crate::e2e::project::{Output, Project};

fn assert_refused(out: &Output, file: &str, what: &str) {
    assert_eq!(out.code, 2, "{what}: {}", out.describe());
    assert!(
        out.stderr.contains(file),
        "{what}: names the file: {}",
        out.describe()
    );
    for nonsense in ["inf", "NaN", "null"] {
        assert!(!out.stdout.contains(nonsense), "{what}: {}", out.describe());
    }
}

fn junit(cases: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="0" failures="0" skipped="0" tests="2" time="3.0" timestamp="2026-12-01T10:00:00.000000+00:00" hostname="h">{cases}</testsuite></testsuites>"#
    )
}

#[test]
fn junit_times_no_run_has_are_refused() {
    let p = Project::new();
    p.file(
        "tests/test_a.py",
        "def test_x():\n    pass\n\ndef test_y():\n    pass\n",
    );
    for (time, what) in [
        ("inf", "infinite"),
        ("NaN", "not a number"),
        ("-3", "negative"),
        ("1e300", "absurd"),
    ] {
        let cases = format!(
            r#"<testcase classname="tests.test_a" name="test_x" time="{time}" /><testcase classname="tests.test_a" name="test_y" time="1.0" />"#
        );
        p.file("report.xml", &junit(&cases));
        for command in ["report", "plan"] {
            let out = p.run(&[command, "--junit", "report.xml"]);
            assert_refused(&out, "report.xml", &format!("{command}, {what}"));
        }
    }
}

#[test]
fn durations_that_add_up_to_centuries_are_refused() {
    let p = Project::new();
    p.file(
        "tests/test_a.py",
        "def test_x():\n    pass\n\ndef test_y():\n    pass\n",
    )
    .file(
        ".test_durations",
        r#"{"tests/test_a.py::test_x": 1e300, "tests/test_a.py::test_y": 1e300}"#,
    );
    for command in ["report", "plan"] {
        let out = p.run(&[command, "--durations", ".test_durations"]);
        assert_refused(&out, ".test_durations", command);
    }
    p.file(
        ".test_durations",
        r#"{"tests/test_a.py::test_x": 6e10, "tests/test_a.py::test_y": 6e10}"#,
    );
    let out = p.run(&["report", "--durations", ".test_durations"]);
    assert_refused(&out, ".test_durations", "two tests over 10^11 s together");
}

#[test]
fn one_run_given_twice_counts_once() {
    let p = Project::new();
    p.file("t.py", "def test_a():\n    pass\n").file(
        "timings.json",
        &timings(&[job("x", "t.py", &[("t.py::test_a", 1.0, 2.0)])]),
    );
    std::fs::hard_link(p.join("timings.json"), p.join("again.json")).expect("link");
    std::fs::copy(p.join("timings.json"), p.join("copy.json")).expect("copy");
    let once = p.run(&["report", "--timings", "timings.json"]);
    assert_eq!(once.code, 0, "{}", once.describe());
    for second in ["timings.json", "./timings.json", "again.json", "copy.json"] {
        let out = p.run(&["report", "--timings", "timings.json", "--timings", second]);
        assert_eq!(out.code, 0, "{second}: {}", out.describe());
        assert!(
            out.stderr.contains("holds the same run as") && out.stderr.contains("counted once"),
            "{second}: {}",
            out.describe()
        );
        assert_eq!(
            out.stdout, once.stdout,
            "{second}: the same report as one run"
        );
    }
}
