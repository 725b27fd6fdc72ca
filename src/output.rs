//! Where fanout writes: standard output and error, guarded under GitHub Actions so that text
//! from the repository can never become a workflow command.

use std::io::{self, Write};

/// Standard output and error as fanout writes them.
pub struct Streams {
    pub out: LineGuard<Box<dyn Write>>,
    pub err: LineGuard<Box<dyn Write>>,
}

impl Streams {
    /// Opens both streams. Writes go through a duplicate of the descriptor, so a write error
    /// is never silently dropped.
    ///
    /// `/dev/null` is a place like any other, whatever mode it was opened in. A standard output
    /// closed by the caller (`>&-`) cannot be told from it: Rust's runtime reopens a closed one
    /// as `/dev/null`, read-write, before `main`, just as Python's `subprocess.DEVNULL` and a
    /// shell's `1<>/dev/null` open it, so fanout writes into `/dev/null` there too.
    pub fn open(github_actions: bool) -> io::Result<Self> {
        use std::os::fd::AsFd;
        let out = std::io::stdout()
            .as_fd()
            .try_clone_to_owned()
            .map_err(|e| io::Error::new(e.kind(), format!("standard output is not open ({e})")))?;
        let out = std::fs::File::from(out);
        let out: Box<dyn Write> = Box::new(io::BufWriter::new(out));
        let err: Box<dyn Write> = Box::new(io::stderr());
        Ok(Streams {
            out: LineGuard::new(out, github_actions),
            err: LineGuard::new(err, github_actions),
        })
    }

    #[cfg(test)]
    pub fn memory(github_actions: bool) -> (Self, SharedBuffer, SharedBuffer) {
        let out = SharedBuffer::default();
        let err = SharedBuffer::default();
        let streams = Streams {
            out: LineGuard::new(Box::new(out.clone()), github_actions),
            err: LineGuard::new(Box::new(err.clone()), github_actions),
        };
        (streams, out, err)
    }
}

/// A writer that, when armed (under GitHub Actions), defuses the two forms the runner reads as
/// workflow commands: a line that begins with `::` (after white space) and `##[` anywhere in a
/// line. Lines fanout means as commands go through [`LineGuard::command`].
pub struct LineGuard<W: Write> {
    inner: W,
    armed: bool,
    line: Vec<u8>,
}

impl<W: Write> LineGuard<W> {
    pub fn new(inner: W, armed: bool) -> Self {
        LineGuard {
            inner,
            armed,
            line: Vec::new(),
        }
    }

    /// Writes a workflow command fanout means to give, as one line (its data must already be
    /// escaped with `fanout_core::escape::workflow_data`).
    pub fn command(&mut self, line: &str) -> io::Result<()> {
        if !self.line.is_empty() {
            // A command only counts at the start of a line.
            self.line.push(b'\n');
            self.flush_line()?;
        }
        debug_assert!(!line.contains(['\n', '\r']));
        self.inner.write_all(line.as_bytes())?;
        self.inner.write_all(b"\n")
    }

    fn flush_line(&mut self) -> io::Result<()> {
        if self.line.is_empty() {
            return Ok(());
        }
        let line = std::mem::take(&mut self.line);
        self.inner.write_all(&defuse(&line))
    }
}

/// `line` (one line, with or without its `\n`) with workflow commands made inert: a `\` before
/// a leading `::`, and `##[` written `##\[`.
pub fn defuse(line: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len() + 2);
    let text = String::from_utf8_lossy(line);
    let start = text.len() - text.trim_start().len();
    let rest = if text[start..].starts_with("::") {
        out.extend_from_slice(text[..start].as_bytes());
        out.push(b'\\');
        &text[start..]
    } else {
        &text[..]
    };
    out.extend_from_slice(rest.replace("##[", "##\\[").as_bytes());
    out
}

impl<W: Write> Write for LineGuard<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.armed {
            return self.inner.write(buf);
        }
        for chunk in buf.split_inclusive(|&b| b == b'\n') {
            self.line.extend_from_slice(chunk);
            if chunk.ends_with(b"\n") {
                self.flush_line()?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.flush_line()?;
        self.inner.flush()
    }
}

/// An in-memory stream for tests.
#[cfg(test)]
#[derive(Clone, Default)]
pub struct SharedBuffer(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

#[cfg(test)]
impl SharedBuffer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.borrow()).into_owned()
    }
}

#[cfg(test)]
impl Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn armed_guard_defuses_commands_only_where_the_runner_reads_them() {
        let (mut s, out, _) = Streams::memory(true);
        write!(
            s.out,
            "a::b\n  ::error::x\n::add-mask::y\nx ##[error]z\nplain"
        )
        .expect("memory");
        s.out.command("::error file=a::real").expect("memory");
        s.out.flush().expect("memory");
        assert_eq!(
            out.text(),
            "a::b\n  \\::error::x\n\\::add-mask::y\nx ##\\[error]z\nplain\n::error file=a::real\n"
        );
    }

    #[test]
    fn unarmed_guard_passes_everything() {
        let (mut s, out, _) = Streams::memory(false);
        writeln!(s.out, "::error::x").expect("memory");
        s.out.flush().expect("memory");
        assert_eq!(out.text(), "::error::x\n");
    }
}
