//! A git repository in a temp dir, driven with the `git` command line.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::e2e::project::{run, Output, Project};

pub struct Repo {
    pub project: Project,
    tick: std::cell::Cell<u32>,
}

/// `git ARGS` in `dir` with a fixed identity and date (so hashes are stable) and no user config.
pub fn git_in(dir: &Path, args: &[&str]) -> String {
    git_at(dir, args, "2026-01-01T00:00:00Z")
}

fn git_at(dir: &Path, args: &[&str], date: &str) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Fan Out")
        .env("GIT_AUTHOR_EMAIL", "fanout@example.com")
        .env("GIT_COMMITTER_NAME", "Fan Out")
        .env("GIT_COMMITTER_EMAIL", "fanout@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("running git");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A project with two test files, a helper package, a conftest and data, on `main`.
pub const BASE_FILES: &[(&str, &str)] = &[
    (
        "pyproject.toml",
        "[tool.pytest.ini_options]\ntestpaths = [\"tests\"]\n\n[tool.fanout]\nignore-changes = [\"*.md\"]\n\n[tool.fanout.affects]\n\"src/db/**\" = [\"tests/db/**\"]\n",
    ),
    ("README.md", "# demo\n"),
    ("src/app.py", "X = 1\n"),
    ("src/db/core.py", "Y = 1\n"),
    ("tests/conftest.py", "import pytest\n"),
    (
        "tests/test_a.py",
        "import pytest\n\n\n@pytest.mark.group(1)\ndef test_one():\n    assert 1\n\n\n@pytest.mark.group(2)\ndef test_two():\n    assert 2\n",
    ),
    (
        "tests/api/test_b.py",
        "import pytest\nfrom helpers.util import value\n\nDATA = \"data.yaml\"\n\n\n@pytest.mark.group(1)\ndef test_b():\n    assert value()\n",
    ),
    ("tests/api/conftest.py", "import pytest\n"),
    ("tests/api/data.yaml", "a: 1\n"),
    ("tests/helpers/__init__.py", ""),
    ("tests/helpers/util.py", "from .deep import VALUE\n\n\ndef value():\n    return VALUE\n"),
    ("tests/helpers/deep.py", "VALUE = 1\n"),
    (
        "tests/db/test_db.py",
        "import pytest\n\n\n@pytest.mark.group(3)\ndef test_db():\n    pass\n",
    ),
];

impl Repo {
    /// A repository with the base files committed on `main` and a branch `feature` checked out.
    pub fn new() -> Self {
        let project = Project::new();
        for (path, text) in BASE_FILES {
            project.bytes(path, text.as_bytes());
        }
        let repo = Repo {
            project,
            tick: std::cell::Cell::new(0),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.commit_all("base");
        repo.git(&["checkout", "-q", "-b", "feature"]);
        repo
    }

    pub fn path(&self) -> std::path::PathBuf {
        self.project.path()
    }

    pub fn git(&self, args: &[&str]) -> String {
        git_in(&self.path(), args)
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.project.bytes(rel, text.as_bytes());
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.project.join(rel)).expect("reading a fixture file")
    }

    pub fn replace(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.write(rel, &text.replacen(from, to, 1))
    }

    pub fn commit_all(&self, message: &str) {
        self.git(&["add", "-A"]);
        let n = self.tick.get() + 1;
        self.tick.set(n);
        // One minute per commit: distinct, ordered and stable dates.
        let date = format!("2026-01-01T00:{:02}:00Z", n % 60);
        git_at(
            &self.path(),
            &["commit", "-q", "--allow-empty", "-m", message],
            &date,
        );
    }

    /// `fanout affected --base main --explain` in `dir`, outside CI.
    pub fn affected_in(dir: &Path, args: &[&str]) -> Output {
        let mut all = vec!["affected", "--explain"];
        all.extend_from_slice(args);
        let mut command = Command::new(env!("CARGO_BIN_EXE_fanout"));
        command
            .args(&all)
            .current_dir(dir)
            .env_clear()
            .envs(
                crate::e2e::project::ALLOWED_ENV
                    .iter()
                    .filter_map(|k| Some((k, std::env::var_os(k)?))),
            )
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1");
        run(command)
    }

    pub fn affected(&self, args: &[&str]) -> Output {
        Self::affected_in(&self.path(), args)
    }
}

/// The selected jobs (`path group N`) of an `affected` report, or `None` when all were selected.
pub fn selected(output: &Output) -> Option<BTreeSet<String>> {
    assert!(output.code == 0, "{}", output.describe());
    if output.stdout.contains("selected all ") {
        return None;
    }
    let mut jobs = BTreeSet::new();
    let mut inside = false;
    for line in output.stdout.lines() {
        if line.starts_with("selected ") {
            inside = true;
        } else if !line.starts_with("  ") {
            inside = false;
        } else if inside && !line.starts_with("      ") {
            jobs.insert(line.trim().to_owned());
        }
    }
    Some(jobs)
}

pub fn jobs(items: &[&str]) -> Option<BTreeSet<String>> {
    Some(items.iter().map(|s| (*s).to_owned()).collect())
}

/// The `--explain` list of changed paths, as `git diff --name-status -M` prints them
/// (`R` without the score).
pub fn changed_list(output: &Output) -> BTreeSet<String> {
    output
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("changes since "))
        .skip(1)
        .take_while(|l| l.starts_with("  ") && l.chars().nth(3) == Some(' '))
        .map(|l| l.trim().replace(" -> ", "\t").replacen(' ', "\t", 1))
        .collect()
}

/// `git diff --name-status -M BASE...HEAD`, with rename scores dropped.
pub fn git_changed(dir: &Path, base: &str) -> BTreeSet<String> {
    git_in(
        dir,
        &["diff", "--name-status", "-M", &format!("{base}...HEAD")],
    )
    .lines()
    .map(|l| {
        let (status, rest) = l.split_once('\t').unwrap_or((l, ""));
        format!("{}\t{rest}", &status[..1])
    })
    .collect()
}

/// Runs `affected --base main` and checks the changed paths against git's.
pub fn checked(repo: &Repo) -> Output {
    let output = repo.affected(&["--base", "main", "--no-include-worktree"]);
    assert_eq!(
        changed_list(&output),
        git_changed(&repo.path(), "main"),
        "{}",
        output.describe()
    );
    output
}
