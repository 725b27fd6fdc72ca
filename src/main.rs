//! The `fanout` binary: argument parsing, dispatch and exit status.
#![allow(clippy::print_stderr)]

mod child;
mod cli;
mod commands;
mod comparison;
mod environment;
mod jobs;
mod output;
mod pipeline;
mod planning;
mod pytest_run;
mod render;
mod report;
mod settings;
mod timings_input;

// Backends register themselves with inventory; a crate nothing references is dropped by
// the linker, so reference each one here.
use fanout_azure as _;
use fanout_buildkite as _;
use fanout_circleci as _;
use fanout_github as _;
use fanout_gitlab as _;
use fanout_json as _;
use fanout_spread as _;

use clap::Parser;
use fanout_core::ExitStatus;
use fanout_core::{Code, Diagnostic, SCHEMA_VERSION};
use std::io::Write;

// The parser allocates an AST node per expression; glibc's malloc spends a quarter of the run
// there and serialises threads. mimalloc halves that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let env = environment::Environment::capture();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => usage_error(e),
    };
    if let Err(e) = cli.check_requirements() {
        usage_error(e);
    }
    let mut streams = match output::Streams::open(env.github_actions()) {
        Ok(streams) => streams,
        Err(e) => {
            eprintln!("error[output-error]: {e}; fanout has nowhere to write its results");
            std::process::exit(ExitStatus::Error.code());
        }
    };
    let mut cx = commands::Context {
        env: &env,
        streams: &mut streams,
        reported: Vec::new(),
    };
    let result = dispatch(&cli.command, &mut cx);
    let result = result.and_then(|status| {
        streams.out.flush()?;
        streams.err.flush()?;
        Ok(status)
    });
    let status = match result {
        Ok(status) => status,
        // A reader that stopped reading (`fanout collect | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitStatus::Success.code(),
        Err(e) => {
            eprintln!("error[output-error]: cannot write to standard output: {e}");
            ExitStatus::Error.code()
        }
    };
    std::process::exit(status);
}

/// The command's exit code: an [`ExitStatus`], except for `run`, which exits with pytest's
/// status (or 130 after Ctrl-C).
fn dispatch(command: &cli::Command, cx: &mut commands::Context<'_>) -> std::io::Result<i32> {
    let status = match command {
        cli::Command::Run(args) => return commands::run::run(args, cx),
        cli::Command::Collect(args) => commands::collect::run(args, cx),
        cli::Command::Matrix(args) => commands::matrix::run(args, cx),
        cli::Command::Backends => commands::backends::run(cx),
        cli::Command::Check(args) => commands::check::run(args, cx),
        cli::Command::Affected(args) => commands::affected::run(args, cx),
        cli::Command::Verify(args) => commands::verify::run(args, cx),
        cli::Command::Report(args) => commands::report::run(args, cx),
        cli::Command::Plan(args) => commands::plan::run(args, cx),
        cli::Command::Completions(args) => commands::completions::run(args, cx),
        cli::Command::Man(args) => commands::man::run(args, cx),
    };
    status.map(ExitStatus::code)
}

/// A command line clap refuses. `--help` and `--version` print as usual; a real error asked for
/// with `--format json` is also one JSON document on stdout, as every other failure is.
fn usage_error(error: clap::Error) -> ! {
    let asked_json = std::env::args().collect::<Vec<_>>().windows(2).any(|w| {
        (w[0] == "--format" && w[1] == "json") || w[1] == "--format=json" || w[0] == "--format=json"
    });
    if asked_json && error.use_stderr() {
        let rendered = error.render().to_string();
        let first = rendered.lines().next().unwrap_or_default();
        let message = first.strip_prefix("error: ").unwrap_or(first).to_owned();
        let d = Diagnostic::error(Code::UsageError, "", message)
            .with_hint("`fanout --help` lists the commands and their options");
        let doc = serde_json::json!({"schema": SCHEMA_VERSION, "tests": [], "diagnostics": [d]});
        let mut out = std::io::stdout().lock();
        // Nothing else can be done if stdout is gone; clap's own message follows on stderr.
        let _ = serde_json::to_writer_pretty(&mut out, &doc)
            .and_then(|()| writeln!(out).map_err(serde_json::Error::io));
    }
    error.exit()
}
