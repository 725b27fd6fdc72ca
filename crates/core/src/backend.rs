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
    /// pytest's rootdir, which the matrix's paths and node ids are relative to (absolute).
    pub rootdir: &'a Path,
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
                let mut buffered = std::io::BufWriter::with_capacity(
                    crate::files::OUTPUT_BUFFER,
                    &mut *self.stdout,
                );
                write(&mut buffered)
                    .and_then(|()| buffered.flush())
                    .map_err(BackendError::Stdout)
            }
        }
    }
}

pub use crate::files::{replace_file, replace_file_with};

/// Appends `text` to `path` as [`crate::files::append_lines`] does (never a partial line).
pub fn append_lines(path: &Path, text: &str) -> Result<(), BackendError> {
    crate::files::append_lines(path, text).map_err(|source| BackendError::Io {
        path: path.to_owned(),
        source,
    })
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
    /// Like [`Self::Unsupported`], with what to do about it shown as the hint.
    #[error("{message}")]
    Refused { message: String, hint: String },
}

impl BackendError {
    /// Findings when the matrix itself is unusable on the platform, an error for I/O trouble
    /// and bad options.
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            BackendError::TooManyJobs { .. }
            | BackendError::Unsupported(_)
            | BackendError::Refused { .. } => ExitStatus::Findings,
            // `output-error`, exit 2 as documented: the jobs are fine, the output cannot be.
            BackendError::TooLarge { .. }
            | BackendError::Io { .. }
            | BackendError::Stdout(_)
            | BackendError::InvalidOption { .. } => ExitStatus::Error,
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<&str> {
        match self {
            BackendError::Refused { hint, .. } => Some(hint),
            BackendError::TooManyJobs { .. } => Some(
                "merge small groups, split the suite over several workflows or pipeline uploads \
                 (one path each), or select fewer tests with -m",
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

/// Reading a backend's settings (`[tool.fanout.<backend>]`, `--backend-option KEY=VALUE`):
/// the same types and messages for every backend.
pub mod option {
    use super::BackendError;
    use serde_json::Value;

    pub fn invalid(key: &str, message: impl Into<String>) -> BackendError {
        BackendError::InvalidOption {
            key: key.to_owned(),
            message: message.into(),
        }
    }

    /// The text of the file a `key` setting names (a template), relative to the directory
    /// fanout runs in.
    pub fn read_file(key: &str, path: &str) -> Result<String, BackendError> {
        crate::files::read_to_string(path).map_err(|e| {
            invalid(
                key,
                format!("cannot read `{path}` (relative to the directory fanout runs in): {e}"),
            )
        })
    }

    /// A non-empty string.
    pub fn string(key: &str, value: &Value) -> Result<String, BackendError> {
        match value {
            Value::String(s) if !s.trim().is_empty() => Ok(s.clone()),
            Value::String(_) => Err(invalid(key, "is empty")),
            other => Err(invalid(key, format!("expected a string, got {other}"))),
        }
    }

    /// A positive integer, written as a number or (from the command line) a string.
    pub fn positive(key: &str, value: &Value) -> Result<usize, BackendError> {
        let n = match value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse::<u64>().ok(),
            _ => None,
        };
        n.and_then(|n| usize::try_from(n).ok())
            .filter(|&n| n > 0)
            .ok_or_else(|| invalid(key, format!("expected a positive integer, got {value}")))
    }

    /// The `runners` table: a runner mark's labels, joined by one space (`"self-hosted
    /// large"`), to where the CI runs such a job, in the form `read` takes.
    pub fn runners<T>(
        key: &str,
        value: &Value,
        read: impl Fn(&Value) -> Result<T, String>,
    ) -> Result<Vec<(String, T)>, BackendError> {
        let Value::Object(table) = value else {
            return Err(invalid(
                key,
                format!(
                    "expected a table of runner labels (joined by a space) to placements, got \
                     {value}; set it in pyproject.toml, not with --backend-option"
                ),
            ));
        };
        table
            .iter()
            .map(|(labels, placement)| {
                let labels = labels.split_whitespace().collect::<Vec<_>>().join(" ");
                if labels.is_empty() {
                    return Err(invalid(key, "an entry has no runner labels"));
                }
                read(placement)
                    .map(|p| (labels.clone(), p))
                    .map_err(|why| invalid(key, format!("`{labels}`: {why}")))
            })
            .collect()
    }

    /// A `runners` entry that is one name (a resource class, a pool).
    pub fn one_name(value: &Value) -> Result<String, String> {
        match value {
            Value::String(s) if !s.trim().is_empty() => Ok(s.clone()),
            other => Err(format!("expected a name as a string, got {other}")),
        }
    }

    /// The placement `runners` gives a runner mark's labels, if any.
    pub fn placement<'a, T>(runners: &'a [(String, T)], labels: &[String]) -> Option<&'a T> {
        let joined = labels.join(" ");
        runners.iter().find(|(l, _)| *l == joined).map(|(_, p)| p)
    }

    /// A key the backend does not have: an error, since a typo would otherwise be ignored.
    pub fn unknown(key: &str, backend: &str, keys: &[&str]) -> BackendError {
        let expected: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
        invalid(
            key,
            format!(
                "unknown to the {backend} backend; expected one of {}",
                expected.join(", ")
            ),
        )
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
