//! Clones that lack history or objects: shallow, single-branch, partial. fanout must not guess.

use std::path::{Path, PathBuf};

use super::repo::{changed_list, git_changed, git_in, jobs, selected, Repo};

/// A branch with `n` commits after the fork, and `n` more on main.
fn diverged(n: usize) -> Repo {
    let repo = Repo::new();
    for i in 0..n {
        repo.replace(
            "tests/test_a.py",
            "assert 2",
            &format!("assert 2 + {i} - {i}"),
        );
        repo.commit_all(&format!("branch {i}"));
        let text = repo.read("tests/test_a.py");
        repo.write(
            "tests/test_a.py",
            &text.replace(&format!(" + {i} - {i}"), ""),
        );
    }
    repo.replace("tests/test_a.py", "assert 2", "assert 2 + 0");
    repo.commit_all("branch final");
    repo.git(&["checkout", "-q", "main"]);
    for i in 0..n {
        repo.write("src/app.py", &format!("X = {i}\n"));
        repo.commit_all(&format!("main {i}"));
    }
    repo.git(&["checkout", "-q", "feature"]);
    repo
}

fn clone(repo: &Repo, into: &Path, args: &[&str]) -> PathBuf {
    let url = format!("file://{}", repo.path().display());
    let target = into.join("clone");
    let mut all = vec!["clone", "-q", "--no-local"];
    all.extend_from_slice(args);
    all.push(&url);
    let target_text = target.to_string_lossy().into_owned();
    all.push(&target_text);
    git_in(into, &all);
    target
}

fn temp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("fanout-clone-")
        .tempdir()
        .expect("temp dir")
}

#[test]
fn a_depth_1_clone_selects_everything_and_says_how_to_fix_it() {
    let repo = diverged(1);
    let dir = temp();
    let clone = clone(&repo, dir.path(), &["--depth", "1", "-b", "feature"]);
    let out = Repo::affected_in(&clone, &["--base", "origin/main", "--no-include-worktree"]);
    assert_eq!(selected(&out), None, "{}", out.describe());
    assert!(out.stderr.contains("fetch-depth: 0"), "{}", out.describe());
    let strict = Repo::affected_in(
        &clone,
        &["--base", "origin/main", "--no-include-worktree", "--strict"],
    );
    assert_eq!(strict.code, 2, "{}", strict.describe());
}

#[test]
fn a_shallow_clone_that_stops_before_the_merge_base_selects_everything() {
    let repo = diverged(4);
    let dir = temp();
    let clone = clone(
        &repo,
        dir.path(),
        &["--depth", "2", "--no-single-branch", "-b", "feature"],
    );
    let out = Repo::affected_in(&clone, &["--base", "origin/main", "--no-include-worktree"]);
    assert_eq!(selected(&out), None, "{}", out.describe());
    assert!(out.stderr.contains("shallow"), "{}", out.describe());
}

#[test]
fn a_shallow_clone_that_reaches_the_merge_base_selects_as_a_full_one() {
    let repo = diverged(2);
    let dir = temp();
    let clone = clone(
        &repo,
        dir.path(),
        &["--depth", "6", "--no-single-branch", "-b", "feature"],
    );
    let out = Repo::affected_in(&clone, &["--base", "origin/main", "--no-include-worktree"]);
    assert_eq!(
        selected(&out),
        jobs(&["tests/test_a.py group 2"]),
        "{}",
        out.describe()
    );
    assert_eq!(changed_list(&out), git_changed(&clone, "origin/main"));
}

#[test]
fn a_single_branch_clone_without_the_base_ref_selects_everything() {
    let repo = diverged(1);
    let dir = temp();
    let clone = clone(&repo, dir.path(), &["--single-branch", "-b", "feature"]);
    let out = Repo::affected_in(&clone, &["--base", "origin/main", "--no-include-worktree"]);
    assert_eq!(selected(&out), None, "{}", out.describe());
    assert!(out.stderr.contains("`origin/main`"), "{}", out.describe());
}

#[test]
fn a_partial_clone_without_old_blobs_selects_everything() {
    let repo = diverged(1);
    repo.git(&["mv", "tests/db/test_db.py", "tests/db/test_database.py"]);
    repo.commit_all("rename");
    repo.git(&["config", "uploadpack.allowFilter", "true"]);
    let dir = temp();
    let clone = clone(&repo, dir.path(), &["--filter=blob:none", "-b", "feature"]);
    let out = Repo::affected_in(&clone, &["--base", "origin/main", "--no-include-worktree"]);
    // The old version of the edited test file is missing, so fanout cannot tell which of its
    // functions changed: everything runs, with the reason and the fix.
    assert_eq!(selected(&out), None, "{}", out.describe());
    assert!(out.stderr.contains("partial clone"), "{}", out.describe());
    assert!(out.stderr.contains("blob:none"), "{}", out.describe());
    let strict = Repo::affected_in(
        &clone,
        &["--base", "origin/main", "--no-include-worktree", "--strict"],
    );
    assert_eq!(strict.code, 2, "{}", strict.describe());
}

#[test]
fn on_a_github_pull_request_the_base_comes_from_the_event() {
    let repo = diverged(1);
    repo.git(&["update-ref", "refs/remotes/origin/main", "main"]);
    let mut command = repo
        .project
        .command_in("", &["affected", "--no-include-worktree"]);
    command
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", "pull_request")
        .env("GITHUB_BASE_REF", "main");
    let out = crate::e2e::project::run(command);
    assert_eq!(
        selected(&out),
        jobs(&["tests/test_a.py group 2"]),
        "{}",
        out.describe()
    );
    assert!(out.stderr.contains("GITHUB_BASE_REF"), "{}", out.describe());
    let mut command = repo
        .project
        .command_in("", &["affected", "--no-include-worktree"]);
    command
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", "push");
    let out = crate::e2e::project::run(command);
    assert_eq!(selected(&out), None, "{}", out.describe());
}
