//! The timings file, format version 1: a small, stable, versioned JSON document that
//! `fanout run --timings FILE` writes and `fanout report` / `fanout plan` read (docs/timings.md).
//!
//! ```json
//! {"format": "fanout-timings", "version": 1, "fanout_version": "0.1.0",
//!  "jobs": [{"job_name": "tests/test_db.py | group 1", "artifact_group_id": "tests-test_db.py-group-1",
//!            "path_to_test_file": "tests/test_db.py", "group_id": 1,
//!            "start": 1764266400.25, "end": 1764266461.5, "status": "passed", "exit_code": 0,
//!            "tests": [{"node_id": "tests/test_db.py::test_deploy", "outcome": "passed",
//!                       "start": 1764266401.0, "setup": 40.1, "call": 12.3, "teardown": 0.2}]}]}
//! ```
//!
//! Times are seconds: `start`/`end` since the Unix epoch, phases as durations. Readers accept
//! any version up to [`VERSION`] and ignore fields they do not know, so adding a field does not
//! need a new version; removing or retyping one does.

use serde::{Deserialize, Serialize};
use std::path::Path;

pub mod allure;
pub mod durations;
pub mod junit;
pub mod runs;

/// What a source knows of a test's phases. Not part of the file: the reader that produced a
/// [`Timings`] says it, and `fanout plan` estimates the shared setup accordingly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phases {
    /// setup, call and teardown apart (a timings file written by `fanout run`, allure results).
    Split,
    /// One number per test, read as `call` (JUnit XML, pytest-split's `.test_durations`).
    TotalOnly,
}

/// The test file of a node id: the part before the first `::` (`tests/a.py::T::t[x]` ->
/// `tests/a.py`).
pub fn file_of(node_id: &str) -> &str {
    node_id.split_once("::").map_or(node_id, |(file, _)| file)
}

/// The function's node id of a parametrized case: without its `[...]` parameter id, which
/// may itself hold `::` (`t.py::test[a::b]` -> `t.py::test`).
pub fn function_of(node_id: &str) -> &str {
    match node_id.find('[') {
        Some(i) if node_id.ends_with(']') => &node_id[..i],
        _ => node_id,
    }
}

/// The `format` field: tells a timings file from any other JSON.
pub const FORMAT: &str = "fanout-timings";
/// The newest format version this crate writes and reads.
pub const VERSION: u32 = 1;
/// No time in a timings file reaches this: the year 5138 as a timestamp, 3,000 years as a
/// duration.
pub const MAX_SECONDS: f64 = 1e11;

/// A whole timings file: the jobs of one or more runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    pub format: String,
    pub version: u32,
    /// The fanout that wrote the file (informative only).
    #[serde(default)]
    pub fanout_version: String,
    pub jobs: Vec<JobTiming>,
}

/// One job: one (test file, group) of the matrix, run as one pytest process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobTiming {
    /// As in the matrix: `tests/test_db.py | group 1`.
    pub job_name: String,
    pub artifact_group_id: String,
    /// The test file, relative to the rootdir; absent when the source did not say (JUnit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_to_test_file: Option<String>,
    /// The group id as the matrix writes it (an int or a string); null for ungrouped jobs.
    #[serde(default)]
    pub group_id: serde_json::Value,
    /// When the job's process started and ended (seconds since the Unix epoch).
    pub start: f64,
    pub end: f64,
    pub status: JobStatus,
    /// The process's exit code; absent when it was killed by a signal or never started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    /// Every test the job ran, in the order pytest ran them.
    pub tests: Vec<TestTiming>,
}

impl JobTiming {
    /// The job's wall time: `end - start`, never negative.
    pub fn duration(&self) -> f64 {
        (self.end - self.start).max(0.0)
    }

    /// The checks of [`Timings::from_json`], for a job read from another format (JUnit,
    /// `.test_durations`): every time finite, not negative and under [`MAX_SECONDS`], the
    /// tests' phases together too, and the end not before the start.
    pub fn check_times(&self) -> Result<(), TimingsError> {
        let bad = |what: String| {
            Err(TimingsError::Invalid(format!(
                "job `{}`: {what}",
                self.job_name
            )))
        };
        let fine = |t: f64| t.is_finite() && (0.0..MAX_SECONDS).contains(&t);
        if !fine(self.start) || !fine(self.end) {
            return bad(format!(
                "start {:?} or end {:?} is not a time in seconds since the Unix epoch",
                self.start, self.end
            ));
        }
        if self.end < self.start {
            return bad(format!(
                "ends ({:?}) before it starts ({:?})",
                self.end, self.start
            ));
        }
        let mut sum = 0.0;
        for test in &self.tests {
            let phases = [
                ("setup", test.setup),
                ("call", test.call),
                ("teardown", test.teardown),
            ];
            if let Some((phase, value)) = phases.iter().find(|(_, v)| !fine(*v)) {
                return bad(format!(
                    "`{}` has {phase} {value:?}: phases are seconds, 0 or more, under {MAX_SECONDS:e}",
                    test.node_id
                ));
            }
            if test.start.is_some_and(|s| !fine(s)) {
                return bad(format!("`{}` has a start that is not a time", test.node_id));
            }
            sum += test.total();
        }
        if !fine(sum) {
            return bad(format!(
                "its tests take {sum:e} s together, more than {MAX_SECONDS:e} s (over 3,000 years): \
                 not a measurement"
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// pytest exited 0 (or 5: nothing to run).
    Passed,
    /// pytest exited 1: some test failed.
    Failed,
    /// pytest exited 2-4 or the command failed otherwise (internal error, usage, crash).
    Error,
    /// Stopped by a signal or by the user (Ctrl-C).
    Interrupted,
}

/// One test (one pytest item, a parametrized case included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestTiming {
    pub node_id: String,
    pub outcome: Outcome,
    /// When its setup phase began (seconds since the Unix epoch), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<f64>,
    /// Seconds in each phase. `setup` includes fixtures set up for this test, so the first
    /// test of a module carries a module-scoped fixture's setup.
    #[serde(default)]
    pub setup: f64,
    #[serde(default)]
    pub call: f64,
    #[serde(default)]
    pub teardown: f64,
}

impl TestTiming {
    /// setup + call + teardown.
    pub fn total(&self) -> f64 {
        self.setup + self.call + self.teardown
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Passed,
    Failed,
    Skipped,
    /// An error in setup or teardown.
    Error,
    Xfailed,
    Xpassed,
}

impl Timings {
    /// An empty document of the current version.
    pub fn new(fanout_version: &str) -> Self {
        Timings {
            format: FORMAT.to_owned(),
            version: VERSION,
            fanout_version: fanout_version.to_owned(),
            jobs: Vec::new(),
        }
    }

    /// Parses a timings document, checking `format` and `version`.
    pub fn from_json(text: &str) -> Result<Self, TimingsError> {
        let timings: Timings = serde_json::from_str(text).map_err(TimingsError::Json)?;
        if timings.format != FORMAT {
            return Err(TimingsError::NotTimings(timings.format));
        }
        if timings.version == 0 || timings.version > VERSION {
            return Err(TimingsError::Version(timings.version));
        }
        timings.check_times()?;
        Ok(timings)
    }

    /// Times a run can have: finite, not negative, a job ending after it starts, and under
    /// [`MAX_SECONDS`] (each, and a job's tests together); anything else would turn every sum
    /// and chart into nonsense.
    fn check_times(&self) -> Result<(), TimingsError> {
        self.jobs.iter().try_for_each(JobTiming::check_times)
    }

    /// Reads and parses a timings file.    /// Reads and parses a timings file.
    pub fn read(path: &Path) -> Result<Self, TimingsError> {
        let text = std::fs::read_to_string(path).map_err(TimingsError::Io)?;
        Self::from_json(&text)
    }

    /// The document as pretty JSON, ending with a newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TimingsError {
    #[error("{0}")]
    Io(#[source] std::io::Error),
    #[error("not valid timings JSON: {0}")]
    Json(#[source] serde_json::Error),
    #[error("`format` is {0:?}, not \"fanout-timings\": is this a timings file written by `fanout run --timings`?")]
    NotTimings(String),
    #[error("timings format version {0} is not one this fanout reads (it reads 1 to 1): use a newer fanout")]
    Version(u32),
    #[error("{0}")]
    Invalid(String),
}

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Timings {
        let mut timings = Timings::new("0.1.0");
        timings.jobs.push(JobTiming {
            job_name: "tests/test_db.py | group 1".into(),
            artifact_group_id: "tests-test_db.py-group-1".into(),
            path_to_test_file: Some("tests/test_db.py".into()),
            group_id: serde_json::json!(1),
            start: 10.0,
            end: 71.5,
            status: JobStatus::Passed,
            exit_code: Some(0),
            tests: vec![TestTiming {
                node_id: "tests/test_db.py::test_deploy".into(),
                outcome: Outcome::Passed,
                start: Some(11.0),
                setup: 40.0,
                call: 12.5,
                teardown: 0.25,
            }],
        });
        timings
    }

    #[test]
    fn round_trips_through_json() {
        let timings = sample();
        let back = Timings::from_json(&timings.to_json()).expect("parses");
        assert_eq!(back, timings);
        assert_eq!(back.jobs[0].duration(), 61.5);
        assert_eq!(back.jobs[0].tests[0].total(), 52.75);
    }

    #[test]
    fn refuses_other_documents_and_newer_versions() {
        let other = r#"{"format": "x", "version": 1, "jobs": []}"#;
        assert!(matches!(
            Timings::from_json(other),
            Err(TimingsError::NotTimings(_))
        ));
        let newer = r#"{"format": "fanout-timings", "version": 2, "jobs": []}"#;
        assert!(matches!(
            Timings::from_json(newer),
            Err(TimingsError::Version(2))
        ));
    }

    #[test]
    fn refuses_times_no_run_has() {
        let job = |start: &str, end: &str, setup: &str| {
            format!(
                r#"{{"format": "fanout-timings", "version": 1, "jobs": [{{"job_name": "j",
                "artifact_group_id": "j", "start": {start}, "end": {end}, "status": "passed",
                "tests": [{{"node_id": "t.py::a", "outcome": "passed", "setup": {setup}}}]}}]}}"#
            )
        };
        assert!(Timings::from_json(&job("1", "2", "0.5")).is_ok());
        for (start, end, setup) in [
            ("2", "1", "0"),
            ("1", "2", "-1"),
            ("-5", "2", "0"),
            ("1", "1e308", "0"),
        ] {
            let error = Timings::from_json(&job(start, end, setup)).expect_err("refused");
            assert!(matches!(error, TimingsError::Invalid(_)), "{error}");
            assert!(error.to_string().starts_with("job `j`: "), "{error}");
        }
    }

    #[test]
    fn ignores_unknown_fields() {
        let text = r#"{"format": "fanout-timings", "version": 1, "extra": true,
            "jobs": [{"job_name": "a", "artifact_group_id": "a", "start": 0, "end": 1,
                      "status": "failed", "new_field": 1,
                      "tests": [{"node_id": "t.py::a", "outcome": "xfailed"}]}]}"#;
        let timings = Timings::from_json(text).expect("parses");
        assert_eq!(timings.jobs[0].status, JobStatus::Failed);
        assert_eq!(timings.jobs[0].tests[0].total(), 0.0);
    }
}
