//! `fanout plan`.

use super::Context;
use crate::cli::PlanArgs;
use fanout_core::ExitStatus;
use std::io;

pub fn run(_args: &PlanArgs, _cx: &mut Context<'_>) -> io::Result<ExitStatus> {
    Ok(ExitStatus::Success)
}
