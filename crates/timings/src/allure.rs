//! allure-pytest results (`pytest --alluredir DIR`) read into [`JobTiming`]s, one per pytest
//! process, with setup, call and teardown apart. What follows was read off allure-pytest
//! 2.16.2 on pytest 9.2.0 (the tests' data, `tests/data/allure/`).
//!
//! **Times.** A `<uuid>-result.json`'s `start`/`stop` (epoch milliseconds) span the test's
//! call only: allure-pytest restarts the clock when `pytest_runtest_call` begins. A test that
//! never reached its call (skipped, setup error) has `start == stop`, when it began.
//!
//! **Fixtures.** Each fixture instance (a definition from its setup to its finalization) is a
//! `<uuid>-container.json`: `befores` its setup, `afters` its finalizers, `children` the tests
//! that used it. A before ran in the setup of the container's first child, an after in the
//! teardown of its last (by start): a function fixture's one test, a module or session
//! fixture's first and last test, as `fanout run` records them. So `setup` is the time of the
//! fixtures' own code, a little under pytest's setup phase. Left out: containers without
//! children (`@pytest.mark.parametrize`'s argument values, microseconds) and afters without
//! `stop` (allure-pytest's own `<lambda>` finalizer, written before it ends).
//!
//! **Outcomes.** `broken` is any exception but an assertion, `pytest.fail` or a skip, in a
//! fixture (pytest's ERROR) or in the test's body (pytest's FAILED): a `failed` or `broken`
//! test is [`Outcome::Error`] when a before of one of its fixtures failed (setup) or its status
//! is a failed after's (teardown), else [`Outcome::Failed`]. An xfail is `skipped` with a
//! message starting `XFAIL`, an xpass `passed` with `XPASS` (a strict one is `failed`).
//!
//! **Jobs.** allure-pytest labels each result with `host` (the host name) and `thread`
//! (`<pid>-MainThread`), fixed for a pytest process. A folder holds whatever wrote to it:
//! several runs (allure-pytest does not empty it without `--clean-alluredir`), pytest-xdist's
//! workers, CI jobs' artifacts merged. One job per (host, thread), its tests in the order they
//! ran, is what a fanout job is: one process that pays each module and session fixture once,
//! in its first test. A job is `failed` when a test failed or errored (pytest exits 1), else
//! `passed`; allure keeps no exit code.

mod files;
mod fixtures;
mod node_id;

use crate::{JobStatus, JobTiming, Outcome, TestTiming, TimingsError};
use files::{ContainerFile, ResultFile};
use fixtures::Fixtures;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum AllureError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "no allure results in {} (no `*-result.json` file): is this the folder `pytest --alluredir` wrote, after the tests ran?",
        dir.display()
    )]
    NoResults { dir: PathBuf },
    #[error("{}: not an allure result or container: {source}", path.display())]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("{}: {source}", dir.display())]
    Times { dir: PathBuf, source: TimingsError },
}

/// The tests of one allure results folder as jobs, one per pytest process that wrote to it
/// (its `host` and `thread` labels), in the order they started. `is_file(rel)` says whether a
/// `/`-separated path relative to the rootdir is a file, where a result's path is ambiguous.
/// Files other than `*-result.json` and `*-container.json` (attachments) are not read.
pub fn read_dir(dir: &Path, is_file: &dyn Fn(&str) -> bool) -> Result<Vec<JobTiming>, AllureError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| AllureError::Io { path, source }
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if kind_of(&path).is_some() {
            let text = std::fs::read_to_string(&path).map_err(io(&path))?;
            files.push((path, text));
        }
    }
    jobs_of(dir, files, is_file)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Result,
    Container,
}

fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_string_lossy();
    if name.ends_with("-result.json") {
        Some(Kind::Result)
    } else if name.ends_with("-container.json") {
        Some(Kind::Container)
    } else {
        None
    }
}

/// [`read_dir`] on files already read (path, text), in any order.
pub(crate) fn jobs_of(
    dir: &Path,
    mut files: Vec<(PathBuf, String)>,
    is_file: &dyn Fn(&str) -> bool,
) -> Result<Vec<JobTiming>, AllureError> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut tests = Vec::new();
    let mut containers = Vec::new();
    for (path, text) in &files {
        match kind_of(path) {
            Some(Kind::Result) => tests.push(Measured::new(path, &parse(path, text)?, is_file)?),
            Some(Kind::Container) => containers.push((path, parse::<ContainerFile>(path, text)?)),
            None => {}
        }
    }
    if tests.is_empty() {
        return Err(AllureError::NoResults {
            dir: dir.to_owned(),
        });
    }
    tests.sort_by(|a, b| {
        (a.call.0.total_cmp(&b.call.0))
            .then(a.call.1.total_cmp(&b.call.1))
            .then_with(|| a.node_id.cmp(&b.node_id))
            .then_with(|| a.uuid.cmp(&b.uuid))
    });
    let fixtures = fixtures::attribute(&tests, &containers)?;
    let mut processes: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, test) in tests.iter().enumerate() {
        let key = (test.host.as_str(), test.thread.as_str());
        processes.entry(key).or_default().push(i);
    }
    let several = processes.len() > 1;
    let mut jobs: Vec<JobTiming> = processes
        .iter()
        .map(|((host, thread), members)| {
            let name = if several {
                format!("{} | {thread} on {host}", dir.display())
            } else {
                dir.display().to_string()
            };
            job(name, members, &tests, &fixtures)
        })
        .collect();
    jobs.sort_by(|a, b| a.start.total_cmp(&b.start));
    for job in &jobs {
        job.check_times().map_err(|source| AllureError::Times {
            dir: dir.to_owned(),
            source,
        })?;
    }
    Ok(jobs)
}

fn parse<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, AllureError> {
    serde_json::from_str(text).map_err(|source| AllureError::Json {
        path: path.to_owned(),
        source,
    })
}

/// One result, as read: its call's span in epoch milliseconds.
struct Measured {
    /// What containers cite (not the file's name: allure-pytest names files by another uuid).
    uuid: Option<String>,
    node_id: String,
    status: Option<String>,
    message: String,
    host: String,
    thread: String,
    call: (f64, f64),
}

impl Measured {
    fn new(
        path: &Path,
        result: &ResultFile,
        is_file: &dyn Fn(&str) -> bool,
    ) -> Result<Self, AllureError> {
        let invalid = |message: &str| AllureError::Invalid {
            path: path.to_owned(),
            message: message.to_owned(),
        };
        let node_id = node_id::node_id(result, is_file)
            .ok_or_else(|| invalid("no `name` or `fullName`: cannot tell which test it is"))?;
        let (Some(start), Some(stop)) = (result.start, result.stop) else {
            return Err(invalid(
                "no `start` or `stop`: cannot tell when the test ran",
            ));
        };
        let call = checked(path, "the test", start, stop)?;
        Ok(Measured {
            uuid: result.uuid.clone(),
            node_id,
            status: result.status.clone(),
            message: result.message().to_owned(),
            host: result.label("host").unwrap_or("unknown host").to_owned(),
            thread: result
                .label("thread")
                .unwrap_or("unknown thread")
                .to_owned(),
            call,
        })
    }

    fn outcome(&self, fixtures: &Fixtures) -> Outcome {
        let first_line = |m: &str| m.trim().lines().next().unwrap_or("").to_owned();
        let from_teardown = || {
            (fixtures.teardown_errors.iter()).any(|m| first_line(m) == first_line(&self.message))
        };
        match self.status.as_deref() {
            Some("passed") if self.message.starts_with("XPASS") => Outcome::Xpassed,
            Some("passed") => Outcome::Passed,
            Some("skipped") if self.message.starts_with("XFAIL") => Outcome::Xfailed,
            Some("skipped") => Outcome::Skipped,
            Some("failed" | "broken") if fixtures.setup_failed || from_teardown() => Outcome::Error,
            Some("failed" | "broken") => Outcome::Failed,
            // `unknown` or none: the test did not end normally.
            _ => Outcome::Error,
        }
    }
}

/// Epoch milliseconds that a run can have: finite, not negative, the stop not before the start.
fn checked(path: &Path, what: &str, start: f64, stop: f64) -> Result<(f64, f64), AllureError> {
    let fine = |t: f64| t.is_finite() && t >= 0.0;
    if fine(start) && fine(stop) && stop >= start {
        return Ok((start, stop));
    }
    Err(AllureError::Invalid {
        path: path.to_owned(),
        message: format!(
            "{what} has start {start:?} and stop {stop:?}: not a span of epoch milliseconds"
        ),
    })
}

fn job(name: String, members: &[usize], tests: &[Measured], fixtures: &[Fixtures]) -> JobTiming {
    let seconds = |ms: f64| ms / 1000.0;
    let mut start = f64::INFINITY;
    let mut end = f64::NEG_INFINITY;
    let timings: Vec<TestTiming> = members
        .iter()
        .map(|&i| {
            let (test, fixtures) = (&tests[i], &fixtures[i]);
            let begun = fixtures
                .first_start
                .map_or(test.call.0, |s| s.min(test.call.0));
            start = start.min(begun);
            end = end.max(
                fixtures
                    .last_stop
                    .map_or(test.call.1, |s| s.max(test.call.1)),
            );
            TestTiming {
                node_id: test.node_id.clone(),
                outcome: test.outcome(fixtures),
                start: Some(seconds(begun)),
                setup: seconds(fixtures.setup),
                call: seconds(test.call.1 - test.call.0),
                teardown: seconds(fixtures.teardown),
            }
        })
        .collect();
    let mut files = timings.iter().map(|t| crate::file_of(&t.node_id));
    let first = files.next();
    let one_file = first.filter(|f| files.all(|g| g == *f)).map(str::to_owned);
    let failed = (timings.iter()).any(|t| matches!(t.outcome, Outcome::Failed | Outcome::Error));
    JobTiming {
        artifact_group_id: name.clone(),
        job_name: name,
        path_to_test_file: one_file,
        group_id: serde_json::Value::Null,
        start: seconds(start),
        end: seconds(end),
        status: if failed {
            JobStatus::Failed
        } else {
            JobStatus::Passed
        },
        exit_code: None,
        tests: timings,
    }
}

#[cfg(test)]
mod tests;
