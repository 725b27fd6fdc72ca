//! Runs the project's own pytest, in the user's environment, with a small plugin of fanout's
//! that reports what pytest collected and the marks it resolved (after every conftest hook and
//! plugin ran). `verify` compares that with fanout's static result; `--resolve-dynamic` takes
//! the groups of the files fanout cannot read from it (`pipeline::dynamic`).
//!
//! The plugin is written to a fresh temporary directory, put first on `PYTHONPATH` and loaded
//! with `-p fanout_verify_plugin`; it writes JSON to the file named by `FANOUT_VERIFY_OUT`.
//! Plugin autoloading is left as the user has it: their plugins must be active.

mod launcher;
mod report;

pub use launcher::{Launcher, LauncherError};
#[cfg(test)]
pub use report::Location;
pub use report::{CollectedItem, CollectionError, MarkReading};

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

const PLUGIN_MODULE: &str = "fanout_verify_plugin";
const PLUGIN_SOURCE: &str = include_str!("fanout_verify_plugin.py");
const OUTPUT_VARIABLE: &str = "FANOUT_VERIFY_OUT";
/// How much of pytest's output a failure shows.
const TAIL_LINES: usize = 20;

/// One run of pytest's collection.
pub struct Invocation<'a> {
    pub launcher: &'a Launcher,
    /// pytest's arguments after fanout's own: paths, `-c`, `--rootdir`, `-m`.
    pub args: Vec<OsString>,
    /// Where pytest runs: where fanout was started, so paths and config resolve alike.
    pub dir: &'a Path,
    /// The whole environment of the run (the user's, as fanout captured it).
    pub env: &'a BTreeMap<String, String>,
}

/// What pytest collected.
#[derive(Debug, Clone, PartialEq)]
pub struct PytestCollection {
    pub pytest_version: String,
    pub rootdir: PathBuf,
    /// After `-m`, `--deselect` and every hook, in pytest's order.
    pub items: Vec<CollectedItem>,
    /// Node ids of the items `-m`, `--deselect` or a hook left out.
    pub deselected: Vec<String>,
    pub errors: Vec<CollectionError>,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot write fanout's pytest plugin to a temporary directory: {0}")]
    Plugin(#[source] io::Error),
    #[error("cannot start `{command}`: {source}")]
    Spawn {
        command: String,
        #[source]
        source: io::Error,
    },
    /// pytest ended without a usable report; `output_tail` is the end of what it printed.
    #[error("`{command}` did not collect ({status})")]
    Stopped {
        command: String,
        status: String,
        output_tail: Vec<String>,
        /// A command prefix (not an interpreter) was used: it may not pass the environment on.
        through_command: bool,
    },
    #[error("fanout's pytest plugin wrote a report fanout cannot read: {0}")]
    BadReport(String),
}

impl RunError {
    pub fn hint(&self) -> String {
        match self {
            RunError::Plugin(_) => "make the temporary directory (TMPDIR) writable".to_owned(),
            RunError::Spawn { .. } => {
                "pass --python PATH to an interpreter with pytest installed, or --collect-command"
                    .to_owned()
            }
            RunError::Stopped {
                through_command: true,
                ..
            } => format!(
                "the command must run pytest with the arguments fanout appends and pass PYTHONPATH and {OUTPUT_VARIABLE} on to it (tox: `pass_env = PYTHONPATH, {OUTPUT_VARIABLE}`)"
            ),
            RunError::Stopped { .. } => {
                "run the same command yourself to see why; `--python PATH` picks another interpreter"
                    .to_owned()
            }
            RunError::BadReport(_) => {
                "a plugin or conftest may have replaced pytest's items with objects fanout does not know; please report it"
                    .to_owned()
            }
        }
    }

    /// The end of pytest's output, when it stopped.
    pub fn output_tail(&self) -> &[String] {
        match self {
            RunError::Stopped { output_tail, .. } => output_tail,
            _ => &[],
        }
    }
}

/// Runs `LAUNCHER --collect-only -q -p fanout_verify_plugin ARGS` and reads the plugin's report.
pub fn collect(invocation: &Invocation<'_>) -> Result<PytestCollection, RunError> {
    let plugin_dir = tempfile::Builder::new()
        .prefix("fanout-verify-")
        .tempdir()
        .map_err(RunError::Plugin)?;
    std::fs::write(
        plugin_dir.path().join(format!("{PLUGIN_MODULE}.py")),
        PLUGIN_SOURCE,
    )
    .map_err(RunError::Plugin)?;
    let report_path = plugin_dir.path().join("collection.json");
    let launcher = invocation.launcher;
    let mut command = Command::new(&launcher.program);
    command
        .args(&launcher.prefix)
        .args(["--collect-only", "-q", "-p", PLUGIN_MODULE])
        .args(&invocation.args)
        .current_dir(invocation.dir)
        .env_clear()
        .envs(invocation.env)
        .env(
            "PYTHONPATH",
            python_path(plugin_dir.path(), invocation.env.get("PYTHONPATH")),
        )
        .env(OUTPUT_VARIABLE, &report_path);
    let shown = format!(
        "{} --collect-only -q -p {PLUGIN_MODULE}",
        launcher.display()
    );
    let output = crate::child::run(&mut command).map_err(|source| RunError::Spawn {
        command: launcher.display(),
        source,
    })?;
    let stopped = || RunError::Stopped {
        command: shown.clone(),
        status: output.status.to_string(),
        output_tail: tail(&output.stderr, &output.stdout),
        through_command: launcher.is_command,
    };
    let Ok(text) = std::fs::read_to_string(&report_path) else {
        return Err(stopped());
    };
    let document: report::Document =
        serde_json::from_str(&text).map_err(|e| RunError::BadReport(e.to_string()))?;
    // 0: collected; 5: nothing to collect; 2: interrupted by the collection errors reported.
    // Anything else (a usage error raised by `-m` after collection, say) means the items
    // are not what pytest would run.
    let usable = match output.status.code() {
        Some(0 | 5) => true,
        Some(2) => !document.errors.is_empty(),
        _ => false,
    };
    if !usable {
        return Err(stopped());
    }
    Ok(PytestCollection {
        pytest_version: document.pytest_version,
        rootdir: document.rootdir,
        items: document
            .items
            .into_iter()
            .map(report::RawItem::read)
            .collect(),
        deselected: document.deselected,
        errors: document.errors,
    })
}

/// Whether pytest's rootdir is fanout's: node ids are relative to it.
pub fn same_dir(a: &Path, b: &Path) -> bool {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_owned());
    canonical(a) == canonical(b)
}

/// The plugin's directory, then the user's `PYTHONPATH`.
fn python_path(plugin_dir: &Path, user: Option<&String>) -> OsString {
    let mut dirs = vec![plugin_dir.to_path_buf()];
    dirs.extend(user.iter().flat_map(|p| std::env::split_paths(p.as_str())));
    // A directory with the separator in its name cannot be on PYTHONPATH at all; the plugin's
    // own (a temporary directory) never has one.
    std::env::join_paths(&dirs).unwrap_or_else(|_| plugin_dir.as_os_str().to_owned())
}

/// The last lines of stderr, or of stdout when stderr is empty.
fn tail(stderr: &[u8], stdout: &[u8]) -> Vec<String> {
    let text = if String::from_utf8_lossy(stderr).trim().is_empty() {
        String::from_utf8_lossy(stdout)
    } else {
        String::from_utf8_lossy(stderr)
    };
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let start = lines.len().saturating_sub(TAIL_LINES);
    lines[start..].iter().map(|l| (*l).to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_dir_goes_first() {
        let joined = python_path(Path::new("/p"), Some(&"/a:/b".to_owned()));
        assert_eq!(joined, "/p:/a:/b");
        assert_eq!(python_path(Path::new("/p"), None), "/p");
    }

    #[test]
    fn tail_prefers_stderr() {
        let many: String = (0..30).map(|i| format!("e{i}\n")).collect();
        let lines = tail(many.as_bytes(), b"out\n");
        assert_eq!(lines.len(), TAIL_LINES);
        assert_eq!(lines.last().map(String::as_str), Some("e29"));
        assert_eq!(tail(b"  \n", b"out\n"), ["out"]);
    }
}
