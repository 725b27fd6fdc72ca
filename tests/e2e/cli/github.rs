//! `fanout matrix --backend github`: step outputs in `$GITHUB_OUTPUT`, a job table in
//! `$GITHUB_STEP_SUMMARY`.

use serde_json::Value;

use crate::e2e::project::{run, Output, Project};

fn suite() -> Project {
    let p = Project::new();
    p.file(
        "tests/test_charm.py",
        r#"
        import pytest

        @pytest.mark.group(1)
        def test_deploy():
            pass

        @pytest.mark.group(2)
        @pytest.mark.slow
        def test_scale():
            pass
        "#,
    );
    p
}

/// Runs `fanout matrix --backend github ARGS` with both GitHub files set.
fn github(p: &Project, args: &[&str]) -> (Output, String, String) {
    let mut all = vec!["matrix", "--backend", "github"];
    all.extend_from_slice(args);
    let mut command = p.command_in("", &all);
    command
        .env("GITHUB_OUTPUT", p.join("gh_output"))
        .env("GITHUB_STEP_SUMMARY", p.join("gh_summary.md"));
    let out = run(command);
    let read = |name: &str| std::fs::read_to_string(p.join(name)).unwrap_or_default();
    (out, read("gh_output"), read("gh_summary.md"))
}

fn output_value<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    text.lines()
        .filter_map(|line| line.strip_prefix(&format!("{name}=")))
        .collect()
}

#[test]
fn appends_groups_and_count_to_github_output() {
    let p = suite();
    p.file("gh_output", "earlier=kept\n");
    let (out, outputs, summary) = github(&p, &[]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(
        out.stdout.trim().is_empty(),
        "nothing on stdout: {}",
        out.stdout
    );
    assert!(outputs.starts_with("earlier=kept\n"), "appends: {outputs}");
    let groups = output_value(&outputs, "groups");
    assert_eq!(groups.len(), 1, "{outputs}");
    let groups: Value = serde_json::from_str(groups[0]).expect("groups is one line of JSON");
    let ids: Vec<&Value> = groups
        .as_array()
        .expect("an array")
        .iter()
        .map(|g| &g["group_id"])
        .collect();
    assert_eq!(ids, ["1", "2"]);
    assert_eq!(groups[0]["path_to_test_file"], "tests/test_charm.py");
    assert_eq!(output_value(&outputs, "count"), ["2"]);
    assert!(summary.contains('|'), "a Markdown table: {summary}");
    assert!(
        summary.contains("test\\_charm.py"),
        "Markdown-escaped: {summary}"
    );
}

#[test]
fn prints_to_stdout_without_github_output() {
    let p = suite();
    let out = p.run(&["matrix", "--backend", "github"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(output_value(&out.stdout, "count"), ["2"], "{}", out.stdout);
    assert_eq!(output_value(&out.stdout, "groups").len(), 1);
}

#[test]
fn empty_selection_is_an_empty_matrix() {
    let p = suite();
    let (out, outputs, _) = github(&p, &["-m", "not group"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(output_value(&outputs, "groups"), ["[]"], "{outputs}");
    assert_eq!(output_value(&outputs, "count"), ["0"], "{outputs}");
}

#[test]
fn selection_drops_groups_left_empty() {
    let p = suite();
    let (out, outputs, _) = github(&p, &["-m", "not slow"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(output_value(&outputs, "count"), ["1"], "{outputs}");
}

/// Over GitHub's 1 MB of job outputs: an `output-error`, exit 2 as docs/diagnostics.md says,
/// and nothing in `$GITHUB_OUTPUT`.
#[test]
fn a_matrix_over_the_output_limit_is_an_output_error_with_its_documented_status() {
    let p = Project::new();
    for f in 0..40 {
        let mut text = String::from("import pytest\n");
        for t in 0..600 {
            text.push_str(&format!(
                "\n@pytest.mark.group({})\ndef test_a_long_function_name_that_fills_the_output_{t:05}():\n    pass\n",
                t % 5 + 1
            ));
        }
        p.bytes(&format!("tests/test_file_{f:03}.py"), text.as_bytes());
    }
    let mut command = p.command_in("", &["matrix", "--backend", "github"]);
    command.env("GITHUB_OUTPUT", p.join("out"));
    let out = run(command);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr.contains("error[output-error]")
            && out
                .stderr
                .contains("over GitHub Actions's limit of 1000000 bytes"),
        "{}",
        out.describe()
    );
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md"))
        .expect("docs");
    assert!(docs.contains("| `output-error` | error (exit 2) |"));
    assert!(!p.join("out").exists());
}
