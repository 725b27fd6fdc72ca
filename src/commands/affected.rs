//! `--changed-since REF` on the collecting commands, and `fanout affected`: only the groups a
//! git change affects. The rules live in the `fanout-diff` crate.

use std::collections::BTreeSet;
use std::io::Write;

use fanout_config::{FanoutSettings, PytestConfig};
use fanout_core::TestItem;
use fanout_diff::{JobKey, Outcome};

use crate::cli::{AffectedArgs, Selection};
use crate::render::{self, Style};
use crate::session::{self, Fatal};

/// The selection made for a session.
pub struct Applied {
    pub outcome: Outcome,
    /// Every job before the selection, to list the ones left out.
    pub all_jobs: BTreeSet<JobKey>,
    /// Tests dropped by the selection (not by `-m`).
    pub dropped_tests: usize,
}

impl Applied {
    pub fn left_out(&self) -> Vec<&JobKey> {
        if !self.outcome.selection.everything.is_empty() {
            return Vec::new();
        }
        self.all_jobs
            .iter()
            .filter(|j| !self.outcome.selection.jobs.contains_key(j))
            .collect()
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Keeps only the tests of the jobs the change since `--changed-since` affects; prints to
/// stderr why everything runs when that is so.
pub fn apply(
    selection: &Selection,
    config: &PytestConfig,
    settings: &FanoutSettings,
    tests: &mut Vec<TestItem>,
) -> Result<Option<Applied>, Fatal> {
    let Some(changed_since) = &selection.changed_since else {
        return Ok(None);
    };
    let include_worktree = if selection.include_worktree {
        true
    } else if selection.no_include_worktree {
        false
    } else {
        env("CI").as_deref() != Some("true")
    };
    let rootdir = std::fs::canonicalize(&config.rootdir).unwrap_or_else(|_| config.rootdir.clone());
    let test_roots: Vec<_> = config
        .collect_paths
        .iter()
        .map(|p| {
            // A node id (`tests/test_a.py::test_x`) stands for its file.
            let text = p.to_string_lossy();
            let file = rootdir.join(text.split("::").next().unwrap_or(&text));
            std::fs::canonicalize(&file).unwrap_or(file)
        })
        .collect();
    let mut config_files: Vec<_> = config.inifile.iter().cloned().collect();
    config_files.push(rootdir.join("pyproject.toml"));
    let config_files: Vec<_> = config_files
        .iter()
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
        .collect();
    let project = fanout_diff::Project {
        rootdir: &rootdir,
        test_roots: &test_roots,
        tests,
        python_files: &config.ini.python_files,
        config_files: &config_files,
        ignore_changes: &settings.ignore_changes,
        affects: &settings.affects,
    };
    let base = fanout_diff::resolve_base(Some(changed_since.as_str()), &env);
    let outcome =
        fanout_diff::affected(&rootdir, base, include_worktree, selection.strict, &project)
            .map_err(|e| match e {
                fanout_diff::AffectedError::Strict(unsure) => Fatal(format!(
                    "cannot tell which tests the change affects: {} (--strict)\nhint: {}",
                    unsure.reason, unsure.hint
                )),
                fanout_diff::AffectedError::Glob(e) => Fatal(e.to_string()),
            })?;
    let all_jobs = tests.iter().map(JobKey::of).collect();
    let before = tests.len();
    tests.retain(|t| outcome.selection.selects(t));
    let applied = Applied {
        outcome,
        all_jobs,
        dropped_tests: before - tests.len(),
    };
    warn(&applied);
    Ok(Some(applied))
}

/// Notes and the reason everything runs, on stderr.
fn warn(applied: &Applied) {
    let outcome = &applied.outcome;
    for note in &outcome.selection.notes {
        eprintln!("note: {note}");
    }
    if let Some(unsure) = &outcome.unsure {
        eprintln!(
            "warning: selecting every group: cannot tell which tests the change affects: {}\n  hint: {}",
            unsure.reason, unsure.hint
        );
    } else if let Some(reason) = outcome.selection.everything.first() {
        eprintln!("note: selecting every group: {reason}");
    } else if let Some(base) = &outcome.base {
        let left_out = applied.left_out().len();
        eprintln!(
            "note: {} of {} jobs affected by the changes since {base}; {left_out} left out (`fanout affected --base {base} --explain` says why)",
            applied.all_jobs.len() - left_out,
            applied.all_jobs.len()
        );
    }
}

pub fn run(args: &AffectedArgs, out: &mut dyn Write) -> std::io::Result<i32> {
    let style = Style::for_stderr(args.selection.color);
    let mut selection = args.selection.clone();
    selection.changed_since = Some(
        args.base
            .clone()
            .or_else(|| selection.changed_since.clone())
            .unwrap_or_default(),
    );
    let session = match session::run(&selection) {
        Ok(s) => s,
        Err(Fatal(message)) => {
            render::fatal(&message, &style);
            return Ok(2);
        }
    };
    let Some(applied) = &session.affected else {
        // session::run applies a selection whenever changed_since is set, as it is here.
        render::fatal("internal error: no change selection was made", &style);
        return Ok(2);
    };
    report(applied, args.explain, out)?;
    render::diagnostics(&session.diagnostics, &style);
    Ok(fanout_core::diagnostic::exit_code(&session.diagnostics))
}

fn report(applied: &Applied, explain: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let outcome = &applied.outcome;
    let selection = &outcome.selection;
    if let (Some(base), Some(changed)) = (&outcome.base, &outcome.changed) {
        let short = changed.base.to_hex_with_len(10);
        writeln!(
            out,
            "changes since {base} (merge base {short}): {} files",
            changed.changes.len()
        )?;
        if explain {
            for c in &changed.changes {
                match &c.old_path {
                    Some(old) => writeln!(out, "  {} {old} -> {}", c.kind.letter(), c.path)?,
                    None => writeln!(out, "  {} {}", c.kind.letter(), c.path)?,
                }
            }
        }
    }
    let total = applied.all_jobs.len();
    if !selection.everything.is_empty() {
        writeln!(out, "selected all {total} jobs:")?;
        for reason in &selection.everything {
            writeln!(out, "  because {reason}")?;
        }
        if explain {
            for job in &applied.all_jobs {
                writeln!(out, "  {job}")?;
            }
        }
        return Ok(());
    }
    writeln!(out, "selected {} of {total} jobs:", selection.jobs.len())?;
    for (job, reasons) in &selection.jobs {
        writeln!(out, "  {job}")?;
        if explain {
            for reason in reasons {
                writeln!(out, "      because {reason}")?;
            }
        }
    }
    let left_out = applied.left_out();
    writeln!(out, "left out {} of {total} jobs:", left_out.len())?;
    for job in left_out {
        writeln!(out, "  {job}")?;
    }
    if explain && !selection.quiet.is_empty() {
        writeln!(out, "changes that select nothing:")?;
        for q in &selection.quiet {
            writeln!(out, "  {q}")?;
        }
    }
    Ok(())
}
