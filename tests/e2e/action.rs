//! action.yml's shell steps, run as the runner runs them: each step's `env:` evaluated from the
//! inputs, its `run:` script under `bash --noprofile --norc -eo pipefail`, with fake
//! `$GITHUB_OUTPUT`, `$GITHUB_STEP_SUMMARY`, `$GITHUB_PATH` and `$RUNNER_TEMP`, and the built
//! `fanout` on PATH.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::e2e::gitlab::examples;
use crate::e2e::project::{run, Output, Project};

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn action() -> Value {
    let path = repo_root().join("action.yml");
    let text = std::fs::read_to_string(&path).expect("reading action.yml");
    fanout_gitlab::lint::parse(&text).expect("action.yml is YAML")
}

fn step<'a>(action: &'a Value, id: &str) -> &'a Value {
    action["runs"]["steps"]
        .as_array()
        .expect("runs.steps")
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("action.yml has a step with id {id}"))
}

/// A step run in `p`, with its inputs and the runner's files.
struct Runner<'a> {
    p: &'a Project,
    inputs: BTreeMap<String, String>,
    /// Directories put before the system PATH.
    path: Vec<PathBuf>,
    /// `steps.<id>.outputs.<name>` values, as `<id>.<name>`.
    step_outputs: BTreeMap<String, String>,
}

impl<'a> Runner<'a> {
    fn new(p: &'a Project) -> Self {
        let mut inputs = BTreeMap::new();
        for (name, spec) in action()["inputs"].as_object().expect("inputs") {
            let default = spec["default"].as_str().unwrap_or("").to_owned();
            inputs.insert(name.clone(), default);
        }
        p.dir("runner-temp");
        Runner {
            p,
            inputs,
            path: Vec::new(),
            step_outputs: BTreeMap::new(),
        }
    }

    fn input(mut self, name: &str, value: &str) -> Self {
        assert!(
            self.inputs.contains_key(name),
            "action.yml has no input {name}"
        );
        self.inputs.insert(name.to_owned(), value.to_owned());
        self
    }

    /// `fanout` (the binary under test) alone in a directory on PATH, and the install step's
    /// `fanout` output.
    fn with_fanout(mut self) -> Self {
        let bin = self.p.join("bin");
        std::fs::create_dir_all(&bin).expect("creating bin/");
        let link = bin.join("fanout");
        if !link.exists() {
            std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_fanout"), &link).expect("symlink");
        }
        self.step_outputs
            .insert("install.fanout".to_owned(), link.display().to_string());
        self.path.push(bin);
        self
    }

    /// `${{ inputs.x }}`, `${{ steps.id.outputs.x }}`, `${{ runner.temp }}` and
    /// `${{ github.action_path }}`; any other
    /// expression fails the test, so the action cannot grow one these tests do not model.
    fn evaluate(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").expect("closed expression") + start;
            let expr = rest[start + 3..end].trim();
            let value = match expr.split_once('.') {
                Some(("inputs", name)) => self.inputs[name].clone(),
                Some(("steps", output)) => {
                    let key = output.replacen(".outputs.", ".", 1);
                    self.step_outputs[&key].clone()
                }
                Some(("runner", "temp")) => self.p.join("runner-temp").display().to_string(),
                Some(("github", "action_path")) => repo_root().display().to_string(),
                _ => panic!("the test does not model the expression `{expr}`"),
            };
            out.push_str(&value);
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    fn run_step(&self, id: &str) -> Output {
        self.run_step_with(id, &[])
    }

    /// [`Self::run_step`] with more variables, as set by the job around the step.
    fn run_step_with(&self, id: &str, extra_env: &[(&str, &str)]) -> Output {
        let action = action();
        let step = step(&action, id);
        assert_eq!(step["shell"], "bash", "{id} runs in bash");
        let script = step["run"].as_str().expect("a run: script");
        assert!(
            !script.contains("${{"),
            "{id}: inputs reach the script through env:, never pasted into it"
        );
        let cwd = step["working-directory"]
            .as_str()
            .map_or_else(|| ".".to_owned(), |dir| self.evaluate(dir));
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(self.p.join(&cwd))
            .env_clear();
        let system = std::env::var_os("PATH").unwrap_or_default();
        let path = std::env::join_paths(
            self.path
                .iter()
                .cloned()
                .chain(std::env::split_paths(&system)),
        )
        .expect("PATH entries");
        command
            .env("PATH", path)
            .env("HOME", self.p.path())
            .env("GITHUB_ACTIONS", "true")
            .env("CI", "true")
            .env("RUNNER_TEMP", self.p.join("runner-temp"))
            .env("GITHUB_OUTPUT", self.p.join("github-output"))
            .env("GITHUB_STEP_SUMMARY", self.p.join("step-summary.md"))
            .env("GITHUB_PATH", self.p.join("github-path"))
            .env("NO_COLOR", "1");
        for (name, value) in step["env"].as_object().into_iter().flatten() {
            let value = value.as_str().expect("env values are strings");
            command.env(name, self.evaluate(value));
        }
        command.envs(extra_env.iter().copied());
        run(command)
    }

    fn outputs(&self) -> BTreeMap<String, String> {
        let text = std::fs::read_to_string(self.p.join("github-output")).unwrap_or_default();
        text.lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }
}

fn json_groups(p: &Project, args: &[&str]) -> Value {
    let mut all = vec!["matrix", "--backend", "json"];
    all.extend_from_slice(args);
    let out = p.run(&all);
    assert_eq!(out.code, 0, "{}", out.describe());
    serde_json::from_str::<Value>(&out.stdout).expect("JSON")["groups"].clone()
}

#[test]
fn outputs_are_the_matrix_fanout_writes() {
    let action = action();
    assert_eq!(
        action["outputs"]["groups"]["value"],
        "${{ steps.matrix.outputs.groups }}"
    );
    assert_eq!(
        action["outputs"]["count"]["value"],
        "${{ steps.matrix.outputs.count }}"
    );
    let p = examples();
    let runner = Runner::new(&p)
        .with_fanout()
        .input(
            "paths",
            "tests/integration/test_charm.py\n tests/integration/ha",
        )
        .input("marks", "not unstable");
    let out = runner.run_step("matrix");
    assert_eq!(out.code, 0, "{}", out.describe());
    let outputs = runner.outputs();
    let groups: Value = serde_json::from_str(&outputs["groups"]).expect("groups is JSON");
    let expected = json_groups(
        &p,
        &[
            "-m",
            "not unstable",
            "tests/integration/test_charm.py",
            "tests/integration/ha",
        ],
    );
    assert_eq!(groups, expected);
    let count = expected.as_array().expect("array").len();
    assert!(count > 1, "the example paths have several groups");
    assert_eq!(outputs["count"], count.to_string());
    let summary = std::fs::read_to_string(p.join("step-summary.md")).expect("a step summary");
    assert!(summary.contains(&format!("{count} jobs")), "{summary}");
}

#[test]
fn working_directory_args_and_changed_since() {
    let p = Project::new();
    p.file("sub/pytest.ini", "[pytest]\n").file(
        "sub/tests/test_a.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n",
    );
    git(&p, &["init", "-q", "-b", "main"]);
    git(&p, &["add", "."]);
    git(&p, &["commit", "-q", "-m", "tests"]);
    // `auto` outside a pull request selects everything: the bare flag ran.
    let runner = Runner::new(&p)
        .with_fanout()
        .input("working-directory", "sub")
        .input("changed-since", "auto")
        .input("args", "--no-include-worktree --rootdir .");
    let out = runner.run_step("matrix");
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(runner.outputs()["count"], "1");

    // A ref is passed as --changed-since=REF, even one that looks like an option.
    let runner = Runner::new(&p)
        .with_fanout()
        .input("working-directory", "sub")
        .input("changed-since", "-no-such-ref")
        .input("args", "--strict");
    let out = runner.run_step("matrix");
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(out.stderr.contains("`-no-such-ref`"), "{}", out.describe());
}

/// `git ARGS` in the project, with the test suite's fixed identity and no user config.
fn git(p: &Project, args: &[&str]) {
    crate::e2e::affected::repo::git_in(&p.path(), args);
}

#[test]
fn inputs_stay_data() {
    let p = examples();
    let marks = "$(touch injected-marks) or `touch injected-tick`";
    let out = Runner::new(&p)
        .with_fanout()
        .input("marks", marks)
        .run_step("matrix");
    // The expression reached fanout verbatim, as one -m argument.
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr.contains(&format!("passed to '-m': {marks}:")),
        "{}",
        out.describe()
    );
    let out = Runner::new(&p)
        .with_fanout()
        .input("paths", "$(touch injected-paths) *")
        .run_step("matrix");
    // `*` reached fanout as a path, unexpanded.
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr
            .lines()
            .any(|l| l.starts_with("*: error[path-not-found]")),
        "{}",
        out.describe()
    );
    for name in ["injected-marks", "injected-tick", "injected-paths"] {
        assert!(!p.join(name).exists(), "{name} was run");
    }
}

#[test]
fn install_none_needs_fanout_on_path() {
    let p = Project::new();
    let runner = Runner::new(&p).with_fanout().input("install", "none");
    let out = runner.run_step("install");
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(out.stdout.contains("fanout "), "{}", out.describe());
    assert_eq!(
        runner.outputs()["fanout"],
        p.join("bin/fanout").display().to_string()
    );

    let runner = Runner::new(&p).input("install", "none");
    let out = runner.run_step("install");
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stdout
            .contains("::error title=fanout action::install: none, but no fanout"),
        "{}",
        out.describe()
    );

    let out = Runner::new(&p)
        .input("install", "cargo")
        .run_step("install");
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stdout
            .contains("install must be pypi, checkout or none"),
        "{}",
        out.describe()
    );
}

/// `install: pypi` against a local index holding a stand-in `fanout-ci` wheel of the version
/// the action pins: a venv of its own, whose `fanout` is the step's output.
#[test]
fn install_pypi_into_a_venv_of_its_own() {
    let version = env!("CARGO_PKG_VERSION");
    let p = Project::new();
    assert_eq!(
        Runner::new(&p).inputs["version"],
        version,
        "the action's default version is the crate's (docs/releasing.md)"
    );
    let wheels = p.join("wheels");
    let made = Command::new("python3")
        .args(["-c", FAKE_WHEEL])
        .arg(&wheels)
        .arg(version)
        .output()
        .expect("running python3");
    assert!(made.status.success(), "{made:?}");

    let runner = Runner::new(&p);
    let out = {
        // pip reads its index from the environment: the step's own env does not set these.
        let action = action();
        assert!(step(&action, "install")["env"]
            .get("PIP_NO_INDEX")
            .is_none());
        runner.run_step_with(
            "install",
            &[
                ("PIP_NO_INDEX", "1"),
                ("PIP_FIND_LINKS", &wheels.display().to_string()),
            ],
        )
    };
    assert_eq!(out.code, 0, "{}", out.describe());
    let fanout = PathBuf::from(&runner.outputs()["fanout"]);
    assert_eq!(fanout, p.join("runner-temp/fanout-venv/bin/fanout"));
    let version_line = format!("fanout {version} (stand-in wheel)");
    assert_eq!(
        out.stdout.trim(),
        version_line,
        "the step shows the version"
    );
    assert!(
        !p.join("github-path").exists(),
        "nothing is added to PATH: the venv's python must not shadow the workflow's"
    );
    let out = run(Command::new(&fanout));
    assert_eq!(out.stdout.trim(), version_line);
}

/// The cache step saves the directory pip caches in.
#[test]
fn pip_caches_where_the_cache_step_looks() {
    let action = action();
    let cache = action["runs"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .expect("an actions/cache step");
    assert_eq!(cache["if"], "inputs.install == 'pypi'");
    assert_eq!(
        cache["with"]["path"],
        step(&action, "install")["env"]["PIP_CACHE_DIR"]
    );
    let key = cache["with"]["key"].as_str().expect("a key");
    assert!(key.contains("${{ inputs.version }}"), "{key}");
}

/// Writes `fanout_ci-VERSION-py3-none-any.whl` (argv[2]) with a `fanout` script (named argv[3]
/// if given) into argv[1].
pub(crate) const FAKE_WHEEL: &str = r##"
import base64, hashlib, os, sys, zipfile
out, version = sys.argv[1], sys.argv[2]
exe = sys.argv[3] if len(sys.argv) > 3 else "fanout"
os.makedirs(out, exist_ok=True)
files = {
    f"fanout_ci-{version}.data/scripts/{exe}": f"#!/bin/sh\necho 'fanout {version} (stand-in wheel)'\n",
    f"fanout_ci-{version}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: fanout-ci\nVersion: {version}\n",
    f"fanout_ci-{version}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: fanout-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = f"fanout_ci-{version}.dist-info/RECORD"
with zipfile.ZipFile(os.path.join(out, f"fanout_ci-{version}-py3-none-any.whl"), "w") as whl:
    lines = []
    for name, text in files.items():
        data = text.encode()
        info = zipfile.ZipInfo(name)
        info.external_attr = 0o100755 << 16  # a regular file, executable: pip keeps the bit
        whl.writestr(info, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={digest},{len(data)}")
    lines.append(f"{record},,")
    whl.writestr(record, "\n".join(lines) + "\n")
"##;
