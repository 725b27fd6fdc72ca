//! The change part of stage 3: which jobs a git change affects (rules in `fanout-diff`).

use super::{Failure, Project};
use crate::environment::Environment;
use crate::settings::ChangeArgs;
use fanout_core::TestItem;
use fanout_diff::{JobKey, Outcome};
use std::collections::BTreeSet;

/// What `--changed-since` selected.
pub struct ChangeSelection {
    pub outcome: Outcome,
    /// Every job before the selection, to list the ones left out.
    pub all_jobs: BTreeSet<JobKey>,
}

impl ChangeSelection {
    pub fn left_out(&self) -> Vec<&JobKey> {
        if !self.outcome.selection.everything.is_empty() {
            return Vec::new();
        }
        self.all_jobs
            .iter()
            .filter(|j| !self.outcome.selection.jobs.contains_key(j))
            .collect()
    }

    pub fn selects(&self, test: &TestItem) -> bool {
        self.outcome.selection.selects(test)
    }

    /// What a collecting command says about the selection on stderr, as (label, text) lines:
    /// notes, and why everything runs when it does.
    pub fn notes(&self) -> Vec<(&'static str, String)> {
        let outcome = &self.outcome;
        let mut lines: Vec<(&'static str, String)> = outcome
            .selection
            .notes
            .iter()
            .map(|n| ("note:", n.clone()))
            .collect();
        if let Some(unsure) = &outcome.unsure {
            lines.push((
                "warning:",
                format!(
                    "selecting every group: cannot tell which tests the change affects: {}",
                    unsure.reason
                ),
            ));
            lines.push(("  hint:", unsure.hint.clone()));
        } else if let Some(reason) = outcome.selection.everything.first() {
            lines.push(("note:", format!("selecting every group: {reason}")));
        } else if let Some(base) = &outcome.base {
            let total = self.all_jobs.len();
            let left_out = self.left_out().len();
            lines.push((
                "note:",
                format!(
                    "{} of {total} jobs affected by the changes since {base}; {left_out} left out (`fanout affected --base {base} --explain` says why)",
                    total - left_out
                ),
            ));
        }
        lines
    }
}

/// Every `[tool.fanout.affects]` entry must name some collected test file: an entry whose
/// targets match none would turn a change into an empty selection, a green run of nothing.
pub fn check_affects(
    project: &Project,
    test_paths: &std::collections::BTreeSet<&str>,
) -> Result<(), Failure> {
    for (source, targets) in &project.settings.affects {
        let globs = fanout_diff::PathGlobs::new(targets)?;
        if test_paths.iter().any(|p| globs.matches(p)) {
            continue;
        }
        return Err(Failure::Settings {
            path: project.settings_file.clone().unwrap_or_default(),
            line: 0,
            message: format!(
                "[tool.fanout.affects] `{source}` = {targets:?} matches no collected test file, so a change to `{source}` would select nothing"
            ),
        });
    }
    Ok(())
}

/// Compares with the base and decides which of `tests` the change affects.
pub fn select(
    project: &Project,
    tests: &[TestItem],
    args: &ChangeArgs,
    env: &Environment,
) -> Result<ChangeSelection, Failure> {
    let config = &project.config;
    let canonical = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_owned());
    let rootdir = canonical(&config.rootdir);
    let test_roots: Vec<_> = config
        .collect_paths
        .iter()
        // A node id (`tests/test_a.py::test_x`) stands for its file.
        .map(|p| canonical(&rootdir.join(fanout_config::split_node_id(p).0)))
        .collect();
    let config_files: Vec<_> = config
        .inifile
        .iter()
        .cloned()
        .chain([rootdir.join("pyproject.toml")])
        .map(|p| canonical(&p))
        .collect();
    let diff_project = fanout_diff::Project {
        rootdir: &rootdir,
        test_roots: &test_roots,
        tests,
        python_files: &config.ini.python_files,
        config_files: &config_files,
        ignore_changes: &project.settings.ignore_changes,
        affects: &project.settings.affects,
        plugins: &config.ini.plugins,
    };
    let lookup = |name: &str| env.lookup(name);
    let base = fanout_diff::resolve_base(args.base.as_deref(), &lookup);
    let outcome = fanout_diff::affected(
        &rootdir,
        base,
        args.include_worktree,
        args.strict,
        &diff_project,
    )
    .map_err(|e| match e {
        fanout_diff::AffectedError::Strict(unsure) => Failure::UnsureChanges(unsure),
        fanout_diff::AffectedError::Glob(e) => Failure::ChangeGlob(e),
    })?;
    Ok(ChangeSelection {
        outcome,
        all_jobs: tests.iter().map(JobKey::of).collect(),
    })
}
