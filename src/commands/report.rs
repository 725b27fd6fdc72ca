//! `fanout report`: where a run's time went, from timings, JUnit or `.test_durations` files.
//! Under GitHub Actions the Markdown form (with its gantt chart) also goes to the step summary.

use super::Context;
use crate::cli::{ReportArgs, ReportFormat, TimingSources};
use crate::render::human::Paint;
use crate::report::{self, html, human, markdown};
use crate::timings_input::{self, Sources};
use fanout_core::ExitStatus;
use std::io::{self, Write};

/// The timings file read when no input is named.
pub const DEFAULT_TIMINGS: &str = "timings.json";
/// How many of the newest runs count unless `--history` says otherwise.
pub const DEFAULT_HISTORY: usize = 10;

pub fn run(args: &ReportArgs, cx: &mut Context<'_>) -> io::Result<ExitStatus> {
    let paint = Paint::new(false);
    let root = crate::pipeline::invocation_dir();
    let loaded = match timings_input::load(&sources(&args.sources, None), &root) {
        Ok(loaded) => loaded,
        Err(failure) => return cx.fail(&failure, paint),
    };
    let report = report::of_runs(&loaded.runs, args.top);
    for note in &loaded.notes {
        crate::render::human::line(&mut cx.streams.err, "note:", note, paint)?;
    }
    let out = &mut cx.streams.out;
    match args.format {
        ReportFormat::Human => write!(out, "{}", human::render(&report, args.top))?,
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)?;
        }
        ReportFormat::Github => write!(out, "{}", markdown::render(&report, args.top))?,
    }
    if let Some(path) = &args.html {
        if let Err(source) =
            fanout_core::backend::replace_file(path, &html::render(&report, args.top))
        {
            let failure = crate::pipeline::Failure::Input {
                path: path.clone(),
                message: format!("cannot write {}: {source}", path.display()),
                hint: "check that the directory exists and is writable".to_owned(),
            };
            return cx.fail(&failure, paint);
        }
    }
    if cx.env.github_actions() {
        super::workflow::append_summary(cx, &markdown::render(&report, args.top))?;
    }
    Ok(ExitStatus::Success)
}

/// The files given, or `timings.json` (what `fanout run --timings timings.json` wrote) when
/// none is.
pub fn sources(args: &TimingSources, history: Option<usize>) -> Sources {
    let none = args.timings.is_empty()
        && args.junit.is_empty()
        && args.durations.is_empty()
        && args.allure.is_empty();
    Sources {
        timings: if none {
            vec![std::path::PathBuf::from(DEFAULT_TIMINGS)]
        } else {
            args.timings.clone()
        },
        junit: args.junit.clone(),
        durations: args.durations.clone(),
        allure: args.allure.clone(),
        history: args
            .history
            .map(|n| n as usize)
            .or(history)
            .unwrap_or(DEFAULT_HISTORY),
    }
}
