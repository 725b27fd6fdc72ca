//! Which (test file, group) jobs a git change affects.
//!
//! [`changes`] computes the changed paths between `merge-base(REF, HEAD)` and `HEAD` (plus the
//! worktree) with gix; [`rules`] maps them onto the collected tests: function spans of the old
//! and new versions of test files ([`spans`]), the import graph of the test tree ([`imports`]),
//! conftest and data-file scopes and the `[tool.fanout]` settings. When it cannot be sure, the
//! answer is "everything", with the reason and a hint.

pub mod changes;
pub mod error;
pub mod imports;
mod patterns;
pub mod rules;
pub mod spans;
pub mod tracked;

pub use changes::{changed_paths, ChangeKind, ChangedPath, ChangedPaths};
pub use error::{DiffError, Unsure};
pub use patterns::{PathGlobs, PathGlobsError};
pub use rules::{select, JobKey, Project, Selection};

use std::path::Path;

/// Where the base came from and what to compare with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// Compare with `merge-base(REF, HEAD)`; the note says where REF came from when not given.
    Ref { name: String, note: Option<String> },
    /// Nothing to compare with: run everything, for this reason.
    Everything(String),
}

/// The base to compare with: `explicit` when given, else the CI's own (a GitHub `pull_request`
/// event's `GITHUB_BASE_REF`, GitLab's merge request diff base). A GitHub push runs everything.
pub fn resolve_base(
    explicit: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Base, Unsure> {
    if let Some(name) = explicit.filter(|s| !s.is_empty()) {
        return Ok(Base::Ref {
            name: name.to_owned(),
            note: None,
        });
    }
    let var = |name: &str| env(name).filter(|v| !v.is_empty());
    if var("GITHUB_ACTIONS").as_deref() == Some("true") {
        let event = var("GITHUB_EVENT_NAME").unwrap_or_default();
        if let (true, Some(base)) = (event.starts_with("pull_request"), var("GITHUB_BASE_REF")) {
            return Ok(Base::Ref {
                name: format!("origin/{base}"),
                note: Some(format!(
                    "no base given: using this pull request's base `origin/{base}` (GITHUB_BASE_REF)"
                )),
            });
        }
        return Ok(Base::Everything(format!(
            "a GitHub `{event}` event has no base branch to compare with, so every group runs"
        )));
    }
    if let Some(sha) = var("CI_MERGE_REQUEST_DIFF_BASE_SHA") {
        return Ok(Base::Ref {
            note: Some(format!(
                "no base given: using this merge request's diff base {sha} (CI_MERGE_REQUEST_DIFF_BASE_SHA)"
            )),
            name: sha,
        });
    }
    Err(Unsure::new(
        "no base to compare with was given",
        "pass the branch to compare with, e.g. `--changed-since origin/main`",
    ))
}

/// The whole step: the base, the changed paths and the selection.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The REF compared with, when there was one.
    pub base: Option<String>,
    pub changed: Option<ChangedPaths>,
    pub selection: Selection,
    /// Why everything runs because fanout was not sure, with the fix (`None`: it was sure).
    pub unsure: Option<Unsure>,
}

#[derive(Debug, thiserror::Error)]
pub enum AffectedError {
    /// Not sure, and `--strict` was given.
    #[error("{0}")]
    Strict(Unsure),
    #[error(transparent)]
    Glob(#[from] PathGlobsError),
}

/// Selects the affected jobs. When fanout cannot be sure, every job runs and `unsure` says why,
/// or with `strict` that is an error.
pub fn affected(
    dir: &Path,
    base: Result<Base, Unsure>,
    include_worktree: bool,
    strict: bool,
    project: &Project<'_>,
) -> Result<Outcome, AffectedError> {
    let everything = |unsure: Unsure, base: Option<String>| -> Result<Outcome, AffectedError> {
        if strict {
            return Err(AffectedError::Strict(unsure));
        }
        Ok(Outcome {
            base,
            changed: None,
            selection: Selection {
                everything: vec![unsure.reason.clone()],
                ..Selection::default()
            },
            unsure: Some(unsure),
        })
    };
    let (name, note) = match base {
        Err(unsure) => return everything(unsure, None),
        Ok(Base::Everything(reason)) => {
            return Ok(Outcome {
                base: None,
                changed: None,
                selection: Selection {
                    everything: vec![reason],
                    ..Selection::default()
                },
                unsure: None,
            })
        }
        Ok(Base::Ref { name, note }) => (name, note),
    };
    let (repo, changed) = match changed_paths(dir, &name, include_worktree) {
        Ok(found) => found,
        Err(DiffError::Unsure(unsure)) => return everything(unsure, Some(name)),
        Err(DiffError::Git(message)) => {
            return everything(
                Unsure::new(
                    message,
                    "check the repository with `git status` and `git log`",
                ),
                Some(name),
            )
        }
    };
    let mut selection = select(&repo, &changed, project)?;
    if let Some(note) = note {
        selection.notes.insert(0, note);
    }
    let unsure = selection.unsure.first().cloned();
    if let (true, Some(unsure)) = (strict, &unsure) {
        return Err(AffectedError::Strict(unsure.clone()));
    }
    Ok(Outcome {
        base: Some(name),
        changed: Some(changed),
        selection,
        unsure,
    })
}
