use super::*;
use fanout_core::{BackendOptions, MatrixEntry, Runner};
use serde_json::{json, Value};

fn entry(path: &str, group: &str, tests: usize) -> MatrixEntry {
    let job_name = format!("{path} | group {group}");
    MatrixEntry {
        path_to_test_file: format!("tests/{path}"),
        group_id: Some(group.to_owned()),
        group_number: group.parse().ok(),
        artifact_group_id: fanout_core::matrix::artifact_safe(&job_name),
        job_name,
        node_ids: (0..tests)
            .map(|i| format!("tests/{path}::test_{i}").into())
            .collect(),
        runner: None,
    }
}

fn matrix(entries: usize) -> Matrix {
    Matrix {
        entries: (0..entries)
            .map(|i| entry(&format!("test_{i}.py"), "1", 2))
            .collect(),
    }
}

fn options(pairs: &[(&str, Value)]) -> BackendOptions {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn included() -> GitlabOptions {
    GitlabOptions::from_options(&options(&[("include", json!(".gitlab/fanout.yml"))]))
        .expect("valid options")
}

fn parse(text: &str) -> Value {
    let problems = lint::check(text);
    assert!(problems.is_empty(), "{problems:#?}\n{text}");
    serde_saphyr::from_str(text).expect("valid YAML")
}

fn jobs(doc: &Value) -> Vec<(&String, &Value)> {
    doc.as_object()
        .expect("mapping")
        .iter()
        .filter(|(k, _)| !k.starts_with('.') && *k != "include")
        .collect()
}

#[test]
fn one_matrix_job_with_the_variables_in_order() {
    let mut m = matrix(2);
    m.entries[1].group_id = Some("on".into());
    let text = render(&m, &included(), None).expect("renders");
    assert!(text.starts_with(HEADER));
    let doc = parse(&text);
    assert_eq!(doc["include"], json!([{"local": ".gitlab/fanout.yml"}]));
    let jobs = jobs(&doc);
    assert_eq!(jobs.len(), 1);
    let (name, job) = jobs[0];
    assert_eq!(name, "fanout 1/1");
    assert_eq!(job["extends"], ".fanout-integration");
    assert!(job.get("tags").is_none());
    let rows = job["parallel"]["matrix"].as_array().expect("list");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].as_object().map(|r| r.len()), Some(4));
    // serde_json sorts keys: read the order GitLab sees (and names jobs by) from the text.
    let at = |key: &str| text.find(key).expect("key present");
    assert!(at("FANOUT_JOB_NAME:") < at("FANOUT_TEST_FILE:"));
    assert!(at("FANOUT_TEST_FILE:") < at("FANOUT_GROUP_ID:"));
    assert!(at("FANOUT_GROUP_ID:") < at("FANOUT_NODE_IDS:"));
    assert_eq!(
        rows[1]["FANOUT_GROUP_ID"], "on",
        "a YAML 1.1 boolean stays a string"
    );
    assert_eq!(rows[1]["FANOUT_NODE_IDS"], "$FANOUT_NODE_IDS_2");
    assert_eq!(
        job["variables"]["FANOUT_NODE_IDS_2"],
        "tests/test_1.py::test_0 tests/test_1.py::test_1"
    );
}

#[test]
fn every_value_is_quoted() {
    let text = render(&matrix(1), &included(), None).expect("renders");
    for line in text
        .lines()
        .filter(|l| l.contains(": ") && !l.starts_with('#'))
    {
        let value = line.split_once(": ").map(|(_, v)| v).unwrap_or_default();
        assert!(
            value.starts_with('\'') || value.starts_with('"'),
            "unquoted value in {line:?}\n{text}"
        );
    }
}

#[test]
fn more_than_200_entries_are_split() {
    let text = render(&matrix(401), &included(), None).expect("renders");
    let doc = parse(&text);
    let jobs = jobs(&doc);
    let names: Vec<_> = jobs.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["fanout 1/3", "fanout 2/3", "fanout 3/3"]);
    let sizes: Vec<_> = jobs
        .iter()
        .map(|(_, j)| j["parallel"]["matrix"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [200, 200, 1]);
    assert_eq!(
        jobs[2].1["parallel"]["matrix"][0]["FANOUT_NODE_IDS"],
        "$FANOUT_NODE_IDS_401"
    );
}

#[test]
fn runners_become_tags_of_their_own_jobs() {
    let mut m = matrix(3);
    m.entries[1].runner = Some(Runner::Labels(vec!["self-hosted".into(), "large".into()]));
    let doc = parse(&render(&m, &included(), None).expect("renders"));
    let jobs = jobs(&doc);
    assert_eq!(jobs.len(), 2);
    assert!(jobs[0].1.get("tags").is_none());
    assert_eq!(
        jobs[0].1["parallel"]["matrix"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(jobs[1].1["tags"], json!(["self-hosted", "large"]));
    assert_eq!(
        jobs[1].1["parallel"]["matrix"][0]["FANOUT_RUNNER"],
        "self-hosted large"
    );
}

#[test]
fn empty_matrix_is_one_noop_job() {
    let text = render(
        &Matrix::default(),
        &included(),
        Some(".fanout-integration: {}\n"),
    )
    .expect("renders");
    let doc = parse(&text);
    assert_eq!(
        doc,
        json!({"fanout no tests selected": {"script": ["echo 'fanout: no tests were selected, nothing to run'"]}})
    );
}

#[test]
fn over_max_jobs_is_refused() {
    let o = GitlabOptions::from_options(&options(&[
        ("include", json!("t.yml")),
        ("max-jobs", json!("3")),
    ]))
    .expect("valid");
    assert!(render(&matrix(3), &o, None).is_ok());
    let err = render(&matrix(4), &o, None).expect_err("too many");
    assert!(matches!(
        err,
        BackendError::TooManyJobs {
            count: 4,
            limit: 3,
            ..
        }
    ));
    assert_eq!(err.exit_status(), fanout_core::ExitStatus::Findings);
}

#[test]
fn over_five_megabytes_is_refused() {
    let mut m = matrix(1);
    m.entries[0].node_ids = vec!["x".repeat(limits::MAX_FILE_BYTES).into()];
    let err = render(&m, &included(), None).expect_err("too large");
    assert!(
        matches!(
            err,
            BackendError::TooLarge {
                limit: 5_000_000,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_job_name_over_255_characters_is_refused() {
    let mut m = matrix(1);
    m.entries[0].path_to_test_file = format!("tests/{}.py", "d".repeat(250));
    let err = render(&m, &included(), None).expect_err("name too long");
    assert!(
        err.to_string().contains("over GitLab's limit of 255"),
        "{err}"
    );
    assert_eq!(err.exit_status(), fanout_core::ExitStatus::Findings);
}

#[test]
fn inline_template_is_copied_in() {
    let template = ".fanout-integration:\n  script:\n    - pytest $FANOUT_NODE_IDS\n";
    let o =
        GitlabOptions::from_options(&options(&[("template-file", json!("t.yml"))])).expect("valid");
    let doc = parse(&render(&matrix(1), &o, Some(template)).expect("renders"));
    assert!(doc.get("include").is_none());
    assert_eq!(
        doc[".fanout-integration"]["script"],
        json!(["pytest $FANOUT_NODE_IDS"])
    );
}

#[test]
fn a_template_that_ends_the_document_is_caught() {
    let o =
        GitlabOptions::from_options(&options(&[("template-file", json!("t.yml"))])).expect("valid");
    let err = render(
        &matrix(1),
        &o,
        Some(".fanout-integration:\n  script: [x]\n...\n"),
    )
    .expect_err("two documents");
    assert!(matches!(err, BackendError::Refused { .. }), "{err}");
    assert!(
        err.hint().is_some_and(|h| h.contains("template file")),
        "{err:?}"
    );
}

#[test]
fn template_file_is_read_and_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("t.yml");
    let path_str = path.to_string_lossy().into_owned();
    let o = GitlabOptions::from_options(&options(&[("template-file", json!(path_str))]))
        .expect("valid");
    let err = read_template(&path_str, &o).expect_err("missing");
    assert!(err.to_string().contains("cannot read"), "{err}");
    std::fs::write(&path, ".other:\n  script: [x]\n").expect("write");
    let err = read_template(&path_str, &o).expect_err("no template");
    assert!(
        err.to_string()
            .contains("does not define the job template `.fanout-integration`"),
        "{err}"
    );
    std::fs::write(&path, "a: [\n").expect("write");
    assert!(read_template(&path_str, &o)
        .expect_err("bad")
        .to_string()
        .contains("not a YAML mapping"));
    std::fs::write(
        &path,
        ".fanout-integration:\n  script: [x]\nfanout 1/1: {}\n",
    )
    .expect("write");
    assert!(read_template(&path_str, &o)
        .expect_err("clash")
        .to_string()
        .contains("which fanout generates"));
    std::fs::write(&path, ".fanout-integration:\n  script: [x]\n").expect("write");
    assert!(read_template(&path_str, &o).is_ok());
}

#[test]
fn options_are_checked() {
    let err = |pairs: &[(&str, Value)]| {
        GitlabOptions::from_options(&options(pairs))
            .expect_err("invalid")
            .to_string()
    };
    assert!(err(&[]).contains("needs the job template"));
    assert!(err(&[("include", json!("a")), ("template-file", json!("b"))]).contains("keep one"));
    assert!(err(&[("include", json!("a")), ("templat", json!("x"))]).contains("expected one of"));
    assert!(
        err(&[("include", json!("a")), ("template", json!("integration"))]).contains("hidden job")
    );
    assert!(err(&[("include", json!("a")), ("max-jobs", json!("0"))]).contains("positive integer"));
    assert!(
        err(&[("include", json!("a")), ("job-prefix", json!("a:b"))])
            .contains("cannot name GitLab jobs")
    );
    assert!(err(&[("include", json!("a")), ("job-prefix", json!("stages"))]).contains("reserved"));
    assert!(err(&[("include", json!(3))]).contains("expected a string"));
    let ok = GitlabOptions::from_options(&options(&[
        ("include", json!("a.yml")),
        ("template", json!(".it")),
        ("job-prefix", json!("it")),
        ("max-jobs", json!(5)),
    ]))
    .expect("valid");
    assert_eq!(
        (ok.template.as_str(), ok.job_prefix.as_str(), ok.max_jobs),
        (".it", "it", 5)
    );
}

#[test]
fn lint_catches_gitlab_rule_breaks() {
    let bad = "\
a:
  extends: .missing
  tags: [1]
  variables: {X: on, 'bad-name': 'x'}
  parallel:
    matrix:
      - V: [a, b]
        W: 3
b:
  parallel: 201
c:
  trigger: {include: [{artifact: x.yml}], strategy: sometimes}
  script: [x]
";
    let problems = lint::check(bad);
    let all = problems.join("\n");
    for expected in [
        "a.extends: `.missing` is not defined",
        "a.tags: a list of strings",
        "a.variables.X: the value is true",
        "a.variables.bad-name: variable names",
        "a.parallel.matrix[0].W: a string or a list of strings",
        "b.parallel: 1 to 200",
        "b: a job needs",
        "c: `trigger` jobs cannot have a `script`",
        "`artifact` needs `job`",
        "c.trigger.strategy",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in\n{all}");
    }
    assert!(lint::check("x: [\n")[0].contains("not valid YAML"));
    assert!(lint::check(".hidden: {script: [x]}\n")[0].contains("no job"));
    let rows: Vec<String> = (0..201).map(|i| format!("      - V: '{i}'")).collect();
    let big = format!(
        "j:\n  script: [x]\n  parallel:\n    matrix:\n{}\n",
        rows.join("\n")
    );
    assert!(lint::check(&big)
        .iter()
        .any(|p| p.contains("generates 201 jobs")));
}

#[test]
fn writes_to_the_output_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("child.yml");
    let env = |_: &str| None;
    let mut stdout = Vec::new();
    let opts = options(&[("include", json!("t.yml"))]);
    let mut ctx = OutputContext {
        output: Some(&out),
        env: &env,
        stdout: &mut stdout,
        options: &opts,
        rootdir: std::path::Path::new("."),
    };
    GitlabBackend
        .write(&matrix(1), &[], &mut ctx)
        .expect("writes");
    assert!(stdout.is_empty());
    parse(&std::fs::read_to_string(&out).expect("written"));
}

#[test]
fn registered_under_gitlab() {
    let registration = fanout_core::backend::find("gitlab").expect("gitlab backend is registered");
    assert!(registration.summary.starts_with("GitLab CI"));
}
