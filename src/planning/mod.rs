//! What `fanout plan` feeds the planner: each measured file's tests in file order (from the
//! static collection) with their costs, its shared setup, and what the current grouping cost.

pub mod edits;
pub mod render;

use crate::report::runs_by_file;
use fanout_core::TestItem;
use fanout_plan::estimate::{self, median, Method};
use fanout_plan::{FileInput, Unit};
use fanout_timings::{file_of, function_of, JobTiming, Phases, TestTiming, Timings};
use std::collections::{BTreeMap, HashMap};

/// What a file or the whole suite cost.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cost {
    pub jobs: usize,
    pub wall: f64,
    pub machine: f64,
}

pub struct PreparedFile {
    pub input: FileInput,
    pub method: Method,
    /// What the measured run of this file cost.
    pub current: Cost,
    /// Each unit's name inside the file (`test_a`, `TestB::test_c`), for the edits.
    pub names: Vec<String>,
    /// Each unit's group as collected now: `Some(Some(n))` for an int id, `Some(None)` for
    /// another id, `None` when it has none.
    pub groups_now: Vec<Option<Option<i64>>>,
    /// Units with no timing (new, skipped or deselected tests): cost 0.
    pub unmeasured: usize,
}

pub struct Prepared {
    pub files: Vec<PreparedFile>,
    pub current: Cost,
    /// Timed tests fanout does not collect (renamed, deleted, outside the paths).
    pub unmatched: Vec<String>,
    /// `together` node ids that name no collected test.
    pub unknown_together: Vec<String>,
}

pub fn prepare(
    timings: &Timings,
    phases: Phases,
    tests: &[TestItem],
    together: &[Vec<String>],
) -> Prepared {
    // Functions in collection order, grouped by file.
    let mut order: HashMap<&str, usize> = HashMap::new();
    let mut group_now: HashMap<&str, Option<Option<i64>>> = HashMap::new();
    let mut by_file: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut file_order: Vec<&str> = Vec::new();
    for test in tests {
        let function = function_of(&test.node_id);
        if order.contains_key(function) {
            continue;
        }
        order.insert(function, order.len());
        group_now.insert(function, test.group.as_ref().map(|g| g.as_int()));
        let units = by_file.entry(test.path.as_str()).or_insert_with(|| {
            file_order.push(test.path.as_str());
            Vec::new()
        });
        units.push(function);
    }
    let mut runs = runs_by_file(timings);
    let overhead = overhead(timings);
    let overhead_by_file = overhead_by_file(timings);
    let current = current_by_file(timings);
    let mut files = Vec::new();
    for path in file_order {
        let Some(file_runs) = runs.get_mut(path) else {
            continue;
        };
        for run in file_runs.iter_mut() {
            run.sort_by_key(|t| {
                order
                    .get(function_of(&t.node_id))
                    .copied()
                    .unwrap_or(usize::MAX)
            });
        }
        let estimate = estimate::estimate(file_runs, phases);
        let units = &by_file[path];
        let mut costs: HashMap<&str, f64> = HashMap::new();
        for (id, cost) in &estimate.costs {
            *costs.entry(function_of(id)).or_default() += cost;
        }
        let index: HashMap<&str, usize> = units.iter().enumerate().map(|(i, u)| (*u, i)).collect();
        let sets = together
            .iter()
            .map(|set| {
                set.iter()
                    .filter_map(|id| index.get(function_of(id)).copied())
                    .collect()
            })
            .collect();
        files.push(PreparedFile {
            input: FileInput {
                path: path.to_owned(),
                units: units
                    .iter()
                    .map(|u| Unit {
                        id: (*u).to_owned(),
                        cost: costs.get(u).copied().unwrap_or(0.0),
                    })
                    .collect(),
                setup: estimate.setup,
                overhead: overhead_by_file.get(path).copied().unwrap_or(overhead),
                together: sets,
            },
            method: estimate.method,
            current: current.get(path).copied().unwrap_or_default(),
            names: units
                .iter()
                .map(|u| {
                    u.strip_prefix(path)
                        .and_then(|r| r.strip_prefix("::"))
                        .unwrap_or(u)
                        .to_owned()
                })
                .collect(),
            unmeasured: units.iter().filter(|u| !costs.contains_key(*u)).count(),
            groups_now: units
                .iter()
                .map(|u| group_now.get(u).copied().flatten())
                .collect(),
        });
    }
    let mut unmatched: Vec<String> = timings
        .jobs
        .iter()
        .flat_map(|j| &j.tests)
        .filter(|t| !order.contains_key(function_of(&t.node_id)))
        .map(|t| t.node_id.clone())
        .collect();
    unmatched.sort();
    unmatched.dedup();
    let unknown_together = together
        .iter()
        .flatten()
        .filter(|id| !order.contains_key(function_of(id)))
        .cloned()
        .collect();
    Prepared {
        files,
        current: Cost {
            jobs: timings.jobs.len(),
            wall: timings
                .jobs
                .iter()
                .map(|j| j.duration())
                .fold(0.0, f64::max),
            machine: timings.jobs.iter().map(|j| j.duration()).sum(),
        },
        unmatched,
        unknown_together,
    }
}

/// What a job pays besides its tests (interpreter start, collection).
fn start_up(job: &JobTiming) -> f64 {
    (job.duration() - job.tests.iter().map(TestTiming::total).sum::<f64>()).max(0.0)
}

/// The median start-up over all jobs.
fn overhead(timings: &Timings) -> f64 {
    let mut extra: Vec<f64> = timings.jobs.iter().map(start_up).collect();
    median(&mut extra)
}

/// The median start-up of the jobs that ran each file alone, in one pass over the jobs:
/// start-up and collection differ between files (conftests, imports), and a file planned as
/// it ran must be predicted as it ran.
fn overhead_by_file(timings: &Timings) -> HashMap<&str, f64> {
    let mut extra: HashMap<&str, Vec<f64>> = HashMap::new();
    for job in &timings.jobs {
        let Some(first) = job.tests.first().map(|t| file_of(&t.node_id)) else {
            continue;
        };
        if job.tests.iter().all(|t| file_of(&t.node_id) == first) {
            extra.entry(first).or_default().push(start_up(job));
        }
    }
    extra
        .into_iter()
        .map(|(path, mut values)| (path, median(&mut values)))
        .collect()
}

/// The jobs that ran tests of `path`: a job of that file alone counts whole, a job of several
/// files (a sequential run) with the file's tests only.
/// What the measured run cost, per file: the jobs that ran its tests, each counted whole when
/// it ran nothing else and by its tests' times otherwise. One pass over the jobs.
fn current_by_file(timings: &Timings) -> HashMap<&str, Cost> {
    let mut costs: HashMap<&str, Cost> = HashMap::new();
    for job in &timings.jobs {
        let mut mine: BTreeMap<&str, f64> = BTreeMap::new();
        for t in &job.tests {
            *mine.entry(file_of(&t.node_id)).or_default() += t.total();
        }
        let alone = mine.len() == 1;
        for (path, seconds) in mine {
            let seconds = if alone { job.duration() } else { seconds };
            let cost = costs.entry(path).or_default();
            cost.jobs += 1;
            cost.wall = cost.wall.max(seconds);
            cost.machine += seconds;
        }
    }
    costs
}

#[cfg(test)]
mod tests {
    use super::*;
    use fanout_timings::{JobStatus, Outcome};

    fn job(start: f64, end: f64, tests: &[(&str, f64)]) -> JobTiming {
        JobTiming {
            job_name: format!("job at {start}"),
            artifact_group_id: format!("job-{start}"),
            path_to_test_file: None,
            group_id: serde_json::Value::Null,
            start,
            end,
            status: JobStatus::Passed,
            exit_code: Some(0),
            tests: tests
                .iter()
                .map(|(id, call)| TestTiming {
                    node_id: (*id).into(),
                    outcome: Outcome::Passed,
                    start: None,
                    setup: 0.0,
                    call: *call,
                    teardown: 0.0,
                })
                .collect(),
        }
    }

    #[test]
    fn a_job_counts_whole_for_its_only_file_and_by_tests_when_shared() {
        let mut timings = Timings::new("test");
        timings
            .jobs
            .push(job(0.0, 50.0, &[("a.py::t1", 10.0), ("a.py::t2", 20.0)]));
        timings
            .jobs
            .push(job(0.0, 40.0, &[("a.py::t3", 5.0), ("b.py::t1", 25.0)]));
        let current = current_by_file(&timings);
        // a.py: its own job whole (50 s, start-up included), and 5 s of the shared one.
        assert_eq!(
            current["a.py"],
            Cost {
                jobs: 2,
                wall: 50.0,
                machine: 55.0
            }
        );
        assert_eq!(
            current["b.py"],
            Cost {
                jobs: 1,
                wall: 25.0,
                machine: 25.0
            }
        );
        assert!(!current.contains_key("c.py"));
    }
}
