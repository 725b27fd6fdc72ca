//! `fanout matrix`: the CI jobs, written by a backend. Nothing is written when any test
//! could be lost, so a broken suite never turns into a green, smaller CI run.

use crate::cli::MatrixArgs;
use crate::render::{self, Style};
use crate::session;
use fanout_core::diagnostic::exit_code;
use fanout_core::matrix::{self, MatrixOptions};
use fanout_core::{BackendOptions, OutputContext};
use std::io::Write;

pub fn run(args: &MatrixArgs, out: &mut dyn Write) -> std::io::Result<i32> {
    let style = Style::for_stderr(args.selection.color);
    let Some(backend) = fanout_core::backend::find(&args.backend) else {
        let names: Vec<_> = fanout_core::backend::registered()
            .iter()
            .map(|b| b.name)
            .collect();
        render::fatal(
            &format!(
                "unknown backend `{}`; available: {}",
                args.backend,
                names.join(", ")
            ),
            &style,
        );
        return Ok(2);
    };
    let session = match session::run(&args.selection) {
        Ok(s) => s,
        Err(session::Fatal(message)) => {
            render::fatal(&message, &style);
            return Ok(2);
        }
    };
    let mut diagnostics = session.diagnostics.clone();
    let (matrix, matrix_diagnostics) = matrix::build(
        &session.tests,
        MatrixOptions {
            ungrouped: session.policy(),
        },
    );
    diagnostics.extend(matrix_diagnostics);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    render::fill_source_lines(&mut diagnostics, &session.config.rootdir);
    let code = exit_code(&diagnostics);
    render::diagnostics(&diagnostics, &style);
    if code != 0 {
        render::fatal(
            "no matrix written: fix the errors above so that no test is left out",
            &style,
        );
        return Ok(code);
    }
    if let Some(max) = session
        .settings
        .max_jobs
        .filter(|&max| matrix.entries.len() > max)
    {
        render::fatal(
            &format!(
                "{} jobs exceed `max-jobs = {max}` in [tool.fanout]; no matrix written\n  = hint: merge small groups, select fewer tests with -m, or raise max-jobs",
                matrix.entries.len()
            ),
            &style,
        );
        return Ok(1);
    }
    let options = backend_options(backend.name, &session.settings, &args.backend_options);
    let env = |name: &str| std::env::var(name).ok();
    let mut ctx = OutputContext {
        output: args.output.as_deref(),
        env: &env,
        stdout: out,
        options: &options,
    };
    match backend.backend.write(&matrix, &diagnostics, &mut ctx) {
        Ok(()) => Ok(0),
        Err(e) => {
            let mut message = format!("{} backend: {e}", backend.name);
            if let Some(hint) = e.hint() {
                message.push_str(&format!("\n  = hint: {hint}"));
            }
            render::fatal(&message, &style);
            Ok(e.exit_code())
        }
    }
}

/// The backend's `[tool.fanout.<backend>]` table with `--backend-option`s on top.
fn backend_options(
    backend: &str,
    settings: &fanout_config::FanoutSettings,
    cli: &[(String, String)],
) -> BackendOptions {
    let table = match backend {
        "gitlab" => serde_json::to_value(&settings.gitlab).ok(),
        _ => None,
    };
    let mut options: BackendOptions = match table {
        Some(serde_json::Value::Object(map)) => map.into_iter().collect(),
        _ => BackendOptions::new(),
    };
    for (key, value) in cli {
        options.insert(key.clone(), serde_json::Value::String(value.clone()));
    }
    options
}
