//! `fanout run`: the matrix's jobs as pytest processes on this machine, one job
//! ([`one::run`]) or all of them N at a time ([`pool::run`]), with a small `-p` plugin of
//! fanout's ([`plugin`]) that records each test's phases for `--timings`.
//!
//! Every job runs in pytest's rootdir, so the matrix's node ids (relative to it) resolve
//! wherever fanout was started; `-c`, `--rootdir` and the command line's `-m` are passed on.

mod interrupts;
pub mod one;
mod plugin;
pub mod pool;
mod progress;
mod table;

pub use interrupts::Interrupts;
pub use progress::Progress;
pub use table::write as write_table;

use crate::pytest_run::Launcher;
use fanout_core::MatrixEntry;
use fanout_timings::{JobStatus, JobTiming, TestTiming};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// Node ids beyond this many bytes go to a file the plugin reads instead of the command
/// line (Linux allows 2 MiB of arguments and environment, Windows 32,767 characters).
const NODE_ID_BYTES_ON_COMMAND_LINE: usize = if cfg!(windows) { 16 * 1024 } else { 64 * 1024 };

/// How every job is started: the same launcher, options and environment.
pub struct Runner {
    launcher: Launcher,
    /// `--rootdir`, `-c`, `-m`: before the node ids.
    options: Vec<OsString>,
    /// pytest's rootdir: where the jobs run.
    dir: PathBuf,
    env: BTreeMap<String, String>,
    junit_dir: Option<PathBuf>,
    timings: bool,
    /// The plugin and each job's node-id and timings files.
    scratch: tempfile::TempDir,
}

/// A job ready to start, and where its plugin writes test timings.
pub struct Launch {
    pub command: Command,
    pub timings_file: Option<PathBuf>,
}

/// What the run needs to know to start the jobs.
pub struct RunnerSettings<'a> {
    pub launcher: Launcher,
    pub options: Vec<OsString>,
    pub rootdir: &'a Path,
    pub env: &'a BTreeMap<String, String>,
    pub junit_dir: Option<PathBuf>,
    pub timings: bool,
}

impl Runner {
    pub fn new(settings: RunnerSettings<'_>) -> io::Result<Self> {
        let scratch = tempfile::Builder::new().prefix("fanout-run-").tempdir()?;
        plugin::write(scratch.path())?;
        if let Some(dir) = &settings.junit_dir {
            std::fs::create_dir_all(dir)?;
        }
        Ok(Runner {
            launcher: settings.launcher,
            options: settings.options,
            dir: settings.rootdir.to_owned(),
            env: settings.env.clone(),
            junit_dir: settings.junit_dir,
            timings: settings.timings,
            scratch,
        })
    }

    /// The command that runs `job`: `LAUNCHER [-p fanout_run_plugin] OPTIONS NODE_IDS...`.
    pub fn launch(&self, job: &MatrixEntry) -> io::Result<Launch> {
        let mut command = Command::new(&self.launcher.program);
        command
            .args(&self.launcher.prefix)
            .current_dir(&self.dir)
            .env_clear()
            .envs(&self.env);
        let arguments: Vec<_> = job.arguments().collect();
        let id_bytes: usize = arguments.iter().map(|id| id.len() + 1).sum();
        let ids_in_file = id_bytes > NODE_ID_BYTES_ON_COMMAND_LINE;
        let scratch = |suffix: &str| {
            self.scratch
                .path()
                .join(format!("{}.{suffix}", job.artifact_group_id))
        };
        let timings_file = self.timings.then(|| scratch("timings.jsonl"));
        if ids_in_file || self.timings {
            command.args(["-p", plugin::MODULE]).env(
                "PYTHONPATH",
                plugin::python_path(self.scratch.path(), self.env.get("PYTHONPATH")),
            );
        }
        if let Some(file) = &timings_file {
            remove_if_present(file)?;
            command.env(plugin::TIMINGS_VARIABLE, file);
        }
        command.args(&self.options);
        if let Some(dir) = &self.junit_dir {
            let mut option = OsString::from("--junitxml=");
            option.push(dir.join(format!("{}.xml", job.artifact_group_id)));
            command.arg(option);
        }
        if ids_in_file {
            let file = scratch("node-ids");
            std::fs::write(&file, arguments.join("\n"))?;
            command.env(plugin::NODE_IDS_VARIABLE, file);
        } else {
            command.args(arguments.iter().map(|a| a.as_ref()));
        }
        Ok(Launch {
            command,
            timings_file,
        })
    }

    /// The launcher as typed, for messages.
    pub fn shown(&self) -> String {
        self.launcher.display()
    }
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// How one job ended.
#[derive(Debug, Clone)]
pub struct JobResult {
    /// Seconds since the Unix epoch.
    pub start: f64,
    pub end: f64,
    pub status: JobStatus,
    pub exit_code: Option<i32>,
    pub tests: Vec<TestTiming>,
}

impl JobResult {
    /// Reads the job's end: its exit status, whether fanout stopped it, and its test timings.
    pub fn finished(
        start: f64,
        exit: std::process::ExitStatus,
        stopped: bool,
        timings_file: Option<&Path>,
    ) -> Self {
        let status = match exit.code() {
            _ if stopped => JobStatus::Interrupted,
            Some(0 | 5) => JobStatus::Passed,
            Some(1) => JobStatus::Failed,
            Some(_) => JobStatus::Error,
            None => JobStatus::Interrupted,
        };
        JobResult {
            start,
            end: now(),
            status,
            exit_code: exit.code(),
            tests: timings_file.map(plugin::read).unwrap_or_default(),
        }
    }

    pub fn duration(&self) -> f64 {
        (self.end - self.start).max(0.0)
    }

    /// The job's entry in the timings file.
    pub fn timing(&self, job: &MatrixEntry) -> JobTiming {
        let group_id = match (job.group_number, &job.group_id) {
            (Some(n), _) => serde_json::Value::from(n),
            (None, Some(id)) => serde_json::Value::from(id.as_str()),
            (None, None) => serde_json::Value::Null,
        };
        JobTiming {
            job_name: job.job_name.clone(),
            artifact_group_id: job.artifact_group_id.clone(),
            path_to_test_file: Some(job.path_to_test_file.clone()),
            group_id,
            start: self.start,
            end: self.end,
            status: self.status,
            exit_code: self.exit_code,
            tests: self.tests.clone(),
        }
    }
}

/// The exit status as a shell reports it: the code, or 128 + the signal that ended it.
pub fn shell_status(exit: std::process::ExitStatus) -> i32 {
    exit.code()
        .or_else(|| signal_of(exit).map(|s| 128 + s))
        .unwrap_or(1)
}

#[cfg(unix)]
fn signal_of(exit: std::process::ExitStatus) -> Option<i32> {
    std::os::unix::process::ExitStatusExt::signal(&exit)
}

#[cfg(not(unix))]
fn signal_of(_exit: std::process::ExitStatus) -> Option<i32> {
    None
}

/// Seconds since the Unix epoch.
pub fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}
