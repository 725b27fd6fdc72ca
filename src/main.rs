//! The `fanout` binary: argument parsing, dispatch and exit status.
#![allow(clippy::print_stderr)]

mod cli;
mod commands;
mod environment;
mod output;
mod pipeline;
mod render;
mod settings;

// Backends register themselves with inventory; a crate nothing references is dropped by
// the linker, so reference each one here.
use fanout_github as _;
use fanout_gitlab as _;
use fanout_json as _;

use clap::Parser;
use fanout_core::ExitStatus;
use std::io::Write;

// The parser allocates an AST node per expression; glibc's malloc spends a quarter of the run
// there and serialises threads. mimalloc halves that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let env = environment::Environment::capture();
    let cli = cli::Cli::parse();
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
    };
    let result = match &cli.command {
        cli::Command::Collect(args) => commands::collect::run(args, &mut cx),
        cli::Command::Matrix(args) => commands::matrix::run(args, &mut cx),
        cli::Command::Backends => commands::backends::run(&mut cx),
        cli::Command::Check(args) => commands::check::run(args, &mut cx),
        cli::Command::Affected(args) => commands::affected::run(args, &mut cx),
    };
    let result = result.and_then(|status| {
        streams.out.flush()?;
        streams.err.flush()?;
        Ok(status)
    });
    let status = match result {
        Ok(status) => status,
        // A reader that stopped reading (`fanout collect | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitStatus::Success,
        Err(e) => {
            eprintln!("error[output-error]: cannot write to standard output: {e}");
            ExitStatus::Error
        }
    };
    std::process::exit(status.code());
}
