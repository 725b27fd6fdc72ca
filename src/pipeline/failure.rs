//! The one error type of the pipeline: whatever stops a command early becomes a diagnostic
//! with a stable code, rendered like every other (so `--format json` still prints JSON).

use fanout_core::{BackendError, Code, Diagnostic, ExitStatus};
use fanout_pytest::markexpr::MarkExpressionError;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("cannot read the current directory: {0}")]
    CurrentDir(#[source] std::io::Error),
    #[error(transparent)]
    Config(#[from] fanout_config::ConfigError),
    /// `[tool.fanout]` read, but a backend table in it is wrong.
    #[error("{message}")]
    Settings {
        path: PathBuf,
        line: u32,
        message: String,
    },
    #[error(transparent)]
    MarkExpression(#[from] MarkExpressionError),
    #[error("unknown backend `{name}`; available: {available}")]
    UnknownBackend { name: String, available: String },
    #[error("cannot tell which tests the change affects: {} (--strict)", .0.reason)]
    UnsureChanges(fanout_diff::Unsure),
    #[error("[tool.fanout] {0}")]
    ChangeGlob(#[from] fanout_diff::PathGlobsError),
    #[error("{backend} backend: {source}")]
    Backend {
        backend: &'static str,
        #[source]
        source: BackendError,
    },
    /// An edit of a user's file (`plan --write`, `check --fix`) that was refused or failed.
    #[error("{source}")]
    WriteFix {
        path: PathBuf,
        #[source]
        source: fanout_core::files::WriteError,
    },
    #[error("{0}")]
    Fix(String),
    #[error("{0}")]
    UnknownCode(String),
    #[error(transparent)]
    Launcher(#[from] crate::pytest_run::LauncherError),
    #[error(transparent)]
    Pytest(#[from] crate::pytest_run::RunError),
    /// A timings, JUnit or durations file given to `report` or `plan` that cannot be read.
    #[error("{message}")]
    Input {
        path: PathBuf,
        message: String,
        hint: String,
    },
    #[error("pytest chose the rootdir {}, not fanout's {}: node ids cannot be matched", pytest.display(), fanout.display())]
    PytestRootdir { pytest: PathBuf, fanout: PathBuf },
}

impl Failure {
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Failure::Backend { source, .. } => source.exit_status(),
            _ => ExitStatus::Error,
        }
    }

    fn code(&self) -> Code {
        match self {
            Failure::Config(_)
            | Failure::Settings { .. }
            | Failure::ChangeGlob(_)
            | Failure::Fix(_) => Code::ConfigError,
            Failure::MarkExpression(_) => Code::InvalidMarkExpression,
            Failure::Backend { source, .. } => match source {
                BackendError::Io { .. } | BackendError::Stdout(_) => Code::OutputError,
                BackendError::TooManyJobs { .. } => Code::TooManyJobs,
                BackendError::InvalidOption { .. } => Code::ConfigError,
                BackendError::TooLarge { .. }
                | BackendError::Unsupported(_)
                | BackendError::Refused { .. } => Code::OutputError,
            },
            Failure::WriteFix { .. } => Code::OutputError,
            Failure::Launcher(crate::pytest_run::LauncherError::NoInterpreter)
            | Failure::Pytest(_)
            | Failure::PytestRootdir { .. } => Code::PytestFailed,
            Failure::Launcher(_) => Code::UsageError,
            Failure::CurrentDir(_)
            | Failure::UnknownBackend { .. }
            | Failure::UnsureChanges(_)
            | Failure::UnknownCode(_)
            | Failure::Input { .. } => Code::UsageError,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            Failure::UnsureChanges(unsure) => Some(unsure.hint.clone()),
            Failure::Backend { source, .. } => source.hint().map(str::to_owned),
            Failure::MarkExpression(_) => {
                Some("fix the expression; pytest's grammar: `a and not (b or c)`".to_owned())
            }
            Failure::UnknownBackend { .. } => {
                Some("`fanout backends` lists the backends".to_owned())
            }
            Failure::Launcher(e) => Some(e.hint().to_owned()),
            Failure::Input { hint, .. } => Some(hint.clone()),
            Failure::Pytest(e) => Some(e.hint()),
            Failure::PytestRootdir { .. } => Some(
                "please report how pytest chose its rootdir; passing --rootdir to fanout may help"
                    .to_owned(),
            ),
            _ => None,
        }
    }

    /// The failure as a diagnostic: the config file and position when the failure has them,
    /// the path shown relative to `base` when it lies below it.
    pub fn diagnostic(&self, base: &Path) -> Diagnostic {
        let mut path = String::new();
        let mut message = self.to_string();
        if let Failure::Config(e) = self {
            if let Some(p) = e.path() {
                // The error's text starts with its location; the diagnostic shows it once.
                path = shown(p, base);
                let mut prefix = p.display().to_string();
                if let Some(line) = e.line() {
                    prefix.push_str(&format!(":{line}"));
                    if let Some(column) = e.column() {
                        prefix.push_str(&format!(":{column}"));
                    }
                }
                if let Some(rest) = message.strip_prefix(&format!("{prefix}: ")) {
                    message = rest.to_owned();
                }
            }
        }
        let mut d = Diagnostic::error(self.code(), path, message);
        if let Failure::Config(e) = self {
            if let Some(line) = e.line() {
                d = d.at(line, e.column().unwrap_or(1));
            }
        }
        if let Failure::Input { path, .. } = self {
            d.path = shown(path, base);
        }
        if let Failure::WriteFix { path, .. } = self {
            d.path = shown(path, base);
            d.message = d.message.replace(&path.display().to_string(), &d.path);
        }
        if let Failure::Settings { path, line, .. } = self {
            d.path = shown(path, base);
            d = d.at(*line, u32::from(*line > 0)).with_hint(
                "fix the table in [tool.fanout]; docs/configuration.md lists the settings and `fanout backends` the backends",
            );
        }
        match self.hint() {
            Some(hint) => d.with_hint(hint),
            None => d,
        }
    }
}

/// `path` relative to `base` when it lies below it, else as it is.
fn shown(path: &Path, base: &Path) -> String {
    path.strip_prefix(base).map_or_else(
        |_| path.display().to_string(),
        |rel| rel.to_string_lossy().into_owned(),
    )
}
