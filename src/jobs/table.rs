//! The table `fanout run --all` ends with: job, result, duration, log; then the wall time
//! against the sum of the job times (what running in parallel saved).

use super::pool::PoolRun;
use super::progress::status_word;
use crate::report::duration;
use fanout_core::escape::terminal;
use fanout_core::MatrixEntry;
use fanout_timings::JobStatus;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, jobs: &[&MatrixEntry], run: &PoolRun) -> io::Result<()> {
    let rows: Vec<[String; 4]> = jobs
        .iter()
        .zip(&run.jobs)
        .map(|(job, finished)| {
            let (result, duration) = match &finished.result {
                Some(r) => (status_word(r.status), duration(r.duration())),
                None if finished.note.is_some() => ("not started", String::new()),
                None => ("not run", String::new()),
            };
            [
                terminal(&job.job_name).into_owned(),
                result.to_owned(),
                duration,
                terminal(&finished.log.display().to_string()).into_owned(),
            ]
        })
        .collect();
    let header = ["job", "result", "duration", "log"].map(str::to_owned);
    let width = |i: usize| {
        rows.iter()
            .chain(std::iter::once(&header))
            .map(|r| r[i].chars().count())
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (width(0), width(1), width(2));
    for row in std::iter::once(&header).chain(&rows) {
        let line = format!(
            "{:<w0$}  {:<w1$}  {:>w2$}  {}",
            row[0], row[1], row[2], row[3]
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(out, "{}", summary(run))
}

fn summary(run: &PoolRun) -> String {
    let count = |status: JobStatus| {
        run.jobs
            .iter()
            .filter(|f| f.result.as_ref().is_some_and(|r| r.status == status))
            .count()
    };
    let mut parts = vec![format!("{} passed", count(JobStatus::Passed))];
    for (status, word) in [
        (JobStatus::Failed, "failed"),
        (JobStatus::Error, "error"),
        (JobStatus::Interrupted, "interrupted"),
    ] {
        if count(status) > 0 {
            parts.push(format!("{} {word}", count(status)));
        }
    }
    let unstarted = |started_and_failed: bool| {
        run.jobs
            .iter()
            .filter(|f| f.result.is_none() && f.note.is_some() == started_and_failed)
            .count()
    };
    if unstarted(true) > 0 {
        parts.push(format!("{} could not start", unstarted(true)));
    }
    if unstarted(false) > 0 {
        parts.push(format!("{} not run", unstarted(false)));
    }
    let sum: f64 = run
        .jobs
        .iter()
        .filter_map(|f| f.result.as_ref())
        .map(super::JobResult::duration)
        .sum();
    // An empty sum is -0.0: no job time is no speed-up, 1.0x.
    let speedup = if run.wall > 0.0 && sum > 0.0 {
        sum / run.wall
    } else {
        1.0
    };
    format!(
        "{} {}: {}; wall time {}, sum of job times {} ({speedup:.1}x)",
        run.jobs.len(),
        if run.jobs.len() == 1 { "job" } else { "jobs" },
        parts.join(", "),
        duration(run.wall),
        duration(sum),
    )
}
