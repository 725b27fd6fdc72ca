use super::*;
use fanout_timings::{JobStatus, Outcome};

fn job(name: &str, start: f64, tests: &[(&str, f64, f64)]) -> JobTiming {
    let mut clock = start + 1.0;
    let tests: Vec<TestTiming> = tests
        .iter()
        .map(|(id, setup, call)| {
            let t = TestTiming {
                node_id: (*id).into(),
                outcome: Outcome::Passed,
                start: Some(clock),
                setup: *setup,
                call: *call,
                teardown: 0.0,
            };
            clock += setup + call;
            t
        })
        .collect();
    JobTiming {
        job_name: name.into(),
        artifact_group_id: name.into(),
        path_to_test_file: None,
        group_id: serde_json::Value::Null,
        start,
        end: clock,
        status: JobStatus::Passed,
        exit_code: Some(0),
        tests,
    }
}

/// Two jobs of one file, each paying a 100 s setup: one runner would pay it once.
fn two_groups() -> Timings {
    let mut timings = Timings::new("test");
    timings.jobs.push(job(
        "a.py | group 1",
        0.0,
        &[("a.py::test_x", 100.0, 200.0), ("a.py::test_y", 0.0, 9.0)],
    ));
    timings.jobs.push(job(
        "a.py | group 2",
        0.0,
        &[("a.py::test_z", 100.0, 150.0), ("a.py::test_w", 0.0, 19.0)],
    ));
    timings
}

#[test]
fn wall_machine_and_speedup() {
    let report = build(&two_groups(), Phases::Split, 3);
    assert_eq!(report.wall_seconds, 310.0);
    assert_eq!(report.machine_seconds, 580.0);
    assert_eq!(report.sequential_seconds, 480.0);
    assert!((report.speedup - 480.0 / 310.0).abs() < 1e-9);
    assert_eq!(report.jobs[0].job_name, "a.py | group 1");
    assert_eq!(report.jobs[0].path_to_test_file.as_deref(), Some("a.py"));
    assert_eq!(report.jobs[0].setup_share, Some(100.0 / 310.0));
    let slowest: Vec<&str> = report
        .slowest_tests
        .iter()
        .map(|t| t.node_id.as_str())
        .collect();
    assert_eq!(slowest, ["a.py::test_x", "a.py::test_z", "a.py::test_w"]);
}

#[test]
fn totals_only_have_no_setup_share() {
    let report = build(&two_groups(), Phases::TotalOnly, 10);
    assert_eq!(report.jobs[0].setup_share, None);
    assert_eq!(report.slowest_tests[0].call, None);
}

#[test]
fn gantt_names_cannot_break_the_chart() {
    assert_eq!(
        gantt::name("a: b; c #1 %%x `\n"),
        "\u{2060}a\u{2236} b\u{37e} c \u{266f}1 \u{66a}\u{66a}x \u{2035}"
    );
    let mut timings = two_groups();
    timings.jobs[0].job_name = "evil: x\n    section y".into();
    let chart = gantt::chart(&build(&timings, Phases::Split, 3));
    assert_eq!(
        chart
            .lines()
            .filter(|l| l.trim_start().starts_with("section"))
            .count(),
        1,
        "{chart}"
    );
    assert!(
        chart.contains("    \u{2060}evil\u{2236} x     section y (5m 10s) :0, 310000\n"),
        "{chart}"
    );
}

#[test]
fn html_escapes_names() {
    let mut timings = two_groups();
    timings.jobs[0].job_name = "<script>alert(1)</script>".into();
    let page = html::render(&build(&timings, Phases::Split, 3), 3);
    assert!(!page.contains("<script>"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn durations_read_like_people_write_them() {
    assert_eq!(duration(42.25), "42.2s");
    assert_eq!(duration(185.0), "3m 05s");
    assert_eq!(duration(3725.0), "1h 02m");
    // The run table's figures, from when it had a formatter of its own.
    assert_eq!(duration(3.21), "3.2s");
    assert_eq!(duration(65.0), "1m 05s");
    assert_eq!(duration(7380.0), "2h 03m");
}

#[test]
fn no_time_prints_as_zero_never_minus_zero() {
    assert_eq!(duration(-0.0), "0.0s");
    assert_eq!(duration(-1.0), "0.0s");
    assert_eq!(percent(-0.0), "0%");
    assert_eq!(percent(0.425), "42%");
}

#[test]
fn html_and_markdown_tables_show_the_same_columns() {
    let report = build(&two_groups(), Phases::Split, 3);
    let page = html::render(&report, 3);
    let summary = markdown::render(&report, 3);
    for header in [
        "Slowest jobs",
        "Setup share",
        "Slowest tests",
        "Setup",
        "Call",
        "Outcome",
    ] {
        assert!(
            page.contains(&format!("<th>{header}</th>")),
            "{header}: {page}"
        );
        assert!(
            summary.contains(&format!(" {header} |")),
            "{header}: {summary}"
        );
    }
    // test_x: 100 s setup, 200 s call, in both.
    assert!(
        page.contains("<td class=\"n\">1m 40s</td><td class=\"n\">3m 20s</td>"),
        "{page}"
    );
    assert!(summary.contains("| 1m 40s | 3m 20s |"), "{summary}");
}
