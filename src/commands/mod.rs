//! One module per subcommand; each is a short sequence of pipeline stages and a renderer.

pub mod affected;
pub mod backends;
pub mod check;
pub mod collect;
pub mod completions;
pub mod man;
pub mod matrix;
pub mod plan;
pub mod report;
pub mod run;
pub mod verify;
mod workflow;

use crate::environment::Environment;
use crate::output::Streams;
use crate::pipeline::Failure;
use crate::render::github::workflow_command;
use crate::render::human::{self, Paint};
use fanout_core::{Diagnostic, ExitStatus};
use std::io;

/// What every command is handed.
pub struct Context<'a> {
    pub env: &'a Environment,
    pub streams: &'a mut Streams,
    /// Every diagnostic reported through [`Context::report`] or [`Context::fail`], for the
    /// GitHub step summary of a failed run.
    pub reported: Vec<Diagnostic>,
}

impl Context<'_> {
    /// Renders a failure that stopped the command as a diagnostic on stderr.
    pub fn fail(&mut self, failure: &Failure, paint: Paint) -> io::Result<ExitStatus> {
        let d = failure.diagnostic(&crate::pipeline::invocation_dir());
        self.report(std::slice::from_ref(&d), paint)?;
        Ok(failure.exit_status())
    }

    /// Diagnostics on stderr for people and, under GitHub Actions, also as annotations, so
    /// they show on the pull request at their file, line and column.
    pub fn report(&mut self, diagnostics: &[Diagnostic], paint: Paint) -> io::Result<()> {
        human::diagnostics(&mut self.streams.err, diagnostics, paint)?;
        self.annotate(diagnostics)
    }

    /// Under GitHub Actions, the diagnostics as `::error`/`::warning` annotations on stderr
    /// (for output formats that are not annotations already).
    pub fn annotate(&mut self, diagnostics: &[Diagnostic]) -> io::Result<()> {
        self.reported.extend_from_slice(diagnostics);
        if self.env.github_actions() {
            for d in diagnostics {
                self.streams.err.command(&workflow_command(d))?;
            }
        }
        Ok(())
    }
}

/// The notes of a selection on stderr: the files pytest resolved, where the selecting
/// options came from (addopts, `PYTEST_ADDOPTS`), then what the change selection decided.
pub fn selection_notes(
    err: &mut dyn std::io::Write,
    selection: &crate::pipeline::Selection,
    cli_markexpr: bool,
    paint: Paint,
) -> io::Result<()> {
    resolved_notes(err, &selection.resolved, paint)?;
    for (option, source) in &selection.project.config.ini.option_sources {
        let overridden = if cli_markexpr && option.starts_with("-m ") {
            " (overridden by -m on the command line)"
        } else {
            ""
        };
        human::line(
            err,
            "note:",
            &format!("using `{option}` from {source}{overridden}"),
            paint,
        )?;
    }
    if let Some(changes) = &selection.selected.changes {
        for (label, text) in changes.notes() {
            human::line(err, label, &text, paint)?;
        }
    }
    Ok(())
}

/// One note per file whose tests came from pytest (`--resolve-dynamic`): on stderr, so that
/// a CI log says which groups fanout did not read itself, without an annotation per file.
pub fn resolved_notes(
    err: &mut dyn std::io::Write,
    resolved: &[crate::pipeline::dynamic::ResolvedFile],
    paint: Paint,
) -> io::Result<()> {
    for file in resolved {
        human::line(err, "note:", &file.note(), paint)?;
    }
    Ok(())
}
