//! `fanout matrix`: the CI jobs, written by a backend. Nothing is written when any test
//! could be lost, so a broken suite never turns into a green, smaller CI run.

use super::Context;
use crate::cli::MatrixArgs;
use crate::pipeline::{self, Failure};
use crate::render::human::{self, Paint};
use crate::settings::{self, Style};
use fanout_core::{BackendOptions, ExitStatus, OutputContext};
use std::io;

pub fn run(args: &MatrixArgs, cx: &mut Context<'_>) -> io::Result<ExitStatus> {
    let status = write_matrix(args, cx)?;
    if status != ExitStatus::Success {
        super::workflow::matrix_failed(cx)?;
    }
    Ok(status)
}

fn write_matrix(args: &MatrixArgs, cx: &mut Context<'_>) -> io::Result<ExitStatus> {
    let style = Style::resolve(args.selection.color, cx.env);
    let paint = Paint::new(style.color_stderr);
    let Some(backend) = fanout_core::backend::find(&args.backend) else {
        let names: Vec<_> = fanout_core::backend::registered()
            .iter()
            .map(|b| b.name)
            .collect();
        let failure = Failure::UnknownBackend {
            name: args.backend.clone(),
            available: names.join(", "),
        };
        return cx.fail(&failure, paint);
    };
    let (project_args, select_args) = settings::selection(&args.selection, cx.env);
    let dynamic_files =
        settings::dynamic_files(&args.resolve, select_args.markexpr.as_deref(), cx.env);
    let selection = match pipeline::select(&project_args, &select_args, &dynamic_files, cx.env) {
        Ok(selection) => selection,
        Err(failure) => return cx.fail(&failure, paint),
    };
    let (matrix, job_diagnostics) = pipeline::jobs(&selection);
    let mut diagnostics = selection.diagnostics.clone();
    diagnostics.extend(job_diagnostics);
    pipeline::finish(&mut diagnostics);
    let err = &mut cx.streams.err;
    super::selection_notes(err, &selection, select_args.markexpr.is_some(), paint)?;
    cx.report(&diagnostics, paint)?;
    let status = ExitStatus::of(&diagnostics);
    if status != ExitStatus::Success {
        human::line(
            &mut cx.streams.err,
            "error:",
            "no matrix written: fix the errors above so that no test is left out",
            paint,
        )?;
        return Ok(status);
    }
    let options = backend_options(
        backend.name,
        &selection.project.settings,
        &args.backend_options,
    );
    // `--backend-option`s are checked as the config table is: a typo is never ignored.
    if let Err(source) = backend.backend.check_options(&options) {
        return cx.fail(
            &Failure::Backend {
                backend: backend.name,
                source,
            },
            paint,
        );
    }
    let lookup = |name: &str| cx.env.lookup(name);
    let mut output = OutputContext {
        output: args.output.as_deref(),
        env: &lookup,
        stdout: &mut cx.streams.out,
        options: &options,
        rootdir: selection.project.rootdir(),
    };
    let status = match backend.backend.write(&matrix, &diagnostics, &mut output) {
        Ok(()) => {
            let changes = selection.selected.changes.as_ref();
            super::workflow::matrix_written(cx, &matrix, changes)?;
            Ok(ExitStatus::Success)
        }
        Err(source) => cx.fail(
            &Failure::Backend {
                backend: backend.name,
                source,
            },
            paint,
        ),
    };
    // The process exits next: freeing every test and job one by one would only cost time
    // (plain memory: nothing in them flushes or removes anything when dropped).
    std::mem::forget(selection);
    std::mem::forget(matrix);
    status
}

/// The backend's `[tool.fanout.<backend>]` table with `--backend-option`s on top; the backend
/// reads them into its own typed settings.
fn backend_options(
    backend: &str,
    settings: &fanout_config::FanoutSettings,
    cli: &[(String, String)],
) -> BackendOptions {
    let mut options: BackendOptions = settings
        .backends
        .get(backend)
        .map(|table| table.values.clone().into_iter().collect())
        .unwrap_or_default();
    for (key, value) in cli {
        options.insert(key.clone(), serde_json::Value::String(value.clone()));
    }
    options
}
