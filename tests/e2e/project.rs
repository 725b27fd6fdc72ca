//! A temporary project to run `fanout` in: write dedented files, run the binary, read its output.
#![allow(dead_code)] // Each test uses a part of this API.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

pub struct Project {
    dir: tempfile::TempDir,
    /// The binary's `TMPDIR`, outside the project: what it leaves there on purpose (`fanout
    /// run`'s logs outlive the run) goes with the test instead of piling up in `/tmp`.
    scratch: tempfile::TempDir,
}

/// What the binary may see of the test runner's environment: enough to find programs and a
/// home directory, nothing that changes its behaviour.
pub const ALLOWED_ENV: [&str; 4] = ["PATH", "HOME", "TMPDIR", "LANG"];

/// What one run of the binary did.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Everything the run printed, for assertion messages.
    pub fn describe(&self) -> String {
        format!(
            "exit {}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Project {
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("fanout-e2e-")
            .tempdir()
            .expect("creating a temp dir");
        let scratch = tempfile::Builder::new()
            .prefix("fanout-e2e-tmp-")
            .tempdir()
            .expect("creating a temp dir");
        Project { dir, scratch }
    }

    /// The project's root, with symlinks resolved (pytest and fanout both print real paths).
    pub fn path(&self) -> PathBuf {
        fs::canonicalize(self.dir.path()).expect("the temp dir exists")
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    /// Writes `text`, dedented (see [`dedent`]), creating parent directories.
    pub fn file(&self, rel: &str, text: &str) -> &Self {
        self.bytes(rel, dedent(text).as_bytes())
    }

    pub fn bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("creating parent dirs");
        }
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        self
    }

    pub fn dir(&self, rel: &str) -> &Self {
        fs::create_dir_all(self.join(rel)).expect("creating a dir");
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        fs::remove_file(self.join(rel)).expect("removing a file");
        self
    }

    /// The binary, ready to run in `rel_cwd` (relative to the project root) with a cleared
    /// environment plus [`ALLOWED_ENV`]: the tests behave the same on a developer's machine,
    /// on a GitHub runner (`GITHUB_ACTIONS=true`, `CI=true`) and as root. `TMPDIR` is the
    /// project's own scratch folder. A test that wants a variable sets it on the returned
    /// command.
    pub fn command_in<S: AsRef<OsStr>>(&self, rel_cwd: &str, args: &[S]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_fanout"));
        command
            .args(args)
            .current_dir(self.join(rel_cwd))
            .env_clear()
            .envs(
                ALLOWED_ENV
                    .iter()
                    .filter_map(|k| Some((k, std::env::var_os(k)?))),
            )
            .env("NO_COLOR", "1")
            .env("TMPDIR", self.scratch.path());
        command
    }

    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Output {
        run(self.command_in("", args))
    }

    pub fn run_in<S: AsRef<OsStr>>(&self, rel_cwd: &str, args: &[S]) -> Output {
        run(self.command_in(rel_cwd, args))
    }

    /// `fanout collect --format json ARGS` in the project root; exit 0 or 1 expected.
    pub fn collect_json(&self, args: &[&str]) -> Value {
        self.collect_json_in("", args)
    }

    pub fn collect_json_in(&self, rel_cwd: &str, args: &[&str]) -> Value {
        let mut all = vec!["collect", "--format", "json"];
        all.extend_from_slice(args);
        let output = self.run_in(rel_cwd, &all);
        assert!(
            output.code == 0 || output.code == 1,
            "fanout collect failed in {rel_cwd:?}\n{}",
            output.describe()
        );
        serde_json::from_str(&output.stdout)
            .unwrap_or_else(|e| panic!("collect JSON does not parse ({e})\n{}", output.describe()))
    }
}

pub fn run(mut command: Command) -> Output {
    let output = command.output().expect("running the fanout binary");
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Removes a leading newline and the common indentation of the non-blank lines.
pub fn dedent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: String = text
        .lines()
        .map(|line| line.get(indent..).unwrap_or("").trim_end_matches(' '))
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

/// Diagnostics of a collect/matrix JSON document with this code.
/// The node ids of a `collect --format json` document, in its order.
pub fn node_ids(doc: &Value) -> Vec<&str> {
    doc["tests"]
        .as_array()
        .expect("tests is an array")
        .iter()
        .filter_map(|t| t["node_id"].as_str())
        .collect()
}

pub fn diagnostics_with<'a>(doc: &'a Value, code: &str) -> Vec<&'a Value> {
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics is an array")
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

/// The codes of all diagnostics, for assertion messages.
pub fn codes(doc: &Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics is an array")
        .iter()
        .map(|d| format!("{}:{} {}", d["path"], d["line"], d["code"]))
        .collect()
}

pub fn path_of(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}
