//! `fanout matrix --backend gitlab`: the child pipeline for the example suite, a suite of more
//! than 200 groups and an empty selection, checked against GitLab's rules
//! (`fanout_gitlab::lint`); docs/gitlab.md's YAML and docs/other-ci.md's scripts, run.

use std::path::{Path, PathBuf};

use fanout_gitlab::lint;
use serde_json::Value;

use crate::e2e::project::Project;

pub(crate) fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

pub(crate) fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The fenced blocks of a Markdown file in the given language, in order.
pub(crate) fn blocks(markdown: &str, lang: &str) -> Vec<String> {
    let fence = format!("```{lang}");
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match current.as_mut() {
            None if line.trim_end() == fence => current = Some(String::new()),
            None => {}
            Some(_) if line.trim_end() == "```" => out.extend(current.take()),
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    out
}

/// A copy of examples/ in a temp project.
pub(crate) fn examples() -> Project {
    let p = Project::new();
    copy_dir(&repo("examples"), &p, "");
    p
}

fn copy_dir(from: &Path, p: &Project, rel: &str) {
    for entry in std::fs::read_dir(from).expect("reading examples/") {
        let entry = entry.expect("dir entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if entry.path().is_dir() {
            if rel.ends_with("__pycache__") {
                continue;
            }
            copy_dir(&entry.path(), p, &rel);
        } else {
            p.bytes(&rel, &std::fs::read(entry.path()).expect("reading a file"));
        }
    }
}

/// Lints the file and returns it parsed.
fn checked(text: &str) -> Value {
    let problems = lint::check(text);
    assert!(problems.is_empty(), "{problems:#?}\n{text}");
    lint::parse(text).expect("parses")
}

/// The generated jobs (not hidden, not `include`), with their matrix rows.
fn matrix_rows(doc: &Value) -> Vec<(String, Vec<Value>)> {
    doc.as_object()
        .expect("mapping")
        .iter()
        .filter(|(k, _)| !k.starts_with('.') && *k != "include")
        .map(|(k, v)| {
            let rows = v["parallel"]["matrix"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            (k.clone(), rows)
        })
        .collect()
}

/// The node ids a matrix row stands for, through its job's `FANOUT_NODE_IDS_<n>` variable.
fn node_ids(doc: &Value, job: &str, row: &Value) -> String {
    let reference = row["FANOUT_NODE_IDS"].as_str().expect("a string");
    let name = reference.strip_prefix('$').expect("a variable reference");
    doc[job]["variables"][name]
        .as_str()
        .unwrap_or_else(|| panic!("{job} defines {name}"))
        .to_owned()
}

fn json_groups(p: &Project, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["matrix", "--backend", "json"];
    all.extend_from_slice(args);
    let out = p.run(&all);
    assert_eq!(out.code, 0, "{}", out.describe());
    let doc: Value = serde_json::from_str(&out.stdout).expect("JSON");
    doc["groups"].as_array().cloned().expect("groups")
}

#[test]
fn docs_yaml_is_valid_and_wired_together() {
    let docs = read(&repo("docs/gitlab.md"));
    let yaml = blocks(&docs, "yaml");
    assert_eq!(
        yaml.len(),
        4,
        "template, parent pipeline, generated example, code quality job"
    );
    // The template file has only a hidden job: check it with a job extending it.
    checked(&format!(
        "{}probe:\n  extends: .fanout-integration\n",
        yaml[0]
    ));
    checked(&yaml[1]);
    checked(&yaml[2]);
    let quality = checked(&yaml[3]);
    assert_eq!(
        quality["fanout-check"]["artifacts"]["reports"]["codequality"],
        "gl-code-quality-report.json"
    );
    let template = lint::parse(&yaml[0]).expect("template parses");
    assert!(template[".fanout-integration"]["script"].is_array());

    let parent = lint::parse(&yaml[1]).expect("parent parses");
    let trigger = &parent["integration"]["trigger"];
    assert_eq!(trigger["strategy"], "depend");
    let include = &trigger["include"][0];
    let generator = include["job"].as_str().expect("job");
    let artifact = include["artifact"].as_str().expect("artifact");
    assert!(
        parent[generator]["artifacts"]["paths"]
            .as_array()
            .expect("artifact paths")
            .iter()
            .any(|p| p == artifact),
        "the generator keeps {artifact} as an artifact"
    );
    assert_eq!(parent["integration"]["needs"][0], generator);
    let script = parent[generator]["script"].to_string();
    assert!(script.contains(r#"--changed-since \"$CI_MERGE_REQUEST_DIFF_BASE_SHA\""#));
    assert_eq!(parent[generator]["variables"]["GIT_DEPTH"], "0");
}

/// The docs' template, settings and generator command, on the example suite.
#[test]
fn docs_setup_on_the_example_suite() {
    let docs = read(&repo("docs/gitlab.md"));
    let yaml = blocks(&docs, "yaml");
    let toml = blocks(&docs, "toml");
    let p = examples();
    // examples/ ships the docs' template and setting: keep them in step.
    let shipped = read(&p.join(".gitlab/fanout-template.yml"));
    assert!(
        shipped.ends_with(yaml[0].as_str()),
        "examples/.gitlab/fanout-template.yml differs from docs/gitlab.md"
    );
    assert!(
        read(&p.join("pyproject.toml")).contains(toml[0].trim()),
        "examples/pyproject.toml lacks the docs' [tool.fanout.gitlab]"
    );

    let parent = lint::parse(&yaml[1]).expect("parent parses");
    let script = parent["fanout-plan"]["script"][1].as_str().expect("script");
    let command = script
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("fanout matrix") && !l.contains("--changed-since"))
        .expect("the full-run command");
    let args: Vec<&str> = command.split_whitespace().skip(1).collect();
    let out = p.run(&args);
    assert_eq!(out.code, 0, "{}", out.describe());

    let text = read(&p.join("child.yml"));
    let doc = checked(&text);
    assert!(
        doc.get(".fanout-integration").is_some(),
        "template copied in"
    );
    let groups = json_groups(&p, &[]);
    let jobs = matrix_rows(&doc);
    let rows: Vec<(&str, &Value)> = jobs
        .iter()
        .flat_map(|(job, rows)| rows.iter().map(move |r| (job.as_str(), r)))
        .collect();
    assert_eq!(rows.len(), groups.len());
    for group in &groups {
        let (job, row) = rows
            .iter()
            .find(|(_, r)| r["FANOUT_JOB_NAME"] == group["job_name"])
            .unwrap_or_else(|| panic!("a row for {}", group["job_name"]));
        assert_eq!(row["FANOUT_TEST_FILE"], group["path_to_test_file"]);
        assert_eq!(row["FANOUT_GROUP_ID"], group["group_id"]);
        let ids: Vec<&str> = group["node_ids"]
            .as_array()
            .expect("ids")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(node_ids(&doc, job, row), ids.join(" "));
        if let Some(runner) = group.get("runner") {
            assert_eq!(&doc[*job]["tags"], runner, "{job}");
        }
    }
    // Deterministic: a second run writes the same bytes.
    assert_eq!(p.run(&args).code, 0);
    assert_eq!(read(&p.join("child.yml")), text);
}

#[test]
fn more_than_200_groups_are_split_over_jobs() {
    let p = Project::new();
    let mut source = String::from("import pytest\n\n");
    for i in 0..450 {
        source.push_str(&format!(
            "@pytest.mark.group({i})\ndef test_{i}():\n    pass\n\n"
        ));
    }
    source.push_str(
        "@pytest.mark.group('gpu')\n@pytest.mark.runner(['self-hosted', 'gpu'])\ndef test_gpu():\n    pass\n",
    );
    p.file("pytest.ini", "[pytest]\n")
        .bytes("tests/test_many.py", source.as_bytes())
        .file(
            "pyproject.toml",
            r#"
            [tool.fanout.gitlab]
            include = ".gitlab/fanout-template.yml"
            job-prefix = "integration"
            "#,
        );
    let out = p.run(&["matrix", "tests", "--backend", "gitlab", "-o", "child.yml"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let doc = checked(&read(&p.join("child.yml")));
    assert_eq!(
        doc["include"],
        serde_json::json!([{"local": ".gitlab/fanout-template.yml"}])
    );
    let text = read(&p.join("child.yml"));
    let jobs = matrix_rows(&doc);
    let mut sizes: Vec<(String, usize)> = jobs.iter().map(|(n, r)| (n.clone(), r.len())).collect();
    // Jobs in file order (the parsed mapping is sorted).
    sizes.sort_by_key(|(n, _)| text.find(&format!("\n{n}:")).expect("job in text"));
    assert_eq!(
        sizes,
        [
            ("integration 1/4".to_owned(), 200),
            ("integration 2/4".to_owned(), 200),
            ("integration 3/4".to_owned(), 50),
            ("integration 4/4".to_owned(), 1),
        ]
    );
    assert_eq!(
        doc["integration 4/4"]["tags"],
        serde_json::json!(["self-hosted", "gpu"])
    );
    let total: usize = sizes.iter().map(|(_, n)| n).sum();
    assert_eq!(total, 451);

    let out = p.run(&[
        "matrix",
        "tests",
        "--backend",
        "gitlab",
        "-o",
        "refused.yml",
        "--backend-option",
        "max-jobs=450",
    ]);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(
        out.stderr.contains("451 jobs exceed GitLab's limit of 450"),
        "{}",
        out.describe()
    );
    assert!(!p.join("refused.yml").exists(), "nothing written");
}

#[test]
fn empty_selection_is_a_valid_pipeline_with_one_noop_job() {
    let p = examples();
    let out = p.run(&["matrix", "--backend", "gitlab", "-m", "no_such_marker"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let doc = checked(&out.stdout);
    let jobs: Vec<&String> = doc.as_object().expect("mapping").keys().collect();
    assert_eq!(jobs, ["fanout no tests selected"]);
    assert!(doc["fanout no tests selected"]["script"][0]
        .as_str()
        .is_some_and(|s| s.contains("no tests were selected")));
}

#[test]
fn setting_errors_name_the_key_and_exit_2() {
    let p = examples();
    // Without [tool.fanout.gitlab] the template is missing.
    let pyproject = read(&p.join("pyproject.toml"));
    let without = pyproject
        .split("[tool.fanout.gitlab]")
        .next()
        .expect("split yields one part");
    p.bytes("pyproject.toml", without.as_bytes());
    let out = p.run(&["matrix", "--backend", "gitlab"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr.contains("option `template-file`"),
        "{}",
        out.describe()
    );
    assert!(
        out.stderr.contains("[tool.fanout.gitlab]"),
        "{}",
        out.describe()
    );

    let out = p.run(&[
        "matrix",
        "--backend",
        "gitlab",
        "--backend-option",
        "template-file=missing.yml",
    ]);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr.contains("cannot read `missing.yml`"),
        "{}",
        out.describe()
    );

    let out = p.run(&["matrix", "--backend", "gitlab", "--backend-option", "nokey"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr.contains("expected KEY=VALUE"),
        "{}",
        out.describe()
    );

    p.file("pyproject.toml", "[tool.fanout.gitlab]\ntemplat = '.x'\n");
    let out = p.run(&["matrix", "--backend", "gitlab"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr.contains("pyproject.toml:2"),
        "{}",
        out.describe()
    );
}

#[test]
fn backends_lists_gitlab() {
    let out = Project::new().run(&["backends"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(out.stdout.contains("gitlab"), "{}", out.describe());
}

#[test]
fn backend_tables_are_checked_by_every_command() {
    let p = Project::new();
    p.file(
        "tests/test_a.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n",
    );
    for (text, line, words) in [
        ("[tool.fanout.gitlab]\ntemplat = '.x'\n", 2, "templat"),
        (
            "[tool.fanout.gitlba]\ntemplate = '.x'\n",
            1,
            "did you mean `gitlab`",
        ),
        (
            "[tool.fanout.json]\npretty = true\n",
            2,
            "this backend has no settings",
        ),
    ] {
        p.file("pyproject.toml", text);
        for command in [
            &["collect"][..],
            &["check"],
            &["matrix", "--backend", "json"],
        ] {
            let out = p.run(command);
            assert_eq!(out.code, 2, "{text:?} {command:?}: {}", out.describe());
            let err = &out.stderr;
            assert!(
                err.contains(&format!("pyproject.toml:{line}:1: error[config-error]"))
                    && err.contains(words),
                "{text:?} {command:?}: {}",
                out.describe()
            );
        }
    }
}
