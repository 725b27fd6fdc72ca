//! `fanout backends`: every output backend linked into this binary.

use super::Context;
use fanout_core::ExitStatus;
use std::io::{self, Write};

pub fn run(cx: &mut Context<'_>) -> io::Result<ExitStatus> {
    let all = fanout_core::backend::registered();
    let width = all.iter().map(|b| b.name.len()).max().unwrap_or(0);
    for b in all {
        let pad = " ".repeat(width - b.name.len());
        writeln!(cx.streams.out, "{}{pad}  {}", b.name, b.summary)?;
    }
    Ok(ExitStatus::Success)
}
