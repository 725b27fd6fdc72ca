//! The flow every command shares, as explicit stages with typed inputs and outputs:
//!
//! 1. load ([`Project::load`]): settings from the command line, environment and config files;
//! 2. collect ([`Project::collect`]): every test pytest would collect, and with
//!    `--resolve-dynamic` ([`dynamic::apply`]) pytest's own items for the files fanout cannot
//!    read;
//! 3. select ([`select::select`]): `-m`, then the tests a git change affects;
//! 4. group ([`matrix::check_grouping`] for every command, [`jobs`] for `matrix`): file-level
//!    grouping rules and the CI jobs;
//!
//! and then a command emits the result with a renderer. A failure at any stage is a
//! [`Failure`], which renders as a diagnostic like any other.

mod changes;
pub mod dynamic;
mod failure;
mod project;
mod select;

pub use changes::ChangeSelection;
pub use failure::Failure;
pub use project::{Collected, Project};
pub use select::Selected;

use crate::environment::Environment;
use crate::settings::{DynamicFiles, ProjectArgs, SelectArgs};
use fanout_core::matrix::{self, MatrixOptions};
use fanout_core::{Code, Diagnostic, Matrix};

/// Stages 1 to 3, and the grouping rules of stage 4 that hold for every command.
pub struct Selection {
    pub project: Project,
    pub selected: Selected,
    /// Sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The files whose tests pytest collected (`--resolve-dynamic`).
    pub resolved: Vec<dynamic::ResolvedFile>,
}

pub fn select(
    project_args: &ProjectArgs,
    select_args: &SelectArgs,
    dynamic_files: &DynamicFiles,
    env: &Environment,
) -> Result<Selection, Failure> {
    let project = Project::load(project_args, env)?;
    let mut collected = project.collect();
    let resolved = dynamic::apply(&project, &mut collected, dynamic_files, env);
    let (selected, mut diagnostics) = select::select(&project, collected, select_args, env)?;
    diagnostics.extend(matrix::check_grouping(
        &selected.tests,
        project.ungrouped_policy(),
    ));
    finish(&mut diagnostics);
    Ok(Selection {
        project,
        selected,
        diagnostics,
        resolved,
    })
}

/// Stages 1 to 3 without the grouping rules, for a command that compares the tests rather
/// than groups them (`verify`); the collection's diagnostics are `fanout check`'s business.
pub fn select_tests(
    project_args: &ProjectArgs,
    select_args: &SelectArgs,
    env: &Environment,
) -> Result<(Project, Selected), Failure> {
    let project = Project::load(project_args, env)?;
    let collected = project.collect();
    let (selected, _) = select::select(&project, collected, select_args, env)?;
    Ok((project, selected))
}

/// Stage 4 for `matrix`: the jobs, and what stops them from being written.
pub fn jobs(selection: &Selection) -> (Matrix, Vec<Diagnostic>) {
    let project = &selection.project;
    let (matrix, mut diagnostics) = matrix::build(
        &selection.selected.tests,
        MatrixOptions {
            ungrouped: project.ungrouped_policy(),
            complete_files: Some(&selection.selected.complete_files),
        },
    );
    let count = matrix.entries.len();
    if let Some(max) = project.settings.max_jobs.filter(|&max| count > max) {
        let file = project
            .settings_file
            .as_deref()
            .map_or_else(String::new, |f| {
                fanout_pytest::walk::relative_to(f, project.rootdir())
            });
        diagnostics.push(
            Diagnostic::error(
                Code::TooManyJobs,
                file,
                format!("{count} jobs exceed `max-jobs = {max}` in [tool.fanout]"),
            )
            .with_hint("merge small groups, select fewer tests with -m, or raise max-jobs"),
        );
    }
    finish(&mut diagnostics);
    (matrix, diagnostics)
}

/// Diagnostics in file and position order. Each carries its source line from when the file
/// was parsed: nothing is read twice.
pub fn finish(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

pub use crate::environment::invocation_dir;
