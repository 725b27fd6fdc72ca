//! `fanout affected`: the groups a git change affects, and the ones it leaves out.

use super::Context;
use crate::cli::AffectedArgs;
use crate::pipeline::{self, ChangeSelection};
use crate::render::human::Paint;
use crate::settings::{self, Style};
use fanout_core::escape::terminal;
use fanout_core::ExitStatus;
use std::io::{self, Write};

pub fn run(args: &AffectedArgs, cx: &mut Context<'_>) -> io::Result<ExitStatus> {
    let style = Style::resolve(args.selection.color, cx.env);
    let paint = Paint::new(style.color_stderr);
    let (project_args, select_args) = settings::affected(args, cx.env);
    let dynamic_files =
        settings::dynamic_files(&args.resolve, select_args.markexpr.as_deref(), cx.env);
    let selection = match pipeline::select(&project_args, &select_args, &dynamic_files, cx.env) {
        Ok(selection) => selection,
        Err(failure) => return cx.fail(&failure, paint),
    };
    super::selection_notes(
        &mut cx.streams.err,
        &selection,
        select_args.markexpr.is_some(),
        paint,
    )?;
    if let Some(changes) = &selection.selected.changes {
        report(changes, args.explain, &mut cx.streams.out)?;
    }
    cx.report(&selection.diagnostics, paint)?;
    Ok(ExitStatus::of(&selection.diagnostics))
}

fn report(changes: &ChangeSelection, explain: bool, out: &mut dyn Write) -> io::Result<()> {
    let outcome = &changes.outcome;
    let selection = &outcome.selection;
    if let (Some(base), Some(changed)) = (&outcome.base, &outcome.changed) {
        let short = changed.base.to_hex_with_len(10);
        writeln!(
            out,
            "changes since {} (merge base {short}): {} files",
            terminal(base),
            changed.changes.len()
        )?;
        if explain {
            for c in &changed.changes {
                match &c.old_path {
                    Some(old) => writeln!(
                        out,
                        "  {} {} -> {}",
                        c.kind.letter(),
                        terminal(old),
                        terminal(&c.path)
                    )?,
                    None => writeln!(out, "  {} {}", c.kind.letter(), terminal(&c.path))?,
                }
            }
        }
    }
    let total = changes.all_jobs.len();
    if !selection.everything.is_empty() {
        writeln!(out, "selected all {total} jobs:")?;
        for reason in &selection.everything {
            writeln!(out, "  because {}", terminal(reason))?;
        }
        if explain {
            for job in &changes.all_jobs {
                writeln!(out, "  {}", terminal(&job.to_string()))?;
            }
        }
        return Ok(());
    }
    writeln!(out, "selected {} of {total} jobs:", selection.jobs.len())?;
    for (job, reasons) in &selection.jobs {
        writeln!(out, "  {}", terminal(&job.to_string()))?;
        if explain {
            for reason in reasons {
                writeln!(out, "      because {}", terminal(reason))?;
            }
        }
    }
    let left_out = changes.left_out();
    writeln!(out, "left out {} of {total} jobs:", left_out.len())?;
    for job in left_out {
        writeln!(out, "  {}", terminal(&job.to_string()))?;
    }
    if explain && !selection.quiet.is_empty() {
        writeln!(out, "changes that select nothing:")?;
        for q in &selection.quiet {
            writeln!(out, "  {}", terminal(q))?;
        }
    }
    Ok(())
}
