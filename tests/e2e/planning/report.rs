use super::{job, timings, Job};
use crate::e2e::project::Project;
use crate::support::pytest_oracle::python;
use serde_json::Value;
use std::process::Command;

/// Two jobs of one file, each after a 100 s module setup: one runner would pay it once.
fn two_jobs(p: &Project) {
    let mut second = job(
        "tests/test_db.py | group 2",
        "tests/test_db.py",
        &[
            ("tests/test_db.py::test_upgrade", 100.5, 150.0),
            ("tests/test_db.py::test_check", 0.5, 1.0),
        ],
    );
    second.status = "failed";
    let first = job(
        "tests/test_db.py | group 1",
        "tests/test_db.py",
        &[
            ("tests/test_db.py::test_deploy", 100.5, 1.0),
            ("tests/test_db.py::test_scale", 0.5, 200.0),
            ("tests/test_db.py::test_status", 0.5, 8.0),
        ],
    );
    p.file("timings.json", &timings(&[first, second]));
}

#[test]
fn report_human_and_github_formats() {
    let p = Project::new();
    two_jobs(&p);
    let human = p.run(&["report", "--timings", "timings.json"]);
    assert_eq!(human.code, 0, "{}", human.describe());
    insta::assert_snapshot!("report_human", human.stdout);
    let github = p.run(&[
        "report",
        "--timings",
        "timings.json",
        "--format",
        "github",
        "--top",
        "3",
    ]);
    assert_eq!(github.code, 0, "{}", github.describe());
    insta::assert_snapshot!("report_github", github.stdout);
}

#[test]
fn report_json_has_the_numbers() {
    let p = Project::new();
    two_jobs(&p);
    let out = p.run(&[
        "report",
        "--timings",
        "timings.json",
        "--format",
        "json",
        "--top",
        "2",
    ]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let doc: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(doc["schema"], 1);
    // group 1: 1 + 101.5 + 200.5 + 8.5 = 311.5 s; group 2: 1 + 250.5 + 1.5 = 253 s.
    assert_eq!(doc["wall_seconds"], 311.5);
    assert_eq!(doc["machine_seconds"], 564.5);
    // The second job's 100 s of repeated setup is what one runner saves.
    assert_eq!(doc["sequential_seconds"], 464.5);
    assert_eq!(doc["files"][0]["setup_seconds"], 100.0);
    assert_eq!(doc["jobs"][1]["status"], "failed");
    assert_eq!(doc["jobs"][0]["setup_seconds"], 101.5);
    let slowest: Vec<&str> = doc["slowest_tests"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|t| t["node_id"].as_str())
        .collect();
    assert_eq!(
        slowest,
        [
            "tests/test_db.py::test_upgrade",
            "tests/test_db.py::test_scale"
        ]
    );
}

#[test]
fn report_html_is_one_self_contained_page() {
    let p = Project::new();
    let weird = [("tests/t.py::test_<b>", 1.0, 2.0)];
    p.file(
        "timings.json",
        &timings(&[Job {
            name: "<img src=x onerror=alert(1)>",
            ..job("x", "tests/t.py", &weird)
        }]),
    );
    let out = p.run(&[
        "report",
        "--timings",
        "timings.json",
        "--html",
        "out/report.html",
    ]);
    assert_eq!(
        out.code,
        2,
        "the directory does not exist: {}",
        out.describe()
    );
    p.dir("out");
    let out = p.run(&[
        "report",
        "--timings",
        "timings.json",
        "--html",
        "out/report.html",
    ]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let page = std::fs::read_to_string(p.join("out/report.html")).expect("written");
    assert!(
        page.starts_with("<!DOCTYPE html>") && page.contains("<svg"),
        "{page}"
    );
    assert!(!page.contains("<script"), "no script: {page}");
    let without_namespace = page.replace("http://www.w3.org/2000/svg", "");
    assert!(
        !without_namespace.contains("http:") && !without_namespace.contains("https:"),
        "nothing loaded from the network: {page}"
    );
    assert!(
        !page.contains("<img") && page.contains("&lt;img src=x"),
        "{page}"
    );
    assert!(page.contains("tests/t.py::test_&lt;b&gt;"), "{page}");
}

#[test]
fn report_under_github_actions_writes_the_step_summary() {
    let p = Project::new();
    two_jobs(&p);
    p.file("summary.md", "earlier\n");
    let mut command = p.command_in("", &["report", "--timings", "timings.json"]);
    command
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", p.join("summary.md"));
    let out = crate::e2e::project::run(command);
    assert_eq!(out.code, 0, "{}", out.describe());
    let summary = std::fs::read_to_string(p.join("summary.md")).expect("summary");
    assert!(
        summary.starts_with("earlier\n### fanout report"),
        "{summary}"
    );
    assert!(summary.contains("```mermaid\ngantt\n"), "{summary}");
}

#[test]
fn report_refuses_files_it_cannot_read() {
    let p = Project::new();
    p.file(
        "x.json",
        "{\"format\": \"other\", \"version\": 1, \"jobs\": []}\n",
    );
    let out = p.run(&["report", "--timings", "x.json"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr
            .contains("x.json: error[usage-error]: cannot read timings"),
        "{}",
        out.stderr
    );
    let none = p.run(&["report"]);
    assert_eq!(none.code, 2, "{}", none.describe());
    assert!(
        none.stderr
            .contains("timings.json: error[usage-error]: no timings file timings.json"),
        "{}",
        none.stderr
    );
    assert!(
        none.stderr
            .contains("fanout run --all --timings timings.json"),
        "{}",
        none.stderr
    );
    p.file(
        "timings.json",
        &timings(&[job("x", "t.py", &[("t.py::a", 0.0, 1.0)])]),
    );
    let default = p.run(&["report"]);
    assert_eq!(default.code, 0, "{}", default.describe());
}

/// Times no run has (a negative phase) are refused by report and plan alike, naming the job
/// and the test, rather than summed and charted.
#[test]
fn report_and_plan_refuse_impossible_times() {
    let p = Project::new();
    p.file(
        "timings.json",
        &timings(&[job("x", "t.py", &[("t.py::a", 5.0, -3.0)])]),
    )
    .file("t.py", "def test_a():\n    pass\n");
    for command in ["report", "plan"] {
        let out = p.run(&[command, "--timings", "timings.json"]);
        assert_eq!(out.code, 2, "{}", out.describe());
        assert!(
            out.stderr.contains("job `x`: `t.py::a` has call -3.0"),
            "{}",
            out.describe()
        );
    }
}

#[test]
fn report_reads_pytest_split_durations_as_one_run() {
    let p = Project::new();
    p.file(
        ".test_durations",
        r#"{"tests/test_a.py::test_x": 3.0, "tests/test_a.py::test_y": 1.5}"#,
    );
    let out = p.run(&[
        "report",
        "--durations",
        ".test_durations",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let doc: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(
        (doc["wall_seconds"].as_f64(), doc["speedup"].as_f64()),
        (Some(4.5), Some(1.0))
    );
    assert_eq!(doc["phases"], false);
    assert_eq!(doc["jobs"][0]["setup_share"], Value::Null);
}

/// A small suite run by a real pytest, one `--junitxml` per file as CI jobs would write them.
pub fn junit_suite(p: &Project) {
    p.file(
        "tests/test_db.py",
        r#"
        import time

        import pytest


        @pytest.fixture(scope="module")
        def deployed():
            time.sleep(0.4)


        class TestDb:
            def test_deploy(self, deployed):
                pass

            @pytest.mark.parametrize("n", [1, 2])
            def test_scale(self, deployed, n):
                time.sleep(0.05)


        def test_broken(deployed):
            assert False
        "#,
    )
    .file("tests/test_api.py", "def test_ping():\n    pass\n");
    for (file, xml) in [
        ("tests/test_db.py", "db.xml"),
        ("tests/test_api.py", "api.xml"),
    ] {
        let status = Command::new(python())
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", file])
            .arg(format!("--junitxml={xml}"))
            .current_dir(p.path())
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
            .output()
            .expect("running pytest");
        assert!(p.join(xml).is_file(), "pytest wrote no {xml}: {status:?}");
    }
}

#[test]
fn report_reads_junit_written_by_pytest() {
    let p = Project::new();
    junit_suite(&p);
    let out = p.run(&["report", "--junit", "db.xml", "api.xml", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let doc: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let jobs = doc["jobs"].as_array().expect("jobs");
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[0]["job_name"], "db.xml");
    assert_eq!(jobs[0]["path_to_test_file"], "tests/test_db.py");
    assert_eq!(jobs[0]["status"], "failed");
    assert_eq!(jobs[0]["tests"], 4);
    assert!(doc["wall_seconds"].as_f64() >= Some(0.4), "{doc}");
    let ids: Vec<&str> = doc["slowest_tests"]
        .as_array()
        .expect("tests")
        .iter()
        .filter_map(|t| t["node_id"].as_str())
        .collect();
    assert_eq!(
        ids[0], "tests/test_db.py::TestDb::test_deploy",
        "the module setup is in the first test"
    );
    assert!(
        ids.contains(&"tests/test_db.py::TestDb::test_scale[2]"),
        "{ids:?}"
    );
    assert!(ids.contains(&"tests/test_api.py::test_ping"), "{ids:?}");
}

/// Job and file names that begin like mermaid statements (its gantt lexer tries its keywords
/// first, case-insensitively) or hold bidirectional overrides render as text: each task line
/// begins with a word joiner, which no keyword does, and overrides are shown, not applied.
#[test]
fn mermaid_reads_every_job_and_section_name_as_text() {
    let names = [
        "gantt",
        "Section x",
        "click y",
        "2024-01-01 nightly",
        "topAxis",
        "title z",
        "call f()",
        "href \"u\"",
        "dateFormat YYYY",
        "excludes weekends",
        "evil \u{202e}txt.exe",
    ];
    let tests: Vec<(String, f64, f64)> = names
        .iter()
        .map(|n| (format!("{n}.py::test_a"), 1.0, 2.0))
        .collect();
    let rows: Vec<[(&str, f64, f64); 1]> = tests
        .iter()
        .map(|(id, s, c)| [(id.as_str(), *s, *c)])
        .collect();
    let jobs: Vec<Job<'_>> = names
        .iter()
        .zip(&rows)
        .map(|(name, row)| job(name, name, row))
        .collect();
    let p = Project::new();
    p.file("timings.json", &timings(&jobs));
    let out = p.run(&["report", "--timings", "timings.json", "--format", "github"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let chart = out
        .stdout
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a mermaid block");
    let lines: Vec<&str> = chart.lines().collect();
    assert_eq!(lines[0], "gantt", "{chart}");
    assert!(lines[1].starts_with("    title Jobs: wall "), "{chart}");
    assert_eq!(
        lines[2..4],
        ["    dateFormat x", "    axisFormat %H:%M:%S"],
        "{chart}"
    );
    for line in &lines[4..] {
        let statement = line.trim_start();
        let text = statement.strip_prefix("section ").unwrap_or(statement);
        assert!(
            text.starts_with('\u{2060}'),
            "{line:?} starts with a word joiner"
        );
        assert!(
            !line.contains('\u{202e}'),
            "{line:?}: the override is shown, not applied"
        );
    }
    assert_eq!(
        lines.len(),
        4 + 2 * names.len(),
        "a section and a task per job: {chart}"
    );
    assert!(chart.contains("evil \\u{202e}txt.exe"), "{chart}");
}
