//! One module per subcommand; each is a short sequence of pipeline stages and a renderer.

pub mod affected;
pub mod backends;
pub mod check;
pub mod collect;
pub mod matrix;
pub mod verify;

use crate::environment::Environment;
use crate::output::Streams;
use crate::pipeline::Failure;
use crate::render::human::{self, Paint};
use fanout_core::ExitStatus;
use std::io;

/// What every command is handed.
pub struct Context<'a> {
    pub env: &'a Environment,
    pub streams: &'a mut Streams,
}

impl Context<'_> {
    /// Renders a failure that stopped the command as a diagnostic on stderr.
    pub fn fail(&mut self, failure: &Failure, paint: Paint) -> io::Result<ExitStatus> {
        let d = failure.diagnostic(&invocation_dir());
        human::diagnostics(&mut self.streams.err, std::slice::from_ref(&d), paint)?;
        Ok(failure.exit_status())
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

/// Where paths in failures are shown from.
pub fn invocation_dir() -> std::path::PathBuf {
    std::env::current_dir().unwrap_or_default()
}
