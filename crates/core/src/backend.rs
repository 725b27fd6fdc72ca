//! Output backends, registered at compile time with `inventory`.
//!
//! A backend crate submits a [`BackendRegistration`]; the binary links every backend crate
//! and lists them with [`registered`].

use crate::diagnostic::{Diagnostic, ExitStatus};
use crate::matrix::Matrix;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Backend-specific settings by key (`[tool.fanout.<backend>]`, then `--backend-option
/// KEY=VALUE` on top). Each backend validates its own keys.
pub type BackendOptions = BTreeMap<String, serde_json::Value>;

pub trait Backend {
    /// Checks the backend's `[tool.fanout.<backend>]` table when the settings are loaded, so
    /// a typo is reported by every command, not only by `matrix`. The default: the backend
    /// has no settings.
    fn check_options(&self, options: &BackendOptions) -> Result<(), BackendError> {
        match options.keys().next() {
            None => Ok(()),
            Some(key) => Err(BackendError::InvalidOption {
                key: key.clone(),
                message: "this backend has no settings".to_owned(),
            }),
        }
    }

    /// Writes the matrix in the platform's format.
    fn write(
        &self,
        matrix: &Matrix,
        diagnostics: &[Diagnostic],
        ctx: &mut OutputContext<'_>,
    ) -> Result<(), BackendError>;
}

/// Where a backend writes, and the environment it reads (injected so tests need not
/// change the process environment).
pub struct OutputContext<'a> {
    /// `--output FILE`, when given.
    pub output: Option<&'a Path>,
    pub env: &'a dyn Fn(&str) -> Option<String>,
    pub stdout: &'a mut dyn Write,
    /// The chosen backend's settings; backends without settings ignore them.
    pub options: &'a BackendOptions,
}

impl OutputContext<'_> {
    /// Writes `text` to `--output` (replacing it whole, see [`replace_file`]) or to stdout.
    pub fn write_main(&mut self, text: &str) -> Result<(), BackendError> {
        self.write_main_with(|out| out.write_all(text.as_bytes()))
    }

    /// Like [`Self::write_main`], with the text written by `write` as it is made, through a
    /// buffer: a large document never exists whole in memory.
    pub fn write_main_with(
        &mut self,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), BackendError> {
        match self.output {
            Some(path) => replace_file_with(path, write).map_err(|source| BackendError::Io {
                path: path.to_owned(),
                source,
            }),
            None => {
                let mut buffered =
                    std::io::BufWriter::with_capacity(OUTPUT_BUFFER, &mut *self.stdout);
                write(&mut buffered)
                    .and_then(|()| buffered.flush())
                    .map_err(BackendError::Stdout)
            }
        }
    }
}

/// Replaces `path` with `text` through a temporary file in the same directory and a rename:
/// a full disk or a crash leaves the old file, never a truncated one.
pub fn replace_file(path: &Path, text: &str) -> std::io::Result<()> {
    replace_file_with(path, |out| out.write_all(text.as_bytes()))
}

/// Bytes gathered before each write of a streamed document: serializers write in small pieces.
const OUTPUT_BUFFER: usize = 64 << 10;

/// [`replace_file`] with the text written by `write`, through a buffer.
pub fn replace_file_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".fanout-")
        .tempfile_in(dir)?;
    let mut buffered = std::io::BufWriter::with_capacity(OUTPUT_BUFFER, file.as_file_mut());
    write(&mut buffered)?;
    buffered.flush()?;
    drop(buffered);
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Appends `text` to `path` (created if missing) in one write, after a newline when the file
/// does not end with one, so the text cannot be glued onto a line someone else left open.
pub fn append_lines(path: &Path, text: &str) -> Result<(), BackendError> {
    use std::io::{Read, Seek, SeekFrom};
    let io = |source| BackendError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .read(true)
        .open(path)
        .map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let mut needs_newline = false;
    if len > 0 {
        let mut last = [0u8; 1];
        file.seek(SeekFrom::Start(len - 1)).map_err(io)?;
        file.read_exact(&mut last).map_err(io)?;
        needs_newline = last[0] != b'\n';
    }
    let mut all = String::with_capacity(text.len() + 1);
    if needs_newline {
        all.push('\n');
    }
    all.push_str(text);
    file.write_all(all.as_bytes()).map_err(io)
}

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error("{count} jobs exceed {platform}'s limit of {limit} jobs per {scope}")]
    TooManyJobs {
        count: usize,
        limit: usize,
        platform: &'static str,
        scope: &'static str,
    },
    #[error("the output is {bytes} bytes, over {platform}'s limit of {limit} bytes for {scope}")]
    TooLarge {
        bytes: usize,
        limit: usize,
        platform: &'static str,
        scope: &'static str,
    },
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write to standard output: {0}")]
    Stdout(#[source] std::io::Error),
    /// A backend setting that cannot be used; the message names the key and where it came from.
    #[error("option `{key}`: {message}")]
    InvalidOption { key: String, message: String },
    /// The matrix cannot be expressed on the platform for a reason the message explains,
    /// with what to do about it.
    #[error("{0}")]
    Unsupported(String),
}

impl BackendError {
    /// Findings when the matrix itself is unusable on the platform, an error for I/O trouble
    /// and bad options.
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            BackendError::TooManyJobs { .. }
            | BackendError::TooLarge { .. }
            | BackendError::Unsupported(_) => ExitStatus::Findings,
            BackendError::Io { .. }
            | BackendError::Stdout(_)
            | BackendError::InvalidOption { .. } => ExitStatus::Error,
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            BackendError::TooManyJobs { .. } => Some(
                "merge small groups, split the suite over several workflows (one path each), \
                 or select fewer tests with -m",
            ),
            BackendError::TooLarge { .. } => {
                Some("select fewer tests with -m, or split the suite over several workflows")
            }
            BackendError::InvalidOption { .. } => Some(
                "fix or remove it (in [tool.fanout.<backend>] of pyproject.toml or --backend-option \
                 KEY=VALUE); the backend's page in docs/ lists its options",
            ),
            _ => None,
        }
    }
}

pub struct BackendRegistration {
    /// The `--backend` value.
    pub name: &'static str,
    /// One line for `fanout backends`.
    pub summary: &'static str,
    pub backend: &'static (dyn Backend + Sync),
}

inventory::collect!(BackendRegistration);

/// Every backend linked into the binary, sorted by name (inventory's order is unspecified).
pub fn registered() -> Vec<&'static BackendRegistration> {
    let mut all: Vec<_> = inventory::iter::<BackendRegistration>.into_iter().collect();
    all.sort_by_key(|b| b.name);
    all
}

pub fn find(name: &str) -> Option<&'static BackendRegistration> {
    registered().into_iter().find(|b| b.name == name)
}
