//! Output backends, registered at compile time with `inventory`.
//!
//! A backend crate submits a [`BackendRegistration`]; the binary links every backend crate
//! and lists them with [`registered`].

use crate::diagnostic::Diagnostic;
use crate::matrix::Matrix;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Backend-specific settings by key (`[tool.fanout.<backend>]`, then `--backend-option
/// KEY=VALUE` on top). Each backend validates its own keys.
pub type BackendOptions = BTreeMap<String, serde_json::Value>;

pub trait Backend {
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
    /// Writes `text` to `--output` (replacing it) or to stdout.
    pub fn write_main(&mut self, text: &str) -> Result<(), BackendError> {
        match self.output {
            Some(path) => std::fs::write(path, text).map_err(|source| BackendError::Io {
                path: path.to_owned(),
                source,
            }),
            None => self
                .stdout
                .write_all(text.as_bytes())
                .map_err(BackendError::Stdout),
        }
    }
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
    /// 1 when the matrix itself is unusable on the platform, 2 for I/O trouble.
    pub fn exit_code(&self) -> i32 {
        match self {
            BackendError::TooManyJobs { .. }
            | BackendError::TooLarge { .. }
            | BackendError::Unsupported(_) => 1,
            BackendError::Io { .. }
            | BackendError::Stdout(_)
            | BackendError::InvalidOption { .. } => 2,
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
                "set it in [tool.fanout.<backend>] of pyproject.toml or with --backend-option KEY=VALUE; \
                 see the backend's page in docs/",
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
