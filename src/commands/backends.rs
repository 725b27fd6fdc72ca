//! `fanout backends`: every output backend linked into this binary.

use std::io::Write;

pub fn run(out: &mut dyn Write) -> std::io::Result<i32> {
    let all = fanout_core::backend::registered();
    let width = all.iter().map(|b| b.name.len()).max().unwrap_or(0);
    for b in all {
        writeln!(out, "{:width$}  {}", b.name, b.summary)?;
    }
    Ok(0)
}
