//! The one way fanout waits for a child whose output it reads (pytest's collection for
//! `verify` and `--resolve-dynamic`): until the child exits, not until its pipes close (a
//! process it started may hold them open for ever), keeping only the end of each stream (a
//! child may write gigabytes).

use std::collections::VecDeque;
use std::io::{self, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

/// Bytes kept of each stream: its end, where errors and summaries are.
pub const KEPT_BYTES: usize = 256 << 10;

/// How long the pipes may stay open after the child exits: enough for the rest of what it
/// wrote to be read, short enough that a process it left behind does not hold fanout up.
const GRACE: Duration = Duration::from_millis(500);

/// What a child did: its status and the end of each stream.
#[derive(Debug)]
pub struct Captured {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Runs `command` with stdout and stderr piped until it exits; see the module's text.
pub fn run(command: &mut Command) -> io::Result<Captured> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let (done_tx, done_rx) = mpsc::channel();
    let readers = drain(child.stdout.take(), done_tx.clone())
        .and_then(|stdout| Ok((stdout, drain(child.stderr.take(), done_tx)?)));
    let (stdout, stderr) = match readers {
        Ok(tails) => tails,
        Err(e) => {
            // Nothing would read its output: stop it rather than wait on a full pipe.
            let _ = child.kill();
            let _ = wait(&mut child);
            return Err(e);
        }
    };
    let status = wait(&mut child)?;
    // Both readers end at EOF, which comes at once unless something else holds a pipe.
    let deadline = std::time::Instant::now() + GRACE;
    for _ in 0..2 {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if done_rx.recv_timeout(left).is_err() {
            break;
        }
    }
    Ok(Captured {
        status,
        stdout: stdout.take(),
        stderr: stderr.take(),
    })
}

fn wait(child: &mut Child) -> io::Result<ExitStatus> {
    loop {
        match child.wait() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// The end of a stream, filled by a reader thread.
#[derive(Clone, Default)]
struct Tail(Arc<Mutex<VecDeque<u8>>>);

impl Tail {
    fn push(&self, bytes: &[u8]) {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        kept.extend(bytes);
        let over = kept.len().saturating_sub(KEPT_BYTES);
        kept.drain(..over);
    }

    fn take(&self) -> Vec<u8> {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        std::mem::take(&mut *kept).into()
    }
}

/// Reads `pipe` to its end on a thread of its own, keeping its last [`KEPT_BYTES`]; says so on
/// `done` at the end. A thread still blocked when fanout is done ends with the process.
fn drain(pipe: Option<impl Read + Send + 'static>, done: mpsc::Sender<()>) -> io::Result<Tail> {
    let tail = Tail::default();
    let Some(mut pipe) = pipe else {
        let _ = done.send(());
        return Ok(tail);
    };
    let kept = tail.clone();
    thread::Builder::new()
        .name("fanout-child-output".to_owned())
        .spawn(move || {
            let mut buf = vec![0u8; 64 << 10];
            loop {
                match pipe.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => kept.push(&buf[..n]),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            let _ = done.send(());
        })?;
    Ok(tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_end_of_a_long_stream() {
        let out = run(Command::new("sh").args([
            "-c",
            "head -c 3000000 /dev/zero | tr '\\0' a; printf END; printf err >&2",
        ]))
        .expect("sh runs");
        assert!(out.status.success());
        assert_eq!(out.stdout.len(), KEPT_BYTES);
        assert!(out.stdout.ends_with(b"aaaEND"));
        assert_eq!(out.stderr, b"err");
    }

    #[test]
    fn returns_when_the_child_exits_though_a_grandchild_holds_its_output() {
        let started = std::time::Instant::now();
        let out =
            run(Command::new("sh").args(["-c", "sleep 30 & echo parent done"])).expect("sh runs");
        assert!(out.status.success());
        assert_eq!(out.stdout, b"parent done\n");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
    }
}
