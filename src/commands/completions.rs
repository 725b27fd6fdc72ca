//! `fanout completions SHELL`: a completion script generated from the clap definitions, so it
//! always offers the options this binary has.

use super::Context;
use crate::cli::{Cli, CompletionsArgs};
use clap::CommandFactory;
use fanout_core::ExitStatus;
use std::io::{self, Write};

pub fn run(args: &CompletionsArgs, cx: &mut Context<'_>) -> io::Result<ExitStatus> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "fanout", &mut script);
    cx.streams.out.write_all(&script)?;
    Ok(ExitStatus::Success)
}
