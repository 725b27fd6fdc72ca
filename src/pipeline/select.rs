//! Stage 3, select: `-m` (from the command line, else addopts), then the change selection.

use super::changes::{self, ChangeSelection};
use super::{Collected, Failure, Project};
use crate::environment::Environment;
use crate::settings::SelectArgs;
use fanout_core::matrix::FileSet;
use fanout_core::TestItem;
use fanout_pytest::markexpr::MarkExpression;
use std::collections::HashMap;

/// The tests that stay, and how many each step left out.
pub struct Selected {
    pub tests: Vec<TestItem>,
    /// Test files found.
    pub files: usize,
    /// Left out by `-m`.
    pub deselected: usize,
    /// Files none of whose collected tests `-m` or `--changed-since` left out.
    pub complete_files: FileSet,
    /// What `--changed-since` decided, when asked.
    pub changes: Option<ChangeSelection>,
}

pub fn select(
    project: &Project,
    collected: Collected,
    args: &SelectArgs,
    env: &Environment,
) -> Result<(Selected, Vec<fanout_core::Diagnostic>), Failure> {
    let markexpr = args
        .markexpr
        .as_deref()
        .or(project.config.ini.markexpr.as_deref())
        .map(MarkExpression::parse)
        .transpose()?;
    let Collected {
        mut tests,
        diagnostics,
        files,
        partial_files,
    } = collected;
    let before = tests.len();
    if markexpr.is_none() && args.changes.is_none() {
        // Nothing is left out: every file with tests is complete, unless its node-id
        // argument or `--deselect` narrowed it.
        let complete_files = file_runs(&tests)
            .filter(|path| !partial_files.contains(path.as_str()))
            .cloned()
            .collect();
        return Ok((
            Selected {
                complete_files,
                tests,
                files: files.len(),
                deselected: 0,
                changes: None,
            },
            diagnostics,
        ));
    }
    let collected_per_file: HashMap<String, usize> = tests_per_file(&tests)
        .into_iter()
        .map(|(path, count)| (path.to_owned(), count))
        .collect();
    if args.changes.is_some() {
        // Against every collected file: `-m` must not turn an entry into an empty one.
        let test_paths = tests.iter().map(|t| t.path.as_str()).collect();
        changes::check_affects(project, &test_paths)?;
    }
    if let Some(expr) = &markexpr {
        tests.retain(|t| expr.matches_test(t));
    }
    let deselected = before - tests.len();
    // A module that may skip itself whole is named by its file also when `-m` left some of its
    // tests out (the run repeats `-m`): where it skips, pytest would answer its tests' own
    // node ids with "found no collectors".
    let selected_per_file: HashMap<String, usize> = tests_per_file(&tests)
        .into_iter()
        .map(|(path, count)| (path.to_owned(), count))
        .collect();
    let may_skip: std::collections::HashSet<&str> = tests
        .iter()
        .filter(|t| t.module_may_skip)
        .map(|t| t.path.as_str())
        .collect();
    let may_skip: std::collections::HashSet<String> =
        may_skip.into_iter().map(str::to_owned).collect();
    let changes = match &args.changes {
        Some(change_args) => {
            let selection = changes::select(project, &tests, change_args, env)?;
            tests.retain(|t| selection.selects(t));
            Some(selection)
        }
        None => None,
    };
    let complete_files = tests_per_file(&tests)
        .into_iter()
        .filter(|(path, count)| {
            let whole = collected_per_file.get(*path) == Some(count)
                || (may_skip.contains(*path) && selected_per_file.get(*path) == Some(count));
            whole && !partial_files.contains(*path)
        })
        .map(|(path, _)| fanout_core::SharedStr::from(path))
        .collect();
    Ok((
        Selected {
            complete_files,
            tests,
            files: files.len(),
            deselected,
            changes,
        },
        diagnostics,
    ))
}

/// Each test file's path, once a run of its tests (the tests come sorted by file; shared
/// paths make each comparison a pointer comparison).
fn file_runs(tests: &[TestItem]) -> impl Iterator<Item = &fanout_core::SharedStr> {
    tests
        .chunk_by(|a, b| a.path == b.path)
        .map(|run| &run[0].path)
}

/// How many tests each file has. The tests come sorted by file, so each file's are one run:
/// one comparison per test (the paths are shared, so usually a pointer comparison), and one
/// map entry per file rather than a hash per test.
fn tests_per_file(tests: &[TestItem]) -> HashMap<&str, usize> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for run in tests.chunk_by(|a, b| a.path == b.path) {
        *counts.entry(run[0].path.as_str()).or_default() += run.len();
    }
    counts
}
