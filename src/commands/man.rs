//! `fanout man`: the man page, fanout(1), in roff, generated from the clap definitions. With
//! `--dir`, fanout.1 and one page per command (fanout-matrix.1, ...), which fanout.1 refers to.

use super::Context;
use crate::cli::{Cli, ManArgs};
use crate::render::human::{self, Paint};
use clap::CommandFactory;
use fanout_core::ExitStatus;
use std::io::{self, Write};

pub fn run(args: &ManArgs, cx: &mut Context<'_>) -> io::Result<ExitStatus> {
    let Some(dir) = &args.dir else {
        let mut page = Vec::new();
        clap_mangen::Man::new(Cli::command()).render(&mut page)?;
        cx.streams.out.write_all(&page)?;
        return Ok(ExitStatus::Success);
    };
    let written =
        std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(Cli::command(), dir));
    match written {
        Ok(()) => Ok(ExitStatus::Success),
        Err(e) => {
            let message = format!("cannot write the man pages to {}: {e}", dir.display());
            human::line(&mut cx.streams.err, "error:", &message, Paint::new(false))?;
            Ok(ExitStatus::Error)
        }
    }
}
