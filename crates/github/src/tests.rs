use super::*;
use fanout_core::{Code, MatrixEntry, Runner};
use serde_json::{json, Value};
use std::collections::HashMap;

fn entry(path: &str, group: i64, tests: usize) -> MatrixEntry {
    let job_name = format!("{path} | group {group}");
    MatrixEntry {
        path_to_test_file: path.to_owned(),
        group_id: Some(group.to_string()),
        group_number: Some(group),
        artifact_group_id: fanout_core::matrix::artifact_safe(&job_name),
        job_name,
        node_ids: (0..tests)
            .map(|i| format!("{path}::test_{i}").into())
            .collect(),
        runner: None,
    }
}

fn matrix(entries: usize) -> Matrix {
    Matrix {
        entries: (0..entries)
            .map(|i| entry(&format!("t/test_{i}.py"), 1, 1))
            .collect(),
    }
}

/// Runs the backend with only the given environment variables set.
fn run(
    matrix: &Matrix,
    diagnostics: &[Diagnostic],
    output: Option<&Path>,
    vars: &[(&str, &Path)],
) -> (Result<(), BackendError>, String) {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.display().to_string()))
        .collect();
    let env = move |name: &str| vars.get(name).cloned();
    let mut stdout = Vec::new();
    let mut ctx = OutputContext {
        output,
        env: &env,
        stdout: &mut stdout,
        options: &fanout_core::BackendOptions::new(),
        rootdir: std::path::Path::new("."),
    };
    let result = GithubBackend.write(matrix, diagnostics, &mut ctx);
    (result, String::from_utf8(stdout).expect("output is UTF-8"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("file was written")
}

/// The value of `name=` in step-output text.
fn output_value<'a>(text: &'a str, name: &str) -> &'a str {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix('='))
        .expect("output is present")
}

#[test]
fn appends_to_github_output_keeping_earlier_outputs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let outputs = dir.path().join("github_output");
    std::fs::write(&outputs, "earlier=1\n").expect("seed file");
    let m = Matrix {
        entries: vec![entry("t/test_a.py", 1, 2)],
    };
    let (result, stdout) = run(&m, &[], None, &[("GITHUB_OUTPUT", &outputs)]);
    result.expect("write succeeds");
    assert_eq!(stdout, "");
    assert_eq!(
        read(&outputs),
        "earlier=1\n\
         groups=[{\"path_to_test_file\":\"t/test_a.py\",\"group_id\":\"1\",\"group_number\":1,\
         \"job_name\":\"t/test_a.py | group 1\",\"artifact_group_id\":\"t_test_a.py_group_1\",\
         \"node_ids\":[\"t/test_a.py::test_0\",\"t/test_a.py::test_1\"]}]\n\
         count=1\n"
    );

    // A second step appends again rather than replacing.
    let (result, _) = run(&m, &[], None, &[("GITHUB_OUTPUT", &outputs)]);
    result.expect("write succeeds");
    assert_eq!(read(&outputs).matches("count=1\n").count(), 2);
}

#[test]
fn creates_github_output_when_missing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let outputs = dir.path().join("github_output");
    let (result, _) = run(&matrix(2), &[], None, &[("GITHUB_OUTPUT", &outputs)]);
    result.expect("write succeeds");
    assert_eq!(output_value(&read(&outputs), "count"), "2");
}

#[test]
fn output_flag_overrides_github_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let outputs = dir.path().join("github_output");
    let flag = dir.path().join("out.txt");
    std::fs::write(&flag, "kept\n").expect("seed file");
    let (result, stdout) = run(&matrix(1), &[], Some(&flag), &[("GITHUB_OUTPUT", &outputs)]);
    result.expect("write succeeds");
    assert_eq!(stdout, "");
    assert!(!outputs.exists(), "$GITHUB_OUTPUT is left alone");
    let text = read(&flag);
    assert!(text.starts_with("kept\ngroups=[{"), "appended: {text}");
    assert!(text.ends_with("}]\ncount=1\n"), "appended: {text}");
}

#[test]
fn prints_to_stdout_without_a_destination() {
    let (result, stdout) = run(&matrix(1), &[], None, &[]);
    result.expect("write succeeds");
    let lines: Vec<_> = stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("groups=[{\"path_to_test_file\":\"t/test_0.py\""));
    assert_eq!(lines[1], "count=1");
    assert!(stdout.ends_with('\n'));
}

#[test]
fn empty_env_values_mean_unset() {
    let empty = Path::new("");
    let (result, stdout) = run(
        &Matrix::default(),
        &[],
        None,
        &[("GITHUB_OUTPUT", empty), ("GITHUB_STEP_SUMMARY", empty)],
    );
    result.expect("write succeeds");
    assert_eq!(stdout, "groups=[]\ncount=0\n");
}

#[test]
fn empty_matrix_writes_an_empty_array_and_zero() {
    let dir = tempfile::tempdir().expect("temp dir");
    let outputs = dir.path().join("github_output");
    let summary = dir.path().join("summary.md");
    let (result, _) = run(
        &Matrix::default(),
        &[],
        None,
        &[
            ("GITHUB_OUTPUT", &outputs),
            ("GITHUB_STEP_SUMMARY", &summary),
        ],
    );
    result.expect("write succeeds");
    assert_eq!(read(&outputs), "groups=[]\ncount=0\n");
    assert!(read(&summary).contains("No jobs: nothing selected."));
}

#[test]
fn groups_round_trip_through_serde_json() {
    let mut m = matrix(3);
    m.entries[1].runner = Some(Runner::Labels(vec!["linux".into(), "gpu".into()]));
    m.entries[2].group_id = None;
    m.entries[2].group_number = None;
    let text = step_outputs(&m).expect("within limits");
    let groups: Value = serde_json::from_str(output_value(&text, "groups")).expect("valid JSON");
    assert_eq!(
        groups,
        serde_json::to_value(&m.entries).expect("entries serialize")
    );
    assert_eq!(groups[1]["runner"], json!(["linux", "gpu"]));
    assert_eq!(groups[2]["group_id"], Value::Null);
    assert!(groups[2].get("group_number").is_none());
}

#[test]
fn values_are_single_line_even_with_control_characters() {
    let mut m = matrix(1);
    m.entries[0].node_ids = vec!["t/test_0.py::test[a\nb]".into(), "x\r\u{2028}y".into()];
    m.entries[0].job_name = "line\nbreak".into();
    let text = step_outputs(&m).expect("within limits");
    assert_eq!(text.lines().count(), 2, "exactly two lines: {text:?}");
    let groups: Value = serde_json::from_str(output_value(&text, "groups")).expect("valid JSON");
    assert_eq!(groups[0]["node_ids"][0], "t/test_0.py::test[a\nb]");
    assert_eq!(groups[0]["job_name"], "line\nbreak");
}

#[test]
#[should_panic(expected = "must be a single line")]
fn a_multi_line_value_is_refused() {
    let _ = output_line("groups", "[\n]");
}

#[test]
fn limit_is_256_jobs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let outputs = dir.path().join("github_output");
    let (result, _) = run(&matrix(256), &[], None, &[("GITHUB_OUTPUT", &outputs)]);
    result.expect("256 jobs are allowed");
    assert_eq!(output_value(&read(&outputs), "count"), "256");
}

#[test]
fn over_256_jobs_is_refused_and_nothing_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let outputs = dir.path().join("github_output");
    let summary = dir.path().join("summary.md");
    std::fs::write(&outputs, "earlier=1\n").expect("seed file");
    let (result, stdout) = run(
        &matrix(257),
        &[],
        None,
        &[
            ("GITHUB_OUTPUT", &outputs),
            ("GITHUB_STEP_SUMMARY", &summary),
        ],
    );
    let err = result.expect_err("257 jobs are too many");
    assert!(matches!(
        err,
        BackendError::TooManyJobs {
            count: 257,
            limit: 256,
            platform: "GitHub Actions",
            scope: "matrix",
        }
    ));
    assert_eq!(err.exit_status(), fanout_core::ExitStatus::Findings);
    assert_eq!(read(&outputs), "earlier=1\n");
    assert!(!summary.exists());
    assert_eq!(stdout, "");
}

#[test]
fn over_one_megabyte_is_refused_and_nothing_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let outputs = dir.path().join("github_output");
    let summary = dir.path().join("summary.md");
    std::fs::write(&outputs, "earlier=1\n").expect("seed file");
    let m = Matrix {
        entries: (0..3)
            .map(|i| entry(&format!("t/test_{i}.py"), 1, 20_000))
            .collect(),
    };
    let (result, stdout) = run(
        &m,
        &[],
        None,
        &[
            ("GITHUB_OUTPUT", &outputs),
            ("GITHUB_STEP_SUMMARY", &summary),
        ],
    );
    match result.expect_err("over 1 MB") {
        BackendError::TooLarge {
            bytes,
            limit,
            platform,
            scope,
        } => {
            assert!(bytes > 1_000_000);
            assert_eq!(limit, 1_000_000);
            assert_eq!(platform, "GitHub Actions");
            assert_eq!(scope, "job outputs");
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    assert_eq!(read(&outputs), "earlier=1\n");
    assert!(!summary.exists());
    assert_eq!(stdout, "");
}

#[test]
fn exactly_at_the_byte_limit_is_allowed() {
    let mut m = matrix(1);
    let base = step_outputs(&m).expect("small").len();
    // `"` + id + `"` replaces `"t/test_0.py::test_0"`.
    let id_len = MAX_OUTPUT_BYTES - base + "t/test_0.py::test_0".len();
    m.entries[0].node_ids = vec!["x".repeat(id_len).into()];
    assert_eq!(
        step_outputs(&m).expect("at the limit").len(),
        MAX_OUTPUT_BYTES
    );
    m.entries[0].node_ids = vec!["x".repeat(id_len + 1).into()];
    assert!(matches!(
        step_outputs(&m),
        Err(BackendError::TooLarge {
            bytes: 1_000_001,
            ..
        })
    ));
}

#[test]
fn step_summary_is_appended_when_set() {
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "# Earlier step\n\n").expect("seed file");
    let diagnostics =
        [Diagnostic::warning(Code::ClassNotCollected, "t/test_0.py", "skipped").at(3, 1)];
    let (result, stdout) = run(
        &matrix(1),
        &diagnostics,
        None,
        &[("GITHUB_STEP_SUMMARY", &summary)],
    );
    result.expect("write succeeds");
    assert!(stdout.starts_with("groups="), "outputs still on stdout");
    assert_eq!(
        read(&summary),
        "# Earlier step\n\
         \n\
         ### fanout: 1 job\n\
         \n\
         | Job | Tests | Runner |\n\
         | --- | ---: | --- |\n\
         | t/test\\_0.py \\| group 1 | 1 | — |\n\
         \n\
         Warnings:\n\
         \n\
         - t/test\\_0.py:3: skipped\n\
         \n"
    );
}

#[test]
fn unwritable_github_output_is_an_io_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let outputs = dir.path().join("no-such-dir").join("github_output");
    let (result, _) = run(&matrix(1), &[], None, &[("GITHUB_OUTPUT", &outputs)]);
    let err = result.expect_err("parent directory does not exist");
    assert!(matches!(err, BackendError::Io { ref path, .. } if path == &outputs));
    assert_eq!(err.exit_status(), fanout_core::ExitStatus::Error);
}

#[test]
fn registered_under_github() {
    let registration = fanout_core::backend::find("github").expect("github backend is registered");
    assert_eq!(
        registration.summary,
        "GitHub Actions: `groups` and `count` step outputs in $GITHUB_OUTPUT, \
         a job table in the step summary"
    );
}
