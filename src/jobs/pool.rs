//! `fanout run --all`: every job on this machine, N at a time, each in its own process group
//! with its output in its own log file.
//!
//! On Ctrl-C (or SIGTERM/SIGHUP) no new job starts; every running job's process group gets
//! SIGINT, so pytest runs its teardowns and writes its reports, and whatever is left after
//! [`GRACE`] (or at a second Ctrl-C) gets SIGKILL.

use super::interrupts::{signal_group, SIGINT, SIGKILL};
use super::progress::Progress;
use super::{now, Interrupts, JobResult, Runner};
use fanout_core::MatrixEntry;
use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// How long stopped jobs get to finish their teardowns.
const GRACE: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(50);

/// One job's end in a run of all jobs.
pub struct Finished {
    /// `None`: never started (the run was interrupted first, or it could not be started).
    pub result: Option<JobResult>,
    pub log: PathBuf,
    /// Why it did not start.
    pub note: Option<String>,
}

/// The whole run.
pub struct PoolRun {
    /// In the order of the jobs given.
    pub jobs: Vec<Finished>,
    pub interrupted: bool,
    /// Seconds the run took, first start to last end.
    pub wall: f64,
}

struct Running {
    index: usize,
    child: Child,
    start: f64,
    since: Instant,
    timings_file: Option<PathBuf>,
}

pub fn run(
    runner: &Runner,
    jobs: &[&MatrixEntry],
    parallel: usize,
    log_dir: &std::path::Path,
    interrupts: &Interrupts,
    progress: &mut Progress<'_>,
) -> io::Result<PoolRun> {
    let log = |job: &MatrixEntry| log_dir.join(format!("{}.log", job.artifact_group_id));
    let mut finished: Vec<Finished> = jobs
        .iter()
        .map(|job| Finished {
            result: None,
            log: log(job),
            note: None,
        })
        .collect();
    let wall_start = Instant::now();
    let mut next = 0;
    let mut running: Vec<Running> = Vec::new();
    let mut stopping: Option<(Instant, usize)> = None;
    loop {
        if stopping.is_none() && interrupts.count() > 0 {
            progress.stopping(running.len())?;
            for r in &running {
                signal_group(r.child.id(), SIGINT);
            }
            stopping = Some((Instant::now(), interrupts.count()));
        }
        if let Some((since, count)) = stopping {
            if since.elapsed() > GRACE || interrupts.count() > count {
                for r in &mut running {
                    signal_group(r.child.id(), SIGKILL);
                    let _ = r.child.kill();
                }
            }
        }
        while stopping.is_none() && running.len() < parallel && next < jobs.len() {
            let index = next;
            next += 1;
            match start(runner, jobs[index], &finished[index].log) {
                Ok((child, timings_file)) => {
                    progress.started(jobs[index])?;
                    running.push(Running {
                        index,
                        child,
                        start: now(),
                        since: Instant::now(),
                        timings_file,
                    });
                }
                Err(e) => {
                    let note = format!("cannot start `{}`: {e}", runner.shown());
                    progress.not_started(jobs[index], &note)?;
                    finished[index].note = Some(note);
                }
            }
        }
        let mut i = 0;
        while i < running.len() {
            if let Some(exit) = running[i].child.try_wait()? {
                let r = running.swap_remove(i);
                // Whatever the job left behind in its group goes with it.
                signal_group(r.child.id(), SIGKILL);
                let result = JobResult::finished(
                    r.start,
                    exit,
                    stopping.is_some(),
                    r.timings_file.as_deref(),
                );
                progress.finished(jobs[r.index], &result, &finished[r.index].log)?;
                finished[r.index].result = Some(result);
            } else {
                i += 1;
            }
        }
        if running.is_empty() && (next >= jobs.len() || stopping.is_some()) {
            break;
        }
        let elapsed: Vec<(&MatrixEntry, Duration)> = running
            .iter()
            .map(|r| (jobs[r.index], r.since.elapsed()))
            .collect();
        progress.tick(&elapsed)?;
        std::thread::sleep(POLL);
    }
    progress.clear()?;
    Ok(PoolRun {
        jobs: finished,
        interrupted: stopping.is_some(),
        wall: wall_start.elapsed().as_secs_f64(),
    })
}

/// Starts one job, its output to `log`, in a process group of its own (so that Ctrl-C in the
/// terminal reaches fanout alone, and fanout can stop the job with everything it started).
fn start(
    runner: &Runner,
    job: &MatrixEntry,
    log: &std::path::Path,
) -> io::Result<(Child, Option<PathBuf>)> {
    let mut file = File::create(log)?;
    let mut launch = runner.launch(job)?;
    writeln!(file, "fanout run: {}", job.job_name)?;
    file.flush()?;
    launch
        .command
        .stdin(Stdio::null())
        .stdout(file.try_clone()?)
        .stderr(file);
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut launch.command, 0);
    let child = launch.command.spawn()?;
    Ok((child, launch.timings_file))
}
