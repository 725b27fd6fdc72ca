//! Measurements as runs: each input (a timings file, the JUnit files of one CI run, a
//! `.test_durations` file, an allure results folder) is one run of the suite. Several runs
//! give each figure a robust value (a median over the runs that measured it); the same run
//! given twice counts once; runs are ordered by when they ran, never by the order they were
//! given, so the result does not depend on it.

use crate::{JobStatus, JobTiming, Phases};

/// One run of the suite: its jobs, and what its source knows of phases.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Where it came from (a file or folder), for notes.
    pub label: String,
    pub jobs: Vec<JobTiming>,
    pub phases: Phases,
}

impl Run {
    /// When its first job started (seconds since the Unix epoch); infinity without jobs.
    pub fn start(&self) -> f64 {
        self.jobs
            .iter()
            .map(|j| j.start)
            .fold(f64::INFINITY, f64::min)
    }

    /// The longest job's seconds.
    pub fn wall(&self) -> f64 {
        self.jobs
            .iter()
            .map(JobTiming::duration)
            .fold(0.0, f64::max)
    }

    /// The jobs' seconds together.
    pub fn machine(&self) -> f64 {
        self.jobs.iter().map(JobTiming::duration).sum()
    }

    /// Jobs stopped part-way (a signal, Ctrl-C, pytest's internal error): their tests count
    /// for what they finished, their durations for nothing.
    pub fn finished(job: &JobTiming) -> bool {
        matches!(job.status, JobStatus::Passed | JobStatus::Failed)
    }

    /// The same measurements give the same value, whatever the order of the jobs or the
    /// name of the file they were read from.
    pub fn fingerprint(&self) -> u64 {
        let mut jobs: Vec<String> = self
            .jobs
            .iter()
            .map(|j| serde_json::to_string(j).unwrap_or_default())
            .collect();
        jobs.sort();
        jobs.iter().fold(0xcbf2_9ce4_8422_2325, |hash, text| {
            text.bytes().chain(std::iter::once(0)).fold(hash, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            })
        })
    }
}

/// Runs oldest first, each once, the newest `history` of them; and notes on what was left out.
pub fn arrange(mut runs: Vec<Run>, history: usize) -> (Vec<Run>, Vec<String>) {
    let mut notes = Vec::new();
    runs.sort_by(|a, b| {
        a.start()
            .total_cmp(&b.start())
            .then_with(|| a.label.cmp(&b.label))
    });
    let mut seen: Vec<(u64, String)> = Vec::new();
    runs.retain(|run| {
        let print = run.fingerprint();
        if let Some((_, first)) = seen.iter().find(|(p, _)| *p == print) {
            notes.push(format!(
                "{} holds the same run as {first}: counted once",
                run.label
            ));
            return false;
        }
        seen.push((print, run.label.clone()));
        true
    });
    if runs.len() > history {
        let dropped = runs.len() - history;
        notes.push(format!(
            "{dropped} older run{} left out: the newest {history} count (--history)",
            if dropped == 1 { "" } else { "s" }
        ));
        runs.drain(..dropped);
    }
    (runs, notes)
}

/// The median of values measured by runs (value, run index, oldest first): of the two middle
/// values of an even count, the newer run's. `None` for none.
pub fn median_recent(values: &mut [(f64, usize)]) -> Option<f64> {
    values.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let n = values.len();
    match n {
        0 => None,
        n if n % 2 == 1 => Some(values[n / 2].0),
        n => {
            let (low, high) = (values[n / 2 - 1], values[n / 2]);
            Some(if low.1 > high.1 { low.0 } else { high.0 })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Outcome, TestTiming};

    fn run(label: &str, start: f64, call: f64) -> Run {
        Run {
            label: label.into(),
            phases: Phases::Split,
            jobs: vec![JobTiming {
                job_name: "j".into(),
                artifact_group_id: "j".into(),
                path_to_test_file: None,
                group_id: serde_json::Value::Null,
                start,
                end: start + call + 1.0,
                status: JobStatus::Passed,
                exit_code: Some(0),
                tests: vec![TestTiming {
                    node_id: "t.py::t".into(),
                    outcome: Outcome::Passed,
                    start: None,
                    setup: 0.0,
                    call,
                    teardown: 0.0,
                }],
            }],
        }
    }

    #[test]
    fn runs_are_ordered_by_time_repeats_count_once_and_history_keeps_the_newest() {
        let given = vec![
            run("c.json", 300.0, 3.0),
            run("a.json", 100.0, 1.0),
            run("copy-of-c.json", 300.0, 3.0),
            run("b.json", 200.0, 2.0),
        ];
        let (runs, notes) = arrange(given.clone(), 10);
        let labels: Vec<&str> = runs.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["a.json", "b.json", "c.json"]);
        assert_eq!(
            notes,
            ["copy-of-c.json holds the same run as c.json: counted once"]
        );
        let mut reversed = given;
        reversed.reverse();
        let (again, _) = arrange(reversed, 10);
        assert_eq!(again, runs, "the order of the inputs does not matter");
        let (newest, notes) = arrange(runs, 2);
        assert_eq!(newest[0].label, "b.json");
        assert!(notes[0].starts_with("1 older run left out"), "{notes:?}");
    }

    #[test]
    fn the_median_takes_the_newer_of_two_middles() {
        assert_eq!(median_recent(&mut []), None);
        assert_eq!(
            median_recent(&mut [(5.0, 0), (1.0, 1), (9.0, 2)]),
            Some(5.0)
        );
        assert_eq!(median_recent(&mut [(4.0, 0), (6.0, 1)]), Some(6.0));
        assert_eq!(median_recent(&mut [(4.0, 1), (6.0, 0)]), Some(4.0));
    }
}
