//! The one writer of files: the outputs fanout owns (`--output`, `--html`, `--timings`) and
//! the user's files it edits (`plan --write`, `check --fix`).
//!
//! Every write goes through a temporary file beside the target and a rename, so a full disk or
//! a crash leaves the old file, never a truncated one. A symlink is followed: its target is
//! what gets replaced, and the link stays. A replaced file keeps its permission bits (and, where
//! the process may, its owner); a read-only file is refused, never replaced. An edit carries the
//! text fanout read, and a file that no longer holds it is refused: no edit made meanwhile is
//! lost. Something that is not a regular file (`/dev/stdout`, a FIFO) is written in place.

use std::fs::{self, File, Metadata};
use std::io::{self, ErrorKind, Write};
use std::path::{Path, PathBuf};

/// Reads a file of the user's: a regular file (or a symlink to one) whole. Anything else (a
/// FIFO named `conftest.py`, a device) is an error of kind `InvalidInput` that says what it is,
/// never a read that blocks: the file is opened without waiting for a writer, then checked.
pub fn read(path: impl AsRef<Path>) -> io::Result<Vec<u8>> {
    use std::io::Read as _;
    let (file, len) = open_regular(path.as_ref())?;
    // Sized from the one fstat already made; `Take` keeps `File`'s own read_to_end from
    // asking the size again (the collection reads every test file through here).
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0).saturating_add(1));
    file.take(u64::MAX).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// [`read`] as UTF-8 text.
pub fn read_to_string(path: impl AsRef<Path>) -> io::Result<String> {
    String::from_utf8(read(path)?)
        .map_err(|_| io::Error::new(ErrorKind::InvalidData, "stream did not contain valid UTF-8"))
}

/// Whether `path` is a regular file, or a symlink to one, that could be read.
pub fn is_regular(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file())
}

fn open_regular(path: &Path) -> io::Result<(File, u64)> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        // A FIFO opened for reading waits for a writer unless told not to; for a regular file
        // the flag changes nothing.
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            ErrorKind::InvalidInput,
            format!("not a regular file but {}", describe_kind(meta.file_type())),
        ));
    }
    Ok((file, meta.len()))
}

fn describe_kind(kind: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else {
        "neither a file nor a directory"
    }
}

/// Bytes gathered before each write of a streamed document: serializers write in small pieces.
pub const OUTPUT_BUFFER: usize = 64 << 10;

/// An edit of one file: the text fanout read from it and the text it means to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdit {
    pub path: PathBuf,
    /// Relative to the rootdir, for messages and diffs.
    pub rel: String,
    /// What fanout read; `None` when the file did not exist and the edit creates it.
    pub before: Option<String>,
    pub after: String,
}

impl FileEdit {
    /// A unified diff with `a/` and `b/` paths relative to the rootdir (`/dev/null` for a new
    /// file).
    pub fn unified_diff(&self) -> String {
        let from = match self.before {
            Some(_) => format!("a/{}", self.rel),
            None => "/dev/null".to_owned(),
        };
        // Patience: anchored on the lines that occur once (a file's `def` lines), it stays
        // near linear where Myers is quadratic in the number of changes (60,000 group marks).
        similar::TextDiff::configure()
            .algorithm(similar::Algorithm::Patience)
            .diff_lines(self.before.as_deref().unwrap_or(""), &self.after)
            .unified_diff()
            .context_radius(3)
            .header(&from, &format!("b/{}", self.rel))
            .to_string()
    }
}

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{} is read-only, so fanout leaves it as it is; make it writable (chmod u+w) and run again", .0.display())]
    ReadOnly(PathBuf),
    #[error("{} changed on disk after fanout read it, so fanout did not overwrite it (nothing of that change is lost); run the command again", .0.display())]
    Changed(PathBuf),
    #[error("{} appeared after fanout found no file there, so fanout did not overwrite it; run the command again", .0.display())]
    Appeared(PathBuf),
    #[error("{} is a symlink to {}, which does not exist; fix or remove the link", .link.display(), .target.display())]
    DanglingLink { link: PathBuf, target: PathBuf },
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl WriteError {
    fn io(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
        move |source| WriteError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

impl From<WriteError> for io::Error {
    fn from(err: WriteError) -> io::Error {
        match err {
            WriteError::Io { source, .. } => source,
            WriteError::ReadOnly(_) => io::Error::new(ErrorKind::PermissionDenied, err.to_string()),
            other => io::Error::other(other.to_string()),
        }
    }
}

/// What the file must hold when it is replaced.
#[derive(Clone, Copy)]
enum Expect<'a> {
    /// An output fanout owns: whatever is there goes.
    Anything,
    /// The text fanout read.
    Text(&'a str),
    /// No file: the edit creates one.
    Absent,
}

/// Replaces `path` with `text` (an output fanout owns).
pub fn replace_file(path: &Path, text: &str) -> io::Result<()> {
    replace_file_with(path, |out| out.write_all(text.as_bytes()))
}

/// [`replace_file`] with the text written by `write` as it is made, through a buffer: a large
/// document never exists whole in memory.
pub fn replace_file_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    write_file(path, Expect::Anything, write).map_err(io::Error::from)
}

/// Checks that `edit` can be applied now (the file holds what fanout read and may be written),
/// without writing: lets a command refuse every edit before it makes any.
pub fn check_edit(edit: &FileEdit) -> Result<(), WriteError> {
    let target = resolve(&edit.path)?;
    let existing = metadata(&target)?;
    check_writable(&target, existing.as_ref())?;
    check_expected(&target, expect_of(edit))
}

/// Applies `edit`: refused when the file no longer holds what fanout read or is read-only.
pub fn apply_edit(edit: &FileEdit) -> Result<(), WriteError> {
    let after = edit.after.as_bytes();
    write_file(&edit.path, expect_of(edit), |out| out.write_all(after))
}

/// Removes the file of `edit`, which fanout wrote (a generated spread task): refused as
/// [`apply_edit`] refuses a write when the file no longer holds what fanout read; its folder
/// goes too when that leaves it empty.
pub fn remove_edit(edit: &FileEdit) -> Result<(), WriteError> {
    let target = resolve(&edit.path)?;
    let existing = metadata(&target)?;
    check_writable(&target, existing.as_ref())?;
    check_expected(&target, expect_of(edit))?;
    fs::remove_file(&target).map_err(WriteError::io(&target))?;
    if let Some(dir) = target.parent() {
        // Only an empty folder goes; anything else in it stays.
        let _ = fs::remove_dir(dir);
    }
    Ok(())
}

fn expect_of(edit: &FileEdit) -> Expect<'_> {
    match &edit.before {
        Some(text) => Expect::Text(text),
        None => Expect::Absent,
    }
}

fn write_file(
    path: &Path,
    expect: Expect<'_>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), WriteError> {
    let target = resolve(path)?;
    let existing = metadata(&target)?;
    if let Some(meta) = &existing {
        if !meta.is_file() {
            // `/dev/stdout`, a FIFO: nothing to rename over; written as it is.
            let file = fs::OpenOptions::new()
                .write(true)
                .open(&target)
                .map_err(WriteError::io(&target))?;
            return write_through(file, write).map_err(WriteError::io(&target));
        }
    }
    check_writable(&target, existing.as_ref())?;
    check_expected(&target, expect)?;
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if matches!(expect, Expect::Absent) {
        // A new file may come with its folder (a new spread task).
        fs::create_dir_all(dir).map_err(WriteError::io(dir))?;
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".fanout-");
    #[cfg(unix)]
    if existing.is_none() {
        // A new file gets the mode any other program's would (0666 less the umask), not
        // the temporary file's 0600.
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir).map_err(WriteError::io(dir))?;
    let io = WriteError::io(&target);
    (|| {
        let mut buffered = io::BufWriter::with_capacity(OUTPUT_BUFFER, temp.as_file_mut());
        write(&mut buffered)?;
        buffered.flush()?;
        drop(buffered);
        if let Some(meta) = &existing {
            keep_mode_and_owner(temp.as_file(), meta)?;
        }
        temp.as_file().sync_all()
    })()
    .map_err(io)?;
    // Checked again at the last moment: the window for a lost edit is the rename itself.
    check_expected(&target, expect)?;
    match expect {
        Expect::Absent => temp.persist_noclobber(&target).map_err(|e| {
            if e.error.kind() == ErrorKind::AlreadyExists {
                WriteError::Appeared(target.clone())
            } else {
                WriteError::io(&target)(e.error)
            }
        })?,
        Expect::Anything | Expect::Text(_) => temp
            .persist(&target)
            .map_err(|e| WriteError::io(&target)(e.error))?,
    };
    Ok(())
}

fn write_through(
    file: File,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut buffered = io::BufWriter::with_capacity(OUTPUT_BUFFER, file);
    write(&mut buffered)?;
    buffered.flush()
}

/// The file a write replaces: `path`, or where its symlinks lead.
fn resolve(path: &Path) -> Result<PathBuf, WriteError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path).map_err(|source| {
            if source.kind() == ErrorKind::NotFound {
                WriteError::DanglingLink {
                    link: path.to_owned(),
                    target: fs::read_link(path).unwrap_or_default(),
                }
            } else {
                WriteError::Io {
                    path: path.to_owned(),
                    source,
                }
            }
        }),
        Ok(_) => Ok(path.to_owned()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(path.to_owned()),
        Err(source) => Err(WriteError::Io {
            path: path.to_owned(),
            source,
        }),
    }
}

fn metadata(target: &Path) -> Result<Option<Metadata>, WriteError> {
    match fs::metadata(target) {
        Ok(meta) => Ok(Some(meta)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(source) => Err(WriteError::Io {
            path: target.to_owned(),
            source,
        }),
    }
}

/// A file nobody may write (no write bit), or this process may not, is not replaced: the
/// rename would succeed where a write would not, as it does for root.
fn check_writable(target: &Path, existing: Option<&Metadata>) -> Result<(), WriteError> {
    let Some(meta) = existing else {
        return Ok(());
    };
    let mut read_only = meta.permissions().readonly();
    #[cfg(unix)]
    {
        read_only = read_only
            || rustix::fs::access(target, rustix::fs::Access::WRITE_OK)
                .is_err_and(|e| e == rustix::io::Errno::ACCESS || e == rustix::io::Errno::ROFS);
    }
    if read_only {
        return Err(WriteError::ReadOnly(target.to_owned()));
    }
    Ok(())
}

fn check_expected(target: &Path, expect: Expect<'_>) -> Result<(), WriteError> {
    match expect {
        Expect::Anything => Ok(()),
        Expect::Absent => match fs::symlink_metadata(target) {
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(source) => Err(WriteError::Io {
                path: target.to_owned(),
                source,
            }),
            Ok(_) => Err(WriteError::Appeared(target.to_owned())),
        },
        Expect::Text(text) => match fs::read(target) {
            Ok(now) if now == text.as_bytes() => Ok(()),
            Ok(_) => Err(WriteError::Changed(target.to_owned())),
            Err(e) if e.kind() == ErrorKind::NotFound => {
                Err(WriteError::Changed(target.to_owned()))
            }
            Err(source) => Err(WriteError::Io {
                path: target.to_owned(),
                source,
            }),
        },
    }
}

#[cfg(unix)]
fn keep_mode_and_owner(file: &File, meta: &Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt as _;
    file.set_permissions(meta.permissions())?;
    let current = file.metadata()?;
    if current.uid() != meta.uid() || current.gid() != meta.gid() {
        // Only root may give a file away; anyone else keeps their own ownership.
        let _ = rustix::fs::fchown(
            file,
            Some(rustix::fs::Uid::from_raw(meta.uid())),
            Some(rustix::fs::Gid::from_raw(meta.gid())),
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn keep_mode_and_owner(file: &File, meta: &Metadata) -> io::Result<()> {
    file.set_permissions(meta.permissions())
}

/// Appends `text` to `path` (created if missing) in one write, after a newline when the file
/// does not end with one, so the text cannot be glued onto a line someone else left open. A
/// failed write (a full disk) truncates the file back to its length before: never a partial
/// line for the reader (`$GITHUB_OUTPUT`).
pub fn append_lines(path: &Path, text: &str) -> io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .read(true)
        .open(path)?;
    let len = file.metadata()?.len();
    let mut needs_newline = false;
    if len > 0 {
        let mut last = [0u8; 1];
        file.seek(SeekFrom::Start(len - 1))?;
        file.read_exact(&mut last)?;
        needs_newline = last[0] != b'\n';
    }
    let mut all = String::with_capacity(text.len() + 1);
    if needs_newline {
        all.push('\n');
    }
    all.push_str(text);
    if let Err(err) = file.write_all(all.as_bytes()).and_then(|()| file.flush()) {
        // Undo what part of it got in; the write's own error is the one to report.
        let _ = file.set_len(len);
        return Err(err);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
