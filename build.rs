//! Records the git commit the binary is built from, for `fanout --version`.
//!
//! Outside a git checkout (a source archive, an sdist) the commit is "unknown" and the build
//! goes on: git is a nicety here, never a requirement.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let commit = checkout_commit().unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=FANOUT_GIT_COMMIT={commit}");
}

/// `git rev-parse --short HEAD`, only when this package is the top of the work tree: an
/// archive unpacked inside some other repository must not report that repository's commit.
fn checkout_commit() -> Option<String> {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let toplevel = git(&manifest_dir, &["rev-parse", "--show-toplevel"])?;
    if std::fs::canonicalize(&toplevel).ok()? != std::fs::canonicalize(&manifest_dir).ok()? {
        return None;
    }
    let commit = git(&manifest_dir, &["rev-parse", "--short", "HEAD"])?;
    watch_head(&manifest_dir);
    Some(commit)
}

/// Rebuild when HEAD moves: HEAD itself (a checkout) and the branch it points to (a commit).
/// Only files that exist are named, since cargo reruns the script on every build otherwise.
fn watch_head(dir: &Path) {
    let mut files = vec![git(dir, &["rev-parse", "--git-path", "HEAD"])];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        files.push(git(dir, &["rev-parse", "--git-path", &branch]));
        files.push(git(dir, &["rev-parse", "--git-path", "packed-refs"]));
    }
    for file in files.into_iter().flatten() {
        let path = dir.join(file);
        if path.is_file() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (output.status.success() && !text.is_empty()).then(|| text.to_owned())
}
