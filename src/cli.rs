//! Command-line interface definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "fanout",
    version,
    about = "Fan slow pytest integration suites out over parallel CI jobs, one job per (test file, group).",
    long_about = None,
    after_help = "Exit status: 0 success, 1 the tests are not groupable as they stand (errors were printed), 2 usage or I/O error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// List every test pytest would collect, with its group.
    Collect(CollectArgs),
    /// Write the CI job matrix: one job per (test file, group id).
    Matrix(MatrixArgs),
    /// List the output backends built into this binary.
    Backends,
}

/// Options shared by every command that collects tests.
#[derive(Args)]
pub struct Selection {
    /// Test paths, as given to pytest (default: `testpaths` from the pytest config, or the
    /// current directory).
    pub paths: Vec<PathBuf>,
    /// Only tests whose marks match this expression, with pytest's `-m` grammar.
    #[arg(short = 'm', value_name = "MARKEXPR")]
    pub markexpr: Option<String>,
    /// Use this directory as pytest's rootdir (pytest's `--rootdir`).
    #[arg(long, value_name = "DIR")]
    pub rootdir: Option<PathBuf>,
    /// Read the pytest config from this file (pytest's `-c`).
    #[arg(short = 'c', long = "config-file", value_name = "FILE")]
    pub config_file: Option<PathBuf>,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Args)]
pub struct CollectArgs {
    #[command(flatten)]
    pub selection: Selection,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Args)]
pub struct MatrixArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// Output backend (see `fanout backends`).
    #[arg(long, short = 'b', value_name = "NAME")]
    pub backend: String,
    /// Write to this file instead of the backend's default destination.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
