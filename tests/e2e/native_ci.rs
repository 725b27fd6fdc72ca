//! The Buildkite, CircleCI and Azure Pipelines backends, end to end: every generated file
//! passes the CI's published schema (check-jsonschema's vendored copies), and every generated
//! job, run as that CI runs it (Buildkite's upload-time interpolation, CircleCI's `<<`
//! escapes and `environment:`, the Azure agent's reading of `##vso` lines and matrix
//! variables), collects exactly its group's tests with pytest; together the jobs are the whole
//! suite, each test once. On the example suite and on a suite of hostile names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::e2e::ci_files::{assert_clean, tool};
use crate::e2e::gitlab::examples;
use crate::e2e::project::{run, Output, Project};
use crate::support::pytest_oracle;

/// Runs `fanout ARGS` and insists on success.
fn fanout(p: &Project, args: &[&str]) -> String {
    let out = p.run(args);
    assert_eq!(out.code, 0, "fanout {args:?}\n{}", out.describe());
    out.stdout
}

fn schema_check(schema: &str, files: &[PathBuf]) {
    let mut check = tool("check-jsonschema");
    check.args(["--builtin-schema", schema]).args(files);
    assert_clean(&format!("check-jsonschema {schema}"), &run(check));
}

/// The shell line every job runs, for a CI whose runtime `$` is written `dollar`: it writes
/// the job's name, then the node ids pytest collects from `$FANOUT_NODE_IDS`, to a new file
/// of `out`.
fn collect_script(out: &Path, dollar: &str) -> String {
    let python = pytest_oracle::python();
    format!(
        "out={d}(mktemp '{out}/job-XXXXXX') && printf '%s\\n' \"{d}FANOUT_JOB_NAME\" > \"{d}out\" && \
         '{python}' -m pytest --collect-only -q -p no:cacheprovider {d}FANOUT_NODE_IDS > \"{d}out.pytest\"; \
         grep '::' \"{d}out.pytest\" >> \"{d}out\"",
        d = dollar,
        out = out.display(),
        python = python.display(),
    )
}

/// Runs one job's shell command in the project with `env` exported, as a CI runner would.
fn run_job(p: &Project, command: &str, env: &[(String, String)]) {
    let mut bash = Command::new("bash");
    bash.args(["-eo", "pipefail", "-c", command])
        .current_dir(p.path())
        .envs(env.iter().map(|(k, v)| (k, v)));
    let out = run(bash);
    assert_eq!(out.code, 0, "the job {env:?}\n{}", out.describe());
}

/// A suite whose names use every character fanout lets through to CI files: a folder named
/// like an option, `+ @ , =` in paths, spaces and `= , @ + .` in group ids, `: ,` in case ids,
/// and runner labels that mean something to each CI (`$`, `<<`, `%`, `;`, `]`).
fn hostile() -> Project {
    let p = Project::new();
    p.file(
        "pyproject.toml",
        "[tool.pytest.ini_options]\ntestpaths = [\"-kx\", \"tests\"]\n\n\
         [tool.fanout.azure]\npool = \"Default\"\n",
    );
    p.file(
        "-kx/test_odd+name@x=1,2.py",
        "import pytest\n\n\
         @pytest.mark.group(\"a b=c,d@e+f\")\n\
         @pytest.mark.runner(\"$HOME<< pipeline.id >>%0A;]x\")\n\
         @pytest.mark.parametrize(\"v\", [\"x:y\", \"1,2\"])\n\
         def test_one(v):\n    pass\n\n\
         @pytest.mark.group(\"1.5\")\n\
         def test_two():\n    pass\n",
    );
    p.file(
        "tests/test_plain.py",
        "import pytest\n\n\
         @pytest.mark.group(\"1.5\")\n\
         @pytest.mark.parametrize(\"v\", [1, 2, 3])\n\
         def test_three(v):\n    pass\n\n\
         @pytest.mark.group(\"A B\")\n\
         def test_four():\n    pass\n",
    );
    p
}

/// pytest's node id as a job names it: `./-kx/...` is `-kx/...` to pytest.
fn normal(id: &str) -> String {
    id.strip_prefix("./").unwrap_or(id).to_owned()
}

/// Each job's output (see [`collect_script`]) against fanout's JSON matrix and pytest's own
/// collection of the whole suite.
fn assert_jobs_ran_their_groups(p: &Project, out_dir: &Path, what: &str) {
    let doc: Value = serde_json::from_str(&fanout(p, &["matrix", "--backend", "json"]))
        .expect("the JSON matrix");
    let expected: BTreeMap<String, BTreeSet<String>> = doc["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            let ids = g["node_ids"].as_array().expect("ids").iter();
            let ids = ids.map(|id| normal(id.as_str().expect("a string")));
            (
                g["job_name"].as_str().expect("a name").to_owned(),
                ids.collect(),
            )
        })
        .collect();
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut all_collected = Vec::new();
    for entry in std::fs::read_dir(out_dir).expect("reading the jobs' output") {
        let path = entry.expect("entry").path();
        if path.extension().is_some() {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("reading a job's output");
        let mut lines = text.lines();
        let name = lines.next().expect("the job name").to_owned();
        let collected: Vec<String> = lines.map(str::to_owned).collect();
        // A job names a function whose cases are all in it; pytest lists the cases.
        let named: BTreeSet<String> = collected
            .iter()
            .map(|id| {
                let function = id.split('[').next().unwrap_or(id).to_owned();
                match expected.get(&name) {
                    Some(ids) if ids.contains(id) => id.clone(),
                    _ => function,
                }
            })
            .collect();
        assert!(!collected.is_empty(), "{what}: `{name}` collected nothing");
        assert!(
            seen.insert(name.clone(), named).is_none(),
            "{what}: {name} ran twice"
        );
        all_collected.extend(collected);
    }
    assert_eq!(
        seen, expected,
        "{what}: each job collected exactly its group's tests"
    );
    let suite = pytest_oracle::pytest_collect(&p.path(), &[]);
    let mut whole: Vec<String> = suite
        .items
        .iter()
        .flat_map(|item| item.cases.iter().map(|c| c.node_id.clone()))
        .collect();
    whole.sort();
    all_collected.sort();
    assert_eq!(
        all_collected, whole,
        "{what}: together, the whole suite, each test once"
    );
}

/// A mapping of strings (a job's variables) as pairs.
fn strings(map: &Value) -> Vec<(String, String)> {
    map.as_object()
        .expect("a mapping of variables")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("a string").to_owned()))
        .collect()
}

fn fresh_dir(p: &Project, name: &str) -> PathBuf {
    let dir = p.join(name);
    std::fs::create_dir_all(&dir).expect("creating the jobs' output folder");
    dir
}

// ---------------------------------------------------------------------------------------
// Buildkite

/// The agent's interpolation of one string at upload (buildkite/interpolate): `$$` and `\$`
/// are a `$`; `$NAME` and `${NAME}` are the upload's environment (empty here: fanout's
/// variables do not exist yet); `${NAME:-x}`/`${NAME-x}` the default; `$` before anything
/// else stays. Anything the agent would refuse fails the test.
fn buildkite_interpolate(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match (c, next) {
            ('\\', Some('$')) | ('$', Some('$')) => {
                out.push('$');
                i += 2;
            }
            ('$', Some('{')) => {
                let end = chars[i..]
                    .iter()
                    .position(|&c| c == '}')
                    .unwrap_or_else(|| panic!("the agent refuses an unclosed `${{` in {text:?}"));
                let inner: String = chars[i + 2..i + end].iter().collect();
                let name_len = inner
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .count();
                assert!(
                    inner.starts_with(|c: char| c.is_ascii_alphabetic()),
                    "the agent refuses `${{{inner}}}` in {text:?}"
                );
                let rest = &inner[name_len..];
                if let Some(default) = rest.strip_prefix(":-").or_else(|| rest.strip_prefix('-')) {
                    out.push_str(default);
                } else {
                    assert!(
                        rest.is_empty(),
                        "an operator fanout never writes: {inner:?}"
                    );
                }
                i += end + 1;
            }
            ('$', Some(n)) if n.is_ascii_alphabetic() => {
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn interpolate_all(node: Value, f: &dyn Fn(&str) -> String) -> Value {
    match node {
        Value::String(s) => Value::String(f(&s)),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|n| interpolate_all(n, f)).collect())
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (f(&k), interpolate_all(v, f)))
                .collect(),
        ),
        other => other,
    }
}

/// The documents of a pipeline file, as the agent splits a multi-document stream.
fn yaml_documents(text: &str) -> Vec<Value> {
    let mut docs = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if line == "---" {
            if current
                .trim_start()
                .lines()
                .any(|l| !l.starts_with('#') && !l.trim().is_empty())
            {
                docs.push(std::mem::take(&mut current));
            } else {
                current.clear();
            }
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    docs.push(current);
    docs.iter()
        .map(|d| serde_saphyr::from_str(d).expect("a YAML document"))
        .collect()
}

/// Every step of the uploaded pipeline, run as a Buildkite agent runs it.
fn run_buildkite_pipeline(p: &Project, text: &str) -> usize {
    let mut steps = 0;
    for doc in yaml_documents(text) {
        let doc = interpolate_all(doc, &buildkite_interpolate);
        for step in doc["steps"].as_array().expect("steps") {
            if step.get("skip").is_some() {
                continue;
            }
            let command = match &step["command"] {
                Value::String(c) => c.clone(),
                Value::Array(lines) => lines
                    .iter()
                    .map(|l| l.as_str().expect("a command line"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                other => panic!("a step without a command: {other}"),
            };
            let env = strings(&step["env"]);
            run_job(p, &command, &env);
            steps += 1;
        }
    }
    steps
}

fn buildkite_template(p: &Project, out: &Path) {
    p.file(
        "collect-step.yml",
        &format!(
            "command: |\n  {}\nenv:\n  LANG: C.UTF-8\n",
            collect_script(out, "$$")
        ),
    );
}

#[test]
fn buildkite_jobs_run_their_groups() {
    for (what, p) in [("examples", examples()), ("hostile names", hostile())] {
        let out = fresh_dir(&p, "job-output");
        buildkite_template(&p, &out);
        let text = fanout(
            &p,
            &[
                "matrix",
                "--backend",
                "buildkite",
                "--backend-option",
                "template-file=collect-step.yml",
            ],
        );
        std::fs::write(p.join("pipeline.yml"), &text).expect("writing the pipeline");
        let text_default = fanout(
            &p,
            &["matrix", "--backend", "buildkite", "-o", "default.yml"],
        );
        assert!(text_default.is_empty());
        fanout(
            &p,
            &[
                "matrix",
                "--backend",
                "buildkite",
                "-m",
                "no_such_marker",
                "-o",
                "empty.yml",
            ],
        );
        schema_check(
            "vendor.buildkite",
            &[
                p.join("pipeline.yml"),
                p.join("default.yml"),
                p.join("empty.yml"),
            ],
        );
        let empty = std::fs::read_to_string(p.join("empty.yml")).expect("written");
        assert_eq!(
            run_buildkite_pipeline(&p, &empty),
            0,
            "a skipped step runs nothing"
        );
        let steps = run_buildkite_pipeline(&p, &text);
        assert!(steps > 3, "{what}: {steps} steps");
        assert_jobs_ran_their_groups(&p, &out, what);
    }
}

#[test]
fn buildkite_runner_labels_reach_the_agent_as_written() {
    let p = hostile();
    let text = fanout(&p, &["matrix", "--backend", "buildkite"]);
    let docs = yaml_documents(&text);
    let doc = interpolate_all(docs[0].clone(), &buildkite_interpolate);
    let queues: Vec<&str> = doc["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["agents"]["queue"].as_str())
        .collect();
    assert_eq!(queues, ["$HOME<< pipeline.id >>%0A;]x"]);
}

#[test]
fn buildkite_over_500_jobs_is_several_uploads_each_valid() {
    let p = Project::new();
    for i in 0..501 {
        p.file(
            &format!("tests/test_{i:03}.py"),
            "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n",
        );
    }
    let out = fresh_dir(&p, "job-output");
    buildkite_template(&p, &out);
    let text = fanout(
        &p,
        &[
            "matrix",
            "--backend",
            "buildkite",
            "--backend-option",
            "template-file=collect-step.yml",
        ],
    );
    let docs = yaml_documents(&text);
    assert_eq!(docs.len(), 2);
    let mut files = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let file = p.join(&format!("upload-{i}.json"));
        std::fs::write(&file, doc.to_string()).expect("writing an upload");
        files.push(file);
    }
    schema_check("vendor.buildkite", &files);
    assert_eq!(docs[0]["steps"].as_array().map(Vec::len), Some(500));
    assert_eq!(docs[1]["steps"].as_array().map(Vec::len), Some(1));
    // Over max-jobs: refused, nothing written.
    let out = p.run(&[
        "matrix",
        "--backend",
        "buildkite",
        "--backend-option",
        "max-jobs=500",
        "-o",
        "refused.yml",
    ]);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(out.stderr.contains("too-many-jobs"), "{}", out.describe());
    assert!(!p.join("refused.yml").exists());
}

// ---------------------------------------------------------------------------------------
// CircleCI

/// A string as CircleCI's compiler reads it in a 2.1 configuration: `\<<` is a literal `<<`;
/// an unescaped `<<` would be a parameter, which fanout never means.
fn circleci_compile(text: &str) -> String {
    let unescaped = text.replace("\\<<", "\u{0}");
    assert!(
        !unescaped.contains("<<"),
        "CircleCI would read a parameter in {text:?}"
    );
    unescaped.replace('\u{0}', "<<")
}

/// Every job of the workflow, run as CircleCI runs it: the job's `environment`, then each
/// `run` step with bash (`checkout` is the project itself here).
fn run_circleci_config(p: &Project, text: &str) -> usize {
    let doc: Value = serde_saphyr::from_str(text).expect("YAML");
    let doc = interpolate_all(doc, &circleci_compile);
    let workflows = doc["workflows"].as_object().expect("workflows");
    assert_eq!(workflows.len(), 1);
    let workflow = workflows.values().next().expect("a workflow");
    let mut jobs = 0;
    let mut names = BTreeSet::new();
    for invocation in workflow["jobs"].as_array().expect("jobs") {
        let (job_name, shown) = match invocation {
            Value::String(name) => (name.clone(), name.clone()),
            Value::Object(one) => {
                let (name, params) = one.iter().next().expect("one job");
                (
                    name.clone(),
                    params["name"].as_str().expect("a name").to_owned(),
                )
            }
            other => panic!("a workflow job: {other}"),
        };
        assert!(
            names.insert(shown.clone()),
            "two workflow jobs named {shown}"
        );
        let job = &doc["jobs"][&job_name];
        if job["type"] == "no-op" {
            continue;
        }
        let env = strings(&job["environment"]);
        for step in job["steps"].as_array().expect("steps") {
            let command = match step {
                Value::String(s) if s == "checkout" => continue,
                Value::Object(s) => match &s["run"] {
                    Value::String(c) => c.clone(),
                    Value::Object(r) => r["command"].as_str().expect("a command").to_owned(),
                    other => panic!("a run step: {other}"),
                },
                other => panic!("a step this test does not run: {other}"),
            };
            run_job(p, &command, &env);
        }
        jobs += 1;
    }
    jobs
}

fn circleci_template(p: &Project, out: &Path) {
    p.file(
        "collect-job.yml",
        &format!(
            "docker:\n  - image: cimg/python:3.12\nsteps:\n  - checkout\n  - run:\n      name: collect\n      command: |\n        {}\n",
            collect_script(out, "$")
        ),
    );
}

#[test]
fn circleci_jobs_run_their_groups() {
    for (what, p) in [("examples", examples()), ("hostile names", hostile())] {
        let out = fresh_dir(&p, "job-output");
        circleci_template(&p, &out);
        let text = fanout(
            &p,
            &[
                "matrix",
                "--backend",
                "circleci",
                "--backend-option",
                "template-file=collect-job.yml",
            ],
        );
        std::fs::write(p.join("continue.yml"), &text).expect("writing the configuration");
        fanout(
            &p,
            &[
                "matrix",
                "--backend",
                "circleci",
                "--backend-option",
                "template-file=collect-job.yml",
                "-m",
                "no_such_marker",
                "-o",
                "empty.yml",
            ],
        );
        schema_check(
            "vendor.circle-ci",
            &[p.join("continue.yml"), p.join("empty.yml")],
        );
        let jobs = run_circleci_config(&p, &text);
        assert!(jobs > 3, "{what}: {jobs} jobs");
        assert_jobs_ran_their_groups(&p, &out, what);
        let empty = std::fs::read_to_string(p.join("empty.yml")).expect("written");
        assert_eq!(run_circleci_config(&p, &empty), 0);
    }
}

// ---------------------------------------------------------------------------------------
// Azure Pipelines

/// The output variables a step's output sets, read as the agent reads `##vso` lines
/// (Command.cs): the command up to a space, properties up to the first `]`, split at `;` and
/// the first `=`; properties and value unescaped (`%3B`, `%0D`, `%0A`, `%5D`, then `%AZP25`).
fn azure_output_variables(output: &str) -> BTreeMap<String, String> {
    let unescape = |s: &str| {
        s.replace("%3B", ";")
            .replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%5D", "]")
            .replace("%AZP25", "%")
    };
    let mut vars = BTreeMap::new();
    for line in output.lines() {
        let Some(at) = line.find("##vso[") else {
            continue;
        };
        let rest = &line[at + 6..];
        let (command, rest) = rest.split_once(' ').expect("a command and properties");
        assert_eq!(command, "task.setvariable");
        let (props, value) = rest.split_once(']').expect("the end of the properties");
        let props: BTreeMap<String, String> = props
            .split(';')
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_ascii_lowercase(), unescape(v)))
            .collect();
        assert_eq!(
            props.get("isoutput").map(String::as_str),
            Some("true"),
            "{line}"
        );
        vars.insert(props["variable"].clone(), unescape(value));
    }
    vars
}

/// Legs as Azure Pipelines expands `strategy: matrix:` from JSON: each leg's name checked
/// (letters, digits and `_`, a letter first, at most 100 characters, unique without case);
/// its variables in the environment, names upper-cased with `.` and spaces as `_`.
fn azure_legs(matrix_json: &str) -> Vec<(String, Vec<(String, String)>)> {
    let matrix: Value = serde_json::from_str(matrix_json).expect("the matrix is JSON");
    let mut lower = BTreeSet::new();
    matrix
        .as_object()
        .expect("an object")
        .iter()
        .map(|(leg, vars)| {
            assert!(
                leg.starts_with(|c: char| c.is_ascii_alphabetic())
                    && leg.len() <= 100
                    && leg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "leg name {leg:?}"
            );
            assert!(
                lower.insert(leg.to_ascii_lowercase()),
                "two legs named {leg}"
            );
            let env = vars
                .as_object()
                .expect("variables")
                .iter()
                .map(|(k, v)| {
                    let name = k.to_ascii_uppercase().replace(['.', ' '], "_");
                    (name, v.as_str().expect("a string").to_owned())
                })
                .collect();
            (leg.clone(), env)
        })
        .collect()
}

#[test]
fn azure_legs_run_their_groups() {
    for (what, p) in [("examples", examples()), ("hostile names", hostile())] {
        let out = fresh_dir(&p, "job-output");
        let output = fanout(&p, &["matrix", "--backend", "azure"]);
        let vars = azure_output_variables(&output);
        let legs = azure_legs(&vars["matrix"]);
        assert_eq!(vars["count"], legs.len().to_string());
        // The legs in a pipeline, checked by Azure Pipelines' schema.
        let matrix: Value = serde_json::from_str(&vars["matrix"]).expect("JSON");
        let pipeline = serde_json::json!({
            "jobs": [{
                "job": "integration",
                "strategy": {"matrix": matrix, "maxParallel": "4"},
                "pool": {"name": "$(FANOUT_POOL)"},
                "steps": [{"script": "python -m pytest $FANOUT_NODE_IDS"}],
            }]
        });
        std::fs::write(p.join("azure.json"), pipeline.to_string()).expect("writing");
        schema_check("vendor.azure-pipelines", &[p.join("azure.json")]);
        let script = collect_script(&out, "$");
        for (_, env) in &legs {
            run_job(&p, &script, env);
        }
        assert!(legs.len() > 3, "{what}: {} legs", legs.len());
        assert_jobs_ran_their_groups(&p, &out, what);
    }
}

#[test]
fn azure_pools_and_hostile_values_survive_the_agent() {
    let p = hostile();
    let vars = azure_output_variables(&fanout(&p, &["matrix", "--backend", "azure"]));
    let legs = azure_legs(&vars["matrix"]);
    let pools: BTreeSet<&str> = legs
        .iter()
        .flat_map(|(_, env)| {
            env.iter()
                .filter(|(k, _)| k == "FANOUT_POOL")
                .map(|(_, v)| v.as_str())
        })
        .collect();
    assert_eq!(
        pools,
        BTreeSet::from(["$HOME<< pipeline.id >>%0A;]x", "Default"])
    );
    // Nothing selected: an empty matrix and a count of 0 for the job's condition.
    let vars = azure_output_variables(&fanout(
        &p,
        &["matrix", "--backend", "azure", "-m", "no_such_marker"],
    ));
    assert_eq!(vars["matrix"], "{}");
    assert_eq!(vars["count"], "0");
}

#[test]
fn new_backends_are_listed_and_refuse_unknown_settings() {
    let p = examples();
    let listed = fanout(&p, &["backends"]);
    for name in ["azure", "buildkite", "circleci"] {
        assert!(listed.lines().any(|l| l.starts_with(name)), "{listed}");
        let out: Output = p.run(&["matrix", "--backend", name, "--backend-option", "no-such=1"]);
        assert_eq!(out.code, 2, "{}", out.describe());
        assert!(
            out.stderr
                .contains(&format!("unknown to the {name} backend")),
            "{}",
            out.describe()
        );
    }
}

// ---------------------------------------------------------------------------------------
// The docs

fn doc_yaml(name: &str) -> Vec<(String, Value)> {
    let text = crate::e2e::gitlab::read(&crate::e2e::gitlab::repo(&format!("docs/{name}")));
    crate::e2e::gitlab::blocks(&text, "yaml")
        .into_iter()
        .map(|b| {
            let v = serde_saphyr::from_str(&b).unwrap_or_else(|e| panic!("{name}: {e}\n{b}"));
            (b, v)
        })
        .collect()
}

/// docs/buildkite.md: its step template is one fanout takes, and its pipeline uploads the file
/// fanout writes, with the build's variables escaped from upload-time interpolation.
#[test]
fn buildkite_docs_template_and_pipeline_work() {
    let blocks = doc_yaml("buildkite.md");
    let p = examples();
    p.file(".buildkite/fanout-step.yml", &blocks[0].0);
    let text = fanout(&p, &["matrix", "--backend", "buildkite"]);
    let doc = &yaml_documents(&text)[0];
    let step = &doc["steps"][0];
    assert_eq!(step["plugins"][0]["docker#v5.12.0"]["image"], "python:3.12");
    assert_eq!(
        step["agents"]["queue"], "large",
        "the runner mark over the template's queue"
    );
    let pipeline = interpolate_all(blocks[1].1.clone(), &buildkite_interpolate);
    let command = pipeline["steps"][0]["command"].as_str().expect("a command");
    for needed in [
        "fanout matrix --backend buildkite --output fanout.yml",
        "--changed-since \"origin/$BUILDKITE_PULL_REQUEST_BASE_BRANCH\"",
        "if [ \"$BUILDKITE_PULL_REQUEST\" != \"false\" ]",
        "buildkite-agent pipeline upload fanout.yml",
    ] {
        assert!(command.contains(needed), "{needed}\n{command}");
    }
}

/// docs/circleci.md: both template forms are ones fanout takes, and the setup configuration
/// continues with the file fanout writes.
#[test]
fn circleci_docs_templates_and_setup_work() {
    let blocks = doc_yaml("circleci.md");
    let p = examples();
    for (i, (template, _)) in blocks[..2].iter().enumerate() {
        p.file(".circleci/fanout-job.yml", template);
        let text = fanout(&p, &["matrix", "--backend", "circleci"]);
        let doc: Value = serde_saphyr::from_str(&text).expect("YAML");
        assert!(
            doc["jobs"].as_object().expect("jobs").len() > 3,
            "template {i}"
        );
    }
    let setup = &blocks[2].1;
    assert_eq!(setup["setup"], true);
    let steps = setup["jobs"]["plan"]["steps"].as_array().expect("steps");
    let command = steps
        .iter()
        .find_map(|s| s["run"]["command"].as_str())
        .expect("the fanout step");
    assert!(command.contains("--changed-since origin/main"), "{command}");
    let continued = steps
        .iter()
        .find_map(|s| s["continuation/continue"]["configuration_path"].as_str())
        .expect("the continue step");
    assert!(
        command.contains(&format!(
            "fanout matrix --backend circleci --output {continued}"
        )),
        "{command}"
    );
}

/// docs/azure-pipelines.md: the test job reads the matrix and count of the step that runs
/// fanout, guards itself with the count, and its scripts read the variables from the
/// environment, never as macros pasted into the script.
#[test]
fn azure_docs_pipeline_is_wired() {
    let blocks = doc_yaml("azure-pipelines.md");
    let pipeline = &blocks[0].1;
    let jobs = pipeline["jobs"].as_array().expect("jobs");
    let (plan, step) = jobs
        .iter()
        .find_map(|job| {
            let step = job["steps"].as_array()?.iter().find(|s| {
                s["script"]
                    .as_str()
                    .is_some_and(|c| c.contains("--backend azure"))
            })?;
            Some((job["job"].as_str()?, step))
        })
        .expect("a job with the fanout step");
    let name = step["name"].as_str().expect("the step is named");
    let test_job = jobs
        .iter()
        .find(|job| job.get("strategy").is_some())
        .expect("the test job");
    assert_eq!(test_job["dependsOn"], plan);
    assert_eq!(
        test_job["strategy"]["matrix"],
        format!("$[ dependencies.{plan}.outputs['{name}.matrix'] ]")
    );
    let condition = test_job["condition"].as_str().expect("a condition");
    assert!(
        condition.contains(&format!(
            "ne(dependencies.{plan}.outputs['{name}.count'], '0')"
        )),
        "{condition}"
    );
    for step in test_job["steps"].as_array().expect("steps") {
        if let Some(script) = step["script"].as_str() {
            assert!(
                !script.contains("$(FANOUT"),
                "a macro in a script: {script}"
            );
        }
    }
    let scripts: String = test_job["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["script"].as_str())
        .collect();
    assert!(scripts.contains("pytest $FANOUT_NODE_IDS"), "{scripts}");
}
