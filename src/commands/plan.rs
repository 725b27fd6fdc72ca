//! `fanout plan`: groups proposed from measured timings, printed as current against proposed
//! wall and machine time; `--diff` shows the group marks that would change, `--write` writes them.

use super::Context;
use crate::cli::{PlanArgs, ResolveArgs};
use crate::pipeline::{self, Failure};
use crate::planning::{self, edits, render};
use crate::render::human::{self, plural, Paint};
use crate::settings::{self, ProjectArgs, SelectArgs, Style};
use fanout_core::{Code, Diagnostic, ExitStatus};
use std::io::{self, Write};

pub fn run(args: &PlanArgs, cx: &mut Context<'_>) -> io::Result<ExitStatus> {
    let style = Style::resolve(args.color, cx.env);
    let paint = Paint::new(style.color_stderr);
    let project_args = ProjectArgs::of(&args.tests);
    let select_args = SelectArgs {
        markexpr: args.tests.markexpr.clone(),
        changes: None,
    };
    let no_resolve = ResolveArgs {
        resolve_dynamic: false,
        pytest: crate::cli::PytestArgs {
            python: None,
            collect_command: None,
        },
    };
    let dynamic = settings::dynamic_files(&no_resolve, None, cx.env);
    let selection = match pipeline::select(&project_args, &select_args, &dynamic, cx.env) {
        Ok(selection) => selection,
        Err(failure) => return cx.fail(&failure, paint),
    };
    let project = &selection.project;
    let rootdir = project.config.rootdir.clone();
    let sources = super::report::sources(
        &args.sources,
        project
            .settings
            .plan
            .history
            .map(std::num::NonZeroUsize::get),
    );
    let loaded = match crate::timings_input::load(&sources, &rootdir) {
        Ok(loaded) => loaded,
        Err(failure) => return cx.fail(&failure, paint),
    };
    let together = &project.settings.plan.together;
    let prepared = planning::prepare(&loaded.runs, &selection.selected.tests, together);
    let limits = fanout_plan::Limits {
        slow_threshold: args.slow_threshold,
        max_jobs: args.max_jobs.or(project.settings.max_jobs),
        max_machine_seconds: args.max_machine_time,
    };
    let inputs: Vec<fanout_plan::FileInput> =
        prepared.files.iter().map(|f| f.input.clone()).collect();
    let plan = fanout_plan::plan(&inputs, &limits);
    let mut notes = loaded.notes.clone();
    if loaded.runs.len() > 1 {
        notes.push(format!(
            "{} runs read, oldest {}: each test's cost is the median over the runs that measured it",
            loaded.runs.len(),
            loaded.runs[0].label
        ));
    }
    if !prepared.unmatched.is_empty() {
        notes.push(format!(
            "{} in the timings not collected now (renamed, deleted or outside the paths), left out: \
             e.g. `{}`, from {}",
            plural(prepared.unmatched.len(), "test"),
            prepared.unmatched[0],
            prepared.unmatched_runs.join(", ")
        ));
    }
    for estimated in &prepared.estimated {
        notes.push(format!(
            "`{}` has no timing: estimated at {} ({})",
            estimated.id,
            crate::report::duration(estimated.seconds),
            estimated.how
        ));
    }
    if !prepared.unplanned.is_empty() {
        notes.push(format!(
            "{} without any timing, planned as they are (groups kept): {}",
            plural(prepared.unplanned.len(), "file"),
            prepared.unplanned.join(", ")
        ));
    }
    for declared in &prepared.declared {
        notes.push(format!(
            "kept in one job ({}): {}",
            declared.kind.describe(),
            declared.ids.join(", ")
        ));
    }
    for id in &prepared.unknown_together {
        notes.push(format!(
            "[tool.fanout.plan] together names `{id}`, which is not collected"
        ));
    }
    if let Some(unmet) = &plan.unmet {
        notes.push(unmet.clone());
    }
    let (file_edits, diagnostics) = if args.diff || args.write {
        edits::edits(
            &rootdir,
            &prepared.files,
            &plan.files,
            project.settings.ungrouped,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    if args.diff {
        for edit in &file_edits {
            write!(cx.streams.out, "{}", edit.unified_diff())?;
        }
    } else {
        write!(
            cx.streams.out,
            "{}",
            render::render(&prepared, &plan, args.slow_threshold)
        )?;
    }
    cx.streams.out.flush()?;
    for note in &notes {
        human::line(&mut cx.streams.err, "note:", note, paint)?;
    }
    cx.report(&diagnostics, paint)?;
    if prepared.files.is_empty() {
        let d = Diagnostic::error(
            Code::UsageError,
            "",
            "no collected test has a timing: nothing to plan",
        )
        .with_hint("pass timings of this suite (node ids relative to the rootdir), and the same paths and -m as the run");
        cx.report(std::slice::from_ref(&d), paint)?;
        return Ok(ExitStatus::Error);
    }
    // Files a test of which cannot be rewritten: left as they are.
    let left: Vec<&str> = {
        let mut left: Vec<&str> = diagnostics
            .iter()
            .filter(|d| d.code == Code::NotRewritten)
            .map(|d| d.path.as_str())
            .collect();
        left.dedup();
        left
    };
    if args.write {
        // Every file is checked before any is written: a refused file leaves the others as
        // they are too, never a plan half applied.
        let refused: Vec<Failure> = file_edits
            .iter()
            .filter_map(|edit| {
                fanout_core::files::check_edit(edit)
                    .err()
                    .map(|source| Failure::WriteFix {
                        path: edit.path.clone(),
                        source,
                    })
            })
            .collect();
        for edit in &file_edits {
            if !refused.is_empty() {
                break;
            }
            if let Err(source) = fanout_core::files::apply_edit(edit) {
                let failure = Failure::WriteFix {
                    path: edit.path.clone(),
                    source,
                };
                return cx.fail(&failure, paint);
            }
        }
        if let Some((last, others)) = refused.split_last() {
            for failure in others {
                let d = failure.diagnostic(&crate::pipeline::invocation_dir());
                cx.report(std::slice::from_ref(&d), paint)?;
            }
            return cx.fail(last, paint);
        }
        let written: Vec<&str> = file_edits.iter().map(|e| e.rel.as_str()).collect();
        if !written.is_empty() {
            let message = format!(
                "group marks written in {}; `fanout check` verifies them (`fanout check --fix` registers the `group` marker if pytest does not know it)",
                written.join(", ")
            );
            human::line(&mut cx.streams.err, "plan:", &message, paint)?;
        }
        if !left.is_empty() {
            let message = format!(
                "not written: {} (a test there cannot be rewritten, see the warnings above): set those groups by hand, or move the tests where `plan` can edit them, then plan again",
                left.join(", ")
            );
            human::line(&mut cx.streams.err, "plan:", &message, paint)?;
        } else if written.is_empty() {
            human::line(
                &mut cx.streams.err,
                "plan:",
                "the group marks already match the plan",
                paint,
            )?;
        }
    }
    if !left.is_empty() && (args.write || args.diff) {
        // The plan cannot be written whole: never a success that leaves the files mixed.
        return Ok(ExitStatus::Findings);
    }
    Ok(if args.diff && !file_edits.is_empty() {
        ExitStatus::Findings
    } else {
        ExitStatus::of(&diagnostics)
    })
}
