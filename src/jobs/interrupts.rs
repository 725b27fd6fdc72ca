//! Ctrl-C and termination signals while jobs run: caught, not fatal, so fanout outlives them,
//! stops its pytest processes itself and still writes the timings and the table.
//!
//! On unix SIGINT, SIGTERM and SIGHUP are recorded by a `signal-hook` thread (safe code; the
//! workspace forbids `unsafe`) and the run loops poll [`Interrupts::received`]. Elsewhere
//! nothing is caught: the console's Ctrl-C reaches fanout and its children alike.

use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::sync::Arc;

/// The signals received since [`Interrupts::install`].
pub struct Interrupts {
    last: Arc<AtomicI32>,
    count: Arc<AtomicUsize>,
}

/// SIGINT's number, the signal `--all` sends its jobs first.
pub const SIGINT: i32 = 2;
/// SIGKILL, for jobs that outlive the grace period.
pub const SIGKILL: i32 = 9;

impl Interrupts {
    #[cfg(unix)]
    pub fn install() -> std::io::Result<Self> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let interrupts = Interrupts::none();
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
        let (last, count) = (interrupts.last.clone(), interrupts.count.clone());
        std::thread::spawn(move || {
            for signal in signals.forever() {
                last.store(signal, Ordering::SeqCst);
                count.fetch_add(1, Ordering::SeqCst);
            }
        });
        Ok(interrupts)
    }

    #[cfg(not(unix))]
    pub fn install() -> std::io::Result<Self> {
        Ok(Interrupts::none())
    }

    fn none() -> Self {
        Interrupts {
            last: Arc::new(AtomicI32::new(0)),
            count: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// How many signals arrived so far.
    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// The last signal received, if any.
    pub fn received(&self) -> Option<i32> {
        Some(self.last.load(Ordering::SeqCst)).filter(|&s| s != 0)
    }
}

/// Sends `signal` to the process group `pgid` (a job started as its own group's leader);
/// a group that is already gone is not an error.
#[cfg(unix)]
pub fn signal_group(pgid: u32, signal: i32) {
    use rustix::process::{kill_process_group, Pid, Signal};
    let pid = i32::try_from(pgid).ok().and_then(Pid::from_raw);
    if let (Some(pid), Some(signal)) = (pid, Signal::from_named_raw(signal)) {
        let _ = kill_process_group(pid, signal);
    }
}

/// Sends `signal` to one process.
#[cfg(unix)]
pub fn signal_process(pid: u32, signal: i32) {
    use rustix::process::{kill_process, Pid, Signal};
    let pid = i32::try_from(pid).ok().and_then(Pid::from_raw);
    if let (Some(pid), Some(signal)) = (pid, Signal::from_named_raw(signal)) {
        let _ = kill_process(pid, signal);
    }
}

#[cfg(not(unix))]
pub fn signal_group(_pgid: u32, _signal: i32) {}

#[cfg(not(unix))]
pub fn signal_process(_pid: u32, _signal: i32) {}
