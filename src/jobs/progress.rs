//! What `fanout run --all` shows on stderr while jobs run. In a terminal: a line per finished
//! job and, below them, the running jobs with their elapsed time, redrawn in place. Elsewhere
//! (a CI log, a file): one plain line per start and per end. Job names are repository data:
//! escaped for the terminal (the stream itself defuses workflow commands under GitHub Actions).

use super::JobResult;
use crate::report::duration;
use fanout_core::escape::terminal;
use fanout_core::MatrixEntry;
use fanout_timings::JobStatus;
use std::io::{self, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// How often the live lines are redrawn.
const REDRAW: Duration = Duration::from_millis(250);

pub struct Progress<'a> {
    out: &'a mut dyn Write,
    /// Redraw in place (stderr is a terminal).
    live: bool,
    width: usize,
    /// Live lines on screen now.
    drawn: usize,
    last_draw: Option<Instant>,
    total: usize,
    done: usize,
    failed: usize,
}

impl<'a> Progress<'a> {
    pub fn new(out: &'a mut dyn Write, live: bool, total: usize) -> Self {
        Progress {
            out,
            live,
            width: terminal_width(),
            drawn: 0,
            last_draw: None,
            total,
            done: 0,
            failed: 0,
        }
    }

    pub fn started(&mut self, job: &MatrixEntry) -> io::Result<()> {
        if self.live {
            self.last_draw = None;
            return Ok(());
        }
        writeln!(self.out, "start       {}", terminal(&job.job_name))
    }

    pub fn finished(
        &mut self,
        job: &MatrixEntry,
        result: &JobResult,
        log: &Path,
    ) -> io::Result<()> {
        self.done += 1;
        if result.status != JobStatus::Passed {
            self.failed += 1;
        }
        self.clear()?;
        writeln!(
            self.out,
            "{:<11} {}  {}  log: {}",
            status_word(result.status),
            terminal(&job.job_name),
            duration(result.duration()),
            terminal(&log.display().to_string())
        )
    }

    pub fn not_started(&mut self, job: &MatrixEntry, note: &str) -> io::Result<()> {
        self.done += 1;
        self.failed += 1;
        self.clear()?;
        writeln!(
            self.out,
            "error       {}: {}",
            terminal(&job.job_name),
            terminal(note)
        )
    }

    pub fn stopping(&mut self, running: usize) -> io::Result<()> {
        self.clear()?;
        writeln!(
            self.out,
            "fanout run: interrupted; stopping {running} running job(s) (again to kill them now)"
        )
    }

    /// The running jobs, redrawn in a terminal at most every [`REDRAW`].
    pub fn tick(&mut self, running: &[(&MatrixEntry, Duration)]) -> io::Result<()> {
        if !self.live || self.last_draw.is_some_and(|t| t.elapsed() < REDRAW) {
            return Ok(());
        }
        self.clear()?;
        let mut lines = vec![format!(
            "fanout run: {} of {} done, {} failed, {} running",
            self.done,
            self.total,
            self.failed,
            running.len()
        )];
        for (job, elapsed) in running {
            lines.push(format!(
                "  {:>7}  {}",
                duration(elapsed.as_secs_f64()),
                terminal(&job.job_name)
            ));
        }
        for line in &lines {
            let shown: String = line.chars().take(self.width.saturating_sub(1)).collect();
            writeln!(self.out, "{shown}")?;
        }
        self.out.flush()?;
        self.drawn = lines.len();
        self.last_draw = Some(Instant::now());
        Ok(())
    }

    /// Erases the live lines (cursor up over them, clear to the end of the screen).
    pub fn clear(&mut self) -> io::Result<()> {
        if self.drawn > 0 {
            write!(self.out, "\x1b[{}F\x1b[J", self.drawn)?;
            self.drawn = 0;
            self.last_draw = None;
        }
        Ok(())
    }
}

pub fn status_word(status: JobStatus) -> &'static str {
    match status {
        JobStatus::Passed => "passed",
        JobStatus::Failed => "failed",
        JobStatus::Error => "error",
        JobStatus::Interrupted => "interrupted",
    }
}

#[cfg(unix)]
fn terminal_width() -> usize {
    rustix::termios::tcgetwinsize(std::io::stderr())
        .map(|size| usize::from(size.ws_col))
        .ok()
        .filter(|&w| w > 0)
        .unwrap_or(80)
}

#[cfg(not(unix))]
fn terminal_width() -> usize {
    80
}
