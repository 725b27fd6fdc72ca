//! `fanout run --job`: one job in the foreground, its output streaming through.
//!
//! pytest stays in fanout's process group, so a terminal's Ctrl-C reaches it directly (and
//! pytest reads the terminal for `--pdb`); fanout catches SIGINT only so that it does not die
//! first and leave pytest without a parent, and passes SIGTERM and SIGHUP sent to it alone on.

use super::interrupts::{signal_process, SIGINT};
use super::{now, Interrupts, JobResult, Runner};
use fanout_core::MatrixEntry;
use std::io;
use std::time::Duration;

/// How often the exit and the signals are polled.
const POLL: Duration = Duration::from_millis(50);

/// Runs `job` and waits for it: pytest's exit status as a shell gives it, and its result.
pub fn run(
    runner: &Runner,
    job: &MatrixEntry,
    interrupts: &Interrupts,
) -> io::Result<(i32, JobResult)> {
    let mut launch = runner.launch(job)?;
    let start = now();
    let mut child = launch.command.spawn()?;
    let mut seen = interrupts.count();
    let exit = loop {
        if let Some(exit) = child.try_wait()? {
            break exit;
        }
        if interrupts.count() != seen {
            seen = interrupts.count();
            match interrupts.received() {
                Some(SIGINT) | None => {}
                Some(signal) => signal_process(child.id(), signal),
            }
        }
        std::thread::sleep(POLL);
    };
    let result = JobResult::finished(
        start,
        exit,
        interrupts.count() > 0,
        launch.timings_file.as_deref(),
    );
    Ok((super::shell_status(exit), result))
}
