//! The `fanout` binary: argument parsing, dispatch and exit codes.
#![allow(clippy::print_stderr)]

mod cli;
mod commands;
mod render;
mod session;

// Backends register themselves with inventory; a crate nothing references is dropped by
// the linker, so reference each one here.
use fanout_github as _;
use fanout_gitlab as _;
use fanout_json as _;

use clap::Parser;

// The parser allocates an AST node per expression; glibc's malloc spends a quarter of the run
// there and serialises threads. mimalloc halves that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::io::Write;

fn main() {
    let cli = cli::Cli::parse();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = match &cli.command {
        cli::Command::Collect(args) => commands::collect::run(args, &mut out),
        cli::Command::Matrix(args) => commands::matrix::run(args, &mut out),
        cli::Command::Backends => commands::backends::run(&mut out),
        cli::Command::Check(args) => commands::check::run(args, &mut out),
        cli::Command::Affected(args) => commands::affected::run(args, &mut out),
    };
    let code = match result.and_then(|code| out.flush().map(|()| code)) {
        Ok(code) => code,
        // A closed pipe (`fanout collect | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: cannot write to standard output: {e}");
            2
        }
    };
    std::process::exit(code);
}
