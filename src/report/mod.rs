//! `fanout report`'s account of a run: wall and machine time, the speed-up over one runner,
//! each job's setup share, the slowest jobs and tests. One model ([`Report`], which is also the
//! JSON document), one small renderer per format.

pub mod gantt;
pub mod html;
pub mod human;
pub mod markdown;
mod tables;

use fanout_timings::{file_of, JobTiming, Phases, TestTiming, Timings};
use serde::Serialize;
use std::collections::BTreeMap;

/// The version of the report's JSON document (docs/report-json.md).
pub const REPORT_SCHEMA: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: u32,
    /// The longest job, seconds.
    pub wall_seconds: f64,
    /// The sum of the jobs.
    pub machine_seconds: f64,
    /// What one runner would take for all of it: the machine time less the shared setup that
    /// every job after a file's first paid again.
    pub sequential_seconds: f64,
    /// `sequential_seconds / wall_seconds`.
    pub speedup: f64,
    /// Whether the input had setup phases (a timings file) or one time per test (JUnit,
    /// `.test_durations`): setup shares are null without.
    pub phases: bool,
    /// Every job, slowest first.
    pub jobs: Vec<JobRow>,
    /// The slowest tests, slowest first (`--top`).
    pub slowest_tests: Vec<TestRow>,
    /// Each file's shared setup, as `fanout plan` estimates it.
    pub files: Vec<FileRow>,
    /// Every run read, oldest first; the figures above are the newest run's.
    pub runs: Vec<RunRow>,
}

/// One run of the trend.
#[derive(Debug, Clone, Serialize)]
pub struct RunRow {
    /// The file or folder it was read from.
    pub source: String,
    /// When its first job started (seconds since the Unix epoch).
    pub start: f64,
    pub jobs: usize,
    /// Jobs that did not pass (failed, errors, interrupted).
    pub failed_jobs: usize,
    pub wall_seconds: f64,
    pub machine_seconds: f64,
}

/// The report of the newest run, with the trend of every run.
pub fn of_runs(runs: &[fanout_timings::runs::Run], top: usize) -> Report {
    let mut timings = Timings::new(env!("CARGO_PKG_VERSION"));
    let phases = match runs.last() {
        Some(newest) => {
            timings.jobs.clone_from(&newest.jobs);
            newest.phases
        }
        None => Phases::Split,
    };
    let mut report = build(&timings, phases, top);
    report.runs = runs
        .iter()
        .map(|run| RunRow {
            source: run.label.clone(),
            start: run.start(),
            jobs: run.jobs.len(),
            failed_jobs: run
                .jobs
                .iter()
                .filter(|j| j.status != fanout_timings::JobStatus::Passed)
                .count(),
            wall_seconds: run.wall(),
            machine_seconds: run.machine(),
        })
        .collect();
    report
}

/// `2026-12-07 11:46` (UTC) of a Unix time.
pub fn utc_minute(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return "-".to_owned();
    }
    #[allow(clippy::cast_possible_truncation)] // finite, under MAX_SECONDS
    let minutes = (seconds / 60.0).floor() as i64;
    let (days, minute_of_day) = (minutes.div_euclid(1440), minutes.rem_euclid(1440));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        minute_of_day / 60,
        minute_of_day % 60
    )
}

#[derive(Debug, Clone, Serialize)]
pub struct JobRow {
    pub job_name: String,
    pub path_to_test_file: Option<String>,
    pub status: fanout_timings::JobStatus,
    pub start: f64,
    pub end: f64,
    pub seconds: f64,
    pub tests: usize,
    /// Seconds in the setup phase of its tests; null without phases.
    pub setup_seconds: Option<f64>,
    /// `setup_seconds / seconds`, 0 to 1.
    pub setup_share: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TestRow {
    pub node_id: String,
    pub job_name: String,
    pub outcome: fanout_timings::Outcome,
    pub seconds: f64,
    /// The phases, when the input has them.
    pub setup: Option<f64>,
    pub call: Option<f64>,
    pub teardown: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileRow {
    pub path: String,
    /// How many jobs ran tests of it.
    pub jobs: usize,
    pub setup_seconds: f64,
    /// How the setup was estimated.
    pub setup_estimate: String,
}

/// The report of `timings`, with the `top` slowest tests.
pub fn build(timings: &Timings, phases: Phases, top: usize) -> Report {
    let split = phases == Phases::Split;
    let mut jobs: Vec<JobRow> = timings.jobs.iter().map(|j| job_row(j, split)).collect();
    jobs.sort_by(|a, b| {
        b.seconds
            .total_cmp(&a.seconds)
            .then_with(|| a.job_name.cmp(&b.job_name))
    });
    let wall = jobs.iter().map(|j| j.seconds).fold(0.0, f64::max);
    let machine: f64 = jobs.iter().map(|j| j.seconds).sum();
    let files = file_rows(timings, phases);
    let repeated: f64 = files
        .iter()
        .map(|f| f.setup_seconds * (f.jobs.saturating_sub(1)) as f64)
        .sum();
    let sequential = (machine - repeated).max(0.0);
    let mut tests: Vec<TestRow> = timings
        .jobs
        .iter()
        .flat_map(|j| j.tests.iter().map(move |t| test_row(t, j, split)))
        .collect();
    tests.sort_by(|a, b| {
        b.seconds
            .total_cmp(&a.seconds)
            .then_with(|| a.node_id.cmp(&b.node_id))
    });
    tests.truncate(top);
    Report {
        schema: REPORT_SCHEMA,
        wall_seconds: wall,
        machine_seconds: machine,
        sequential_seconds: sequential,
        speedup: if wall > 0.0 { sequential / wall } else { 1.0 },
        phases: split,
        jobs,
        slowest_tests: tests,
        files,
        runs: Vec::new(),
    }
}

/// The test file a job ran: its own field, else the one file of all its tests.
pub fn job_file(job: &JobTiming) -> Option<String> {
    if let Some(path) = &job.path_to_test_file {
        return Some(path.clone());
    }
    let mut files = job.tests.iter().map(|t| file_of(&t.node_id));
    let first = files.next()?;
    files.all(|f| f == first).then(|| first.to_owned())
}

fn job_row(job: &JobTiming, split: bool) -> JobRow {
    let seconds = job.duration();
    let setup = split.then(|| job.tests.iter().map(|t| t.setup).sum::<f64>());
    JobRow {
        job_name: job.job_name.clone(),
        path_to_test_file: job_file(job),
        status: job.status,
        start: job.start,
        end: job.end,
        seconds,
        tests: job.tests.len(),
        setup_seconds: setup,
        setup_share: setup.map(|s| {
            if seconds > 0.0 {
                (s / seconds).min(1.0)
            } else {
                0.0
            }
        }),
    }
}

fn test_row(test: &TestTiming, job: &JobTiming, split: bool) -> TestRow {
    TestRow {
        node_id: test.node_id.clone(),
        job_name: job.job_name.clone(),
        outcome: test.outcome,
        seconds: test.total(),
        setup: split.then_some(test.setup),
        call: split.then_some(test.call),
        teardown: split.then_some(test.teardown),
    }
}

/// Each file's runs (its tests per job, in run order) and the plan crate's setup estimate.
pub fn runs_by_file(jobs: &[JobTiming]) -> BTreeMap<String, Vec<Vec<&TestTiming>>> {
    let mut files: BTreeMap<String, Vec<Vec<&TestTiming>>> = BTreeMap::new();
    for job in jobs {
        let mut of_job: BTreeMap<&str, Vec<&TestTiming>> = BTreeMap::new();
        for test in &job.tests {
            of_job.entry(file_of(&test.node_id)).or_default().push(test);
        }
        for (file, tests) in of_job {
            files.entry(file.to_owned()).or_default().push(tests);
        }
    }
    files
}

fn file_rows(timings: &Timings, phases: Phases) -> Vec<FileRow> {
    runs_by_file(&timings.jobs)
        .into_iter()
        .map(|(path, runs)| {
            let estimate = fanout_plan::estimate::estimate(&runs, phases);
            FileRow {
                path,
                jobs: runs.len(),
                setup_seconds: estimate.setup,
                setup_estimate: estimate.method.describe().to_owned(),
            }
        })
        .collect()
}

/// `42.3s`, `3m 05s`, `1h 02m`: short and exact enough for a table.
pub fn duration(seconds: f64) -> String {
    // Not `max(0.0)`: it may keep `-0.0`, which would print as `-0.0s`.
    let seconds = if seconds > 0.0 { seconds } else { 0.0 };
    if seconds < 60.0 {
        return format!("{seconds:.1}s");
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // >= 60, finite
    let whole = seconds.round() as u64;
    if whole < 3600 {
        format!("{}m {:02}s", whole / 60, whole % 60)
    } else {
        format!("{}h {:02}m", whole / 3600, (whole % 3600) / 60)
    }
}

/// A status or outcome as the JSON writes it: `passed`, `xfailed`.
pub fn word(value: impl std::fmt::Debug) -> String {
    format!("{value:?}").to_lowercase()
}

/// `0.42` -> `42%`.
pub fn percent(share: f64) -> String {
    let share = if share > 0.0 { share } else { 0.0 };
    format!("{:.0}%", share * 100.0)
}

#[cfg(test)]
mod tests;
