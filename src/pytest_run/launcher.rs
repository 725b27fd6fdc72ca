//! How pytest is started: `PY -m pytest`, or a command prefix that ends in pytest's arguments
//! (`tox run -e integration --`).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The program and the arguments that come before pytest's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launcher {
    pub program: OsString,
    pub prefix: Vec<OsString>,
    /// From `--collect-command`: a wrapper (tox, nox, a script) that may not pass the
    /// environment on to pytest.
    pub is_command: bool,
}

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum LauncherError {
    #[error("no Python found: VIRTUAL_ENV is not set and neither python3 nor python is on PATH")]
    NoInterpreter,
    #[error("--collect-command `{command}` cannot be split as a shell would: {reason}")]
    Unsplittable {
        command: String,
        reason: &'static str,
    },
    #[error("--collect-command is empty")]
    EmptyCommand,
    /// `--python PY` that cannot run pytest: not a Python (`/bin/true`), or one without pytest.
    #[error("`{python}` cannot run pytest: {detail}")]
    NoPytest { python: String, detail: String },
}

impl LauncherError {
    pub fn hint(&self) -> &'static str {
        match self {
            LauncherError::NoInterpreter => {
                "activate the project's virtualenv, or pass --python PATH or --collect-command \"CMD\""
            }
            LauncherError::Unsplittable { .. } | LauncherError::EmptyCommand => {
                "quote the command as one argument: --collect-command \"tox run -e integration --\""
            }
            LauncherError::NoPytest { .. } => {
                "pass the Python of the environment the tests run in (--python .venv/bin/python), with pytest installed there"
            }
        }
    }
}

impl Launcher {
    /// `python -m pytest`.
    pub fn interpreter(python: impl Into<OsString>) -> Self {
        Launcher {
            program: python.into(),
            prefix: vec!["-m".into(), "pytest".into()],
            is_command: false,
        }
    }

    /// A command line, split as Python's `shlex.split` does, to which pytest's arguments are
    /// appended.
    pub fn command(command: &str) -> Result<Self, LauncherError> {
        let words =
            fanout_config::shlex_split(command).map_err(|reason| LauncherError::Unsplittable {
                command: command.to_owned(),
                reason,
            })?;
        let mut words = words.into_iter().map(OsString::from);
        let program = words.next().ok_or(LauncherError::EmptyCommand)?;
        Ok(Launcher {
            program,
            prefix: words.collect(),
            is_command: true,
        })
    }

    /// For an interpreter (`--python PY`), that it is a Python that imports pytest, asked
    /// once before any job starts: `/bin/true` would pass every job, a Python without pytest
    /// fail every one. A command launcher (`-- tox ...`) is taken as it is.
    pub fn check_pytest(
        &self,
        dir: &Path,
        env: &std::collections::BTreeMap<String, String>,
    ) -> Result<(), LauncherError> {
        const ANSWER: &str = "fanout-pytest-check ";
        if self.is_command {
            return Ok(());
        }
        let python = self.program.to_string_lossy().into_owned();
        let mut command = std::process::Command::new(&self.program);
        command
            .args([
                "-c",
                "import sys, pytest; sys.stdout.write('fanout-pytest-check ' + pytest.__version__)",
            ])
            .current_dir(dir)
            .env_clear()
            .envs(env);
        let out = crate::child::run(&mut command).map_err(|e| LauncherError::NoPytest {
            python: python.clone(),
            detail: format!("it cannot be started ({e})"),
        })?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        if out.status.success() && stdout.starts_with(ANSWER) {
            return Ok(());
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        let detail = if stderr.contains("No module named 'pytest'")
            || stderr.contains("No module named pytest")
        {
            "pytest is not installed there (`import pytest` fails)".to_owned()
        } else {
            let said = stderr.trim().lines().last().unwrap_or("").to_owned();
            format!(
                "it did not answer as a Python with pytest (`{python} -c 'import pytest'` {}{})",
                out.status
                    .code()
                    .map_or("was killed".to_owned(), |c| format!("exited {c}")),
                if said.is_empty() {
                    String::new()
                } else {
                    format!(": {said}")
                }
            )
        };
        Err(LauncherError::NoPytest { python, detail })
    }

    /// A command given word by word (`fanout run -- tox run -e integration --`); `None` when
    /// there are no words.
    pub fn words(words: &[OsString]) -> Option<Self> {
        let (program, prefix) = words.split_first()?;
        Some(Launcher {
            program: program.clone(),
            prefix: prefix.to_vec(),
            is_command: true,
        })
    }

    /// The interpreter to ask when none is given: the active virtualenv's, else `python3`,
    /// else `python` on `path` (the value of `PATH`).
    pub fn default_interpreter(
        virtual_env: Option<&str>,
        path: Option<&str>,
    ) -> Result<Self, LauncherError> {
        if let Some(venv) = virtual_env {
            return Ok(Launcher::interpreter(venv_python(Path::new(venv))));
        }
        ["python3", "python"]
            .iter()
            .find_map(|name| on_path(name, path?))
            .map(Launcher::interpreter)
            .ok_or(LauncherError::NoInterpreter)
    }

    /// The command as a user would type it, for messages.
    pub fn display(&self) -> String {
        std::iter::once(&self.program)
            .chain(&self.prefix)
            .map(|word| word.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

/// The first file called `name` in the directories of `path`.
fn on_path(name: &str, path: &str) -> Option<PathBuf> {
    let file = if cfg!(windows) {
        format!("{name}.exe")
    } else {
        name.to_owned()
    };
    std::env::split_paths(path)
        .map(|dir| dir.join(&file))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_virtualenv_wins() {
        let launcher = Launcher::default_interpreter(Some("/v"), Some("/usr/bin")).expect("venv");
        assert_eq!(launcher.display(), "/v/bin/python -m pytest");
    }

    #[test]
    fn python3_then_python_on_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().to_string_lossy().into_owned();
        assert_eq!(
            Launcher::default_interpreter(None, Some(&path)),
            Err(LauncherError::NoInterpreter)
        );
        std::fs::write(dir.path().join("python"), "").expect("write");
        let found = Launcher::default_interpreter(None, Some(&path)).expect("python");
        assert_eq!(found.program, dir.path().join("python").into_os_string());
        std::fs::write(dir.path().join("python3"), "").expect("write");
        let found = Launcher::default_interpreter(None, Some(&path)).expect("python3");
        assert_eq!(found.program, dir.path().join("python3").into_os_string());
    }

    #[test]
    fn collect_command_is_split_like_python() {
        let launcher = Launcher::command("tox run -e 'integration tests' --").expect("splits");
        assert_eq!(launcher.program, "tox");
        assert_eq!(launcher.prefix, ["run", "-e", "integration tests", "--"]);
        assert!(matches!(
            Launcher::command("tox 'unclosed"),
            Err(LauncherError::Unsplittable { .. })
        ));
        assert_eq!(Launcher::command("  "), Err(LauncherError::EmptyCommand));
    }
}
