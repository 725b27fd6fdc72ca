//! `fanout run`: the jobs `matrix` would write, run on this machine, one (`--job`) or all of
//! them N at a time (`--all`), optionally keeping JUnit reports and a timings file.

use super::Context;
use crate::cli::RunArgs;
use crate::jobs::{self, pool, Interrupts, Runner, RunnerSettings};
use crate::pipeline::{self, Failure};
use crate::render::human::{self, Paint};
use crate::settings::{self, RunSettings, RunTarget, Style};
use fanout_core::escape::terminal;
use fanout_core::{Code, Diagnostic, ExitStatus, MatrixEntry};
use fanout_timings::Timings;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// The shell's status for a run stopped by Ctrl-C.
const INTERRUPTED: i32 = 130;

pub fn run(args: &RunArgs, cx: &mut Context<'_>) -> io::Result<i32> {
    let paint = Paint::new(Style::resolve(args.selection.color, cx.env).color_stderr);
    let settings = settings::run(args, cx.env);
    let selection = match pipeline::select(
        &settings.project,
        &settings.select,
        &settings.dynamic,
        cx.env,
    ) {
        Ok(selection) => selection,
        Err(failure) => return cx.fail(&failure, paint).map(ExitStatus::code),
    };
    let (matrix, job_diagnostics) = pipeline::jobs(&selection);
    let mut diagnostics = selection.diagnostics.clone();
    diagnostics.extend(job_diagnostics);
    pipeline::finish(&mut diagnostics);
    let markexpr = settings.select.markexpr.is_some();
    super::selection_notes(&mut cx.streams.err, &selection, markexpr, paint)?;
    cx.report(&diagnostics, paint)?;
    let status = ExitStatus::of(&diagnostics);
    if status != ExitStatus::Success {
        let message = "nothing run: fix the errors above so that no test is left out";
        human::line(&mut cx.streams.err, "error:", message, paint)?;
        return Ok(status.code());
    }
    let jobs = match &settings.target {
        RunTarget::One(name) => match find(&matrix.entries, name) {
            Ok(job) => vec![job],
            Err(d) => {
                cx.report(&[d], paint)?;
                return Ok(ExitStatus::Error.code());
            }
        },
        RunTarget::All { .. } => matrix.entries.iter().collect(),
    };
    let rootdir = selection.project.rootdir().to_owned();
    match run_jobs(&settings, &jobs, &rootdir, cx) {
        Ok(code) => Ok(code),
        Err(d) => {
            cx.report(&[d], paint)?;
            Ok(ExitStatus::Error.code())
        }
    }
}

/// Starts the jobs; a diagnostic when they cannot be (no Python, an unwritable directory).
fn run_jobs(
    settings: &RunSettings,
    jobs: &[&MatrixEntry],
    rootdir: &Path,
    cx: &mut Context<'_>,
) -> Result<i32, Diagnostic> {
    let here = pipeline::invocation_dir();
    let launcher = settings
        .launcher
        .clone()
        .map_err(|e| Failure::Launcher(e).diagnostic(&here))?;
    launcher
        .check_pytest(rootdir, cx.env.vars())
        .map_err(|e| Failure::Launcher(e).diagnostic(&here))?;
    let mut options = vec!["--rootdir".into(), rootdir.as_os_str().to_owned()];
    options.extend(settings.pytest_options.iter().cloned());
    let runner = Runner::new(RunnerSettings {
        launcher,
        options,
        rootdir,
        env: cx.env.vars(),
        junit_dir: settings.junit_dir.clone(),
        timings: settings.timings.is_some(),
    })
    .map_err(|e| io_error("cannot prepare the run's directories", &e))?;
    let interrupts = Interrupts::install().map_err(|e| io_error("cannot catch Ctrl-C", &e))?;
    let (code, results) = match &settings.target {
        RunTarget::One(_) => {
            cx.streams
                .out
                .flush()
                .map_err(|e| io_error("cannot write", &e))?;
            let (code, result) = jobs::one::run(&runner, jobs[0], &interrupts).map_err(|e| {
                Diagnostic::error(
                    Code::PytestFailed,
                    "",
                    format!("cannot start `{}`: {e}", runner.shown()),
                )
                .with_hint(
                    "pass --python PATH to an interpreter with pytest installed, or `-- COMMAND`",
                )
            })?;
            (code, vec![Some(result)])
        }
        RunTarget::All { parallel, log_dir } => {
            let log_dir = log_dir_or_new(log_dir.as_deref())
                .map_err(|e| io_error("cannot create the log directory", &e))?;
            all(&runner, jobs, *parallel, &log_dir, &interrupts, cx)
                .map_err(|e| io_error("cannot run the jobs", &e))?
        }
    };
    if let Some(path) = &settings.timings {
        let mut timings = Timings::new(env!("CARGO_PKG_VERSION"));
        for (job, result) in jobs.iter().zip(&results) {
            if let Some(result) = result {
                timings.jobs.push(result.timing(job));
            }
        }
        fanout_core::files::replace_file(path, &timings.to_json()).map_err(|e| {
            io_error(
                &format!("cannot write the timings to {}", path.display()),
                &e,
            )
        })?;
    }
    Ok(code)
}

/// `--all`: the jobs, the progress on stderr, the table on stdout; 0, 1 or 130.
fn all(
    runner: &Runner,
    jobs: &[&MatrixEntry],
    parallel: usize,
    log_dir: &Path,
    interrupts: &Interrupts,
    cx: &mut Context<'_>,
) -> io::Result<(i32, Vec<Option<jobs::JobResult>>)> {
    let err = &mut cx.streams.err;
    writeln!(
        err,
        "fanout run: {} job(s), {parallel} at a time; logs in {}",
        jobs.len(),
        terminal(&log_dir.display().to_string())
    )?;
    let live = std::io::stderr().is_terminal() && !cx.env.github_actions();
    let mut progress = jobs::Progress::new(err, live, jobs.len());
    let run = pool::run(runner, jobs, parallel, log_dir, interrupts, &mut progress)?;
    jobs::write_table(&mut cx.streams.out, jobs, &run)?;
    let failed = run.jobs.iter().any(|f| {
        f.result
            .as_ref()
            .is_none_or(|r| r.status != fanout_timings::JobStatus::Passed)
    });
    let code = if run.interrupted {
        INTERRUPTED
    } else {
        i32::from(failed)
    };
    Ok((code, run.jobs.into_iter().map(|f| f.result).collect()))
}

/// `--log-dir`, created if need be, or a new directory that outlives the run.
fn log_dir_or_new(dir: Option<&Path>) -> io::Result<PathBuf> {
    match dir {
        Some(dir) => std::fs::create_dir_all(dir).map(|()| dir.to_owned()),
        None => Ok(tempfile::Builder::new()
            .prefix("fanout-run-logs-")
            .tempdir()?
            .keep()),
    }
}

/// The job named `name` (its `job_name` or `artifact_group_id`), or a usage error naming the
/// near matches (or every job, when there are few).
fn find<'a>(jobs: &'a [MatrixEntry], name: &str) -> Result<&'a MatrixEntry, Diagnostic> {
    if let Some(job) = jobs
        .iter()
        .find(|j| j.job_name == name || j.artifact_group_id == name)
    {
        return Ok(job);
    }
    let near: Vec<&str> = jobs
        .iter()
        .flat_map(|j| [&j.job_name, &j.artifact_group_id])
        .filter(|n| strsim::levenshtein(n, name) <= (name.len() / 3).max(2))
        .map(String::as_str)
        .collect();
    let hint = if !near.is_empty() {
        format!("did you mean {}?", quoted(&near))
    } else if jobs.is_empty() {
        "the selection has no jobs: check the paths and -m".to_owned()
    } else if jobs.len() <= 10 {
        let names: Vec<&str> = jobs.iter().map(|j| j.job_name.as_str()).collect();
        format!("the jobs are {}", quoted(&names))
    } else {
        "`fanout matrix --backend json` lists the jobs".to_owned()
    };
    Err(Diagnostic::error(
        Code::UsageError,
        "",
        format!("no job is named `{}`", terminal(name)),
    )
    .with_hint(hint))
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{}`", terminal(n)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn io_error(what: &str, e: &io::Error) -> Diagnostic {
    Diagnostic::error(Code::IoError, "", format!("{what}: {e}"))
}
