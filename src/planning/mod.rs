//! What `fanout plan` feeds the planner: each measured file's tests in file order (from the
//! static collection) with their costs, its shared setup, and what the current grouping cost.
//!
//! Several runs give each figure the median over the runs that measured it (the newer run's of
//! two middle values); a test no run measured is estimated from its function's other cases,
//! else its file's tests, else the suite's, and said so.

pub mod dependencies;
pub mod edits;
pub mod render;

use crate::report::runs_by_file;
use fanout_core::TestItem;
use fanout_plan::estimate::{self, median, Method};
use fanout_plan::{FileInput, Unit};
use fanout_timings::runs::{median_recent, Run};
use fanout_timings::{file_of, function_of, JobTiming, Outcome, TestTiming};
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
    /// What the newest measured run of this file cost.
    pub current: Cost,
    /// Each unit's name inside the file (`test_a`, `TestB::test_c`), for the edits.
    pub names: Vec<String>,
    /// Each unit's group as collected now: `Some(Some(n))` for an int id, `Some(None)` for
    /// another id, `None` when it has none.
    pub groups_now: Vec<Option<Option<i64>>>,
    /// Units whose cost is estimated in whole or in part (new tests, new cases).
    pub unmeasured: usize,
}

/// A test no run measured, and what it is taken to cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimated {
    /// The function's node id.
    pub id: String,
    pub seconds: f64,
    pub how: &'static str,
}

pub struct Prepared {
    pub files: Vec<PreparedFile>,
    /// What the newest run cost.
    pub current: Cost,
    /// Timed tests fanout does not collect (renamed, deleted, outside the paths).
    pub unmatched: Vec<String>,
    /// The runs those came from.
    pub unmatched_runs: Vec<String>,
    /// `together` node ids that name no collected test.
    pub unknown_together: Vec<String>,
    /// Tests without a timing, and their estimates.
    pub estimated: Vec<Estimated>,
    /// Collected files no run measured: left as they are.
    pub unplanned: Vec<String>,
    /// Sets of tests kept together because the suite declares a dependency.
    pub declared: Vec<dependencies::Declared>,
}

/// A test's time in a run counts unless it ended in an error (its setup or teardown broke:
/// not what it costs).
fn counts(test: &TestTiming) -> bool {
    test.outcome != Outcome::Error
}

pub fn prepare(runs: &[Run], tests: &[TestItem], together: &[Vec<String>]) -> Prepared {
    // Functions in collection order, grouped by file; how many cases each has.
    let mut order: HashMap<&str, usize> = HashMap::new();
    let mut cases: HashMap<&str, usize> = HashMap::new();
    let mut group_now: HashMap<&str, Option<Option<i64>>> = HashMap::new();
    let mut by_file: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut file_order: Vec<&str> = Vec::new();
    for test in tests {
        let function = function_of(&test.node_id);
        // 0: only running code can tell (no case is estimated then).
        *cases.entry(function).or_default() += test.cases as usize;
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
    let declared = dependencies::declared(tests);
    let mut all_together: Vec<Vec<String>> = together.to_vec();
    all_together.extend(declared.iter().map(|d| d.ids.clone()));

    // Each run's estimate of each file, then the median over the runs.
    let mut setups: HashMap<String, Vec<(f64, usize)>> = HashMap::new();
    let mut methods: HashMap<String, Method> = HashMap::new();
    let mut case_costs: HashMap<String, Vec<(f64, usize)>> = HashMap::new();
    let mut overheads: HashMap<String, Vec<(f64, usize)>> = HashMap::new();
    let mut start_ups: Vec<f64> = Vec::new();
    for (index, run) in runs.iter().enumerate() {
        let finished: Vec<&JobTiming> = run.jobs.iter().filter(|j| Run::finished(j)).collect();
        start_ups.extend(finished.iter().map(|j| start_up(j)));
        for (path, value) in overhead_by_file(&finished) {
            overheads
                .entry(path.to_owned())
                .or_default()
                .push((value, index));
        }
        for (path, mut file_runs) in runs_by_file(&run.jobs) {
            for job_tests in &mut file_runs {
                job_tests.retain(|t| counts(t));
                job_tests.sort_by_key(|t| {
                    order
                        .get(function_of(&t.node_id))
                        .copied()
                        .unwrap_or(usize::MAX)
                });
            }
            let estimate = estimate::estimate(&file_runs, run.phases);
            if estimate.method != Method::Unknown {
                setups
                    .entry(path.clone())
                    .or_default()
                    .push((estimate.setup, index));
                methods.insert(path.clone(), estimate.method);
            }
            for (id, cost) in estimate.costs {
                case_costs.entry(id).or_default().push((cost, index));
            }
        }
    }
    let case_cost: HashMap<String, f64> = case_costs
        .into_iter()
        .filter_map(|(id, mut values)| median_recent(&mut values).map(|m| (id, m)))
        .collect();
    let overhead = median(&mut start_ups);
    let newest_current = runs
        .last()
        .map(|r| current_by_file(&r.jobs))
        .unwrap_or_default();

    // Measured cases by function; the medians of each file's and of the suite's cases.
    let mut measured: HashMap<&str, Vec<f64>> = HashMap::new();
    let mut by_file_cases: HashMap<&str, Vec<f64>> = HashMap::new();
    for (id, cost) in &case_cost {
        let function = function_of(id);
        if !order.contains_key(function) {
            continue;
        }
        measured.entry(function).or_default().push(*cost);
        by_file_cases.entry(file_of(id)).or_default().push(*cost);
    }

    let mut files = Vec::new();
    let mut estimated = Vec::new();
    let mut unplanned = Vec::new();
    for path in file_order {
        let Some(file_cases) = by_file_cases.get_mut(path) else {
            unplanned.push(path.to_owned());
            continue;
        };
        let file_median = median(file_cases);
        let units = &by_file[path];
        let mut unit_costs = Vec::with_capacity(units.len());
        let mut unmeasured = 0;
        for unit in units {
            let n = cases.get(unit).copied().unwrap_or(1);
            let (cost, how) = match measured.get(unit) {
                Some(costs) if costs.len() >= n => (costs.iter().sum(), None),
                Some(costs) => {
                    let each = median(&mut costs.clone());
                    let missing = (n - costs.len()) as f64;
                    (
                        costs.iter().sum::<f64>() + missing * each,
                        Some("the median of its measured cases"),
                    )
                }
                None => (
                    n.max(1) as f64 * file_median,
                    Some("the median of its file's tests"),
                ),
            };
            if let Some(how) = how {
                unmeasured += 1;
                estimated.push(Estimated {
                    id: (*unit).to_owned(),
                    seconds: cost,
                    how,
                });
            }
            unit_costs.push(cost);
        }
        let index: HashMap<&str, usize> = units.iter().enumerate().map(|(i, u)| (*u, i)).collect();
        let sets = all_together
            .iter()
            .map(|set| {
                set.iter()
                    .filter_map(|id| index.get(function_of(id)).copied())
                    .collect()
            })
            .collect();
        let setup = setups
            .get_mut(path)
            .and_then(|values| median_recent(values))
            .unwrap_or(0.0);
        let overhead = overheads
            .get_mut(path)
            .and_then(|values| median_recent(values))
            .unwrap_or(overhead);
        files.push(PreparedFile {
            input: FileInput {
                path: path.to_owned(),
                units: units
                    .iter()
                    .zip(&unit_costs)
                    .map(|(u, cost)| Unit {
                        id: (*u).to_owned(),
                        cost: *cost,
                    })
                    .collect(),
                setup,
                overhead,
                together: sets,
            },
            method: methods.get(path).copied().unwrap_or(Method::Unknown),
            current: newest_current.get(path).copied().unwrap_or_default(),
            names: units
                .iter()
                .map(|u| {
                    u.strip_prefix(path)
                        .and_then(|r| r.strip_prefix("::"))
                        .unwrap_or(u)
                        .to_owned()
                })
                .collect(),
            unmeasured,
            groups_now: units
                .iter()
                .map(|u| group_now.get(u).copied().flatten())
                .collect(),
        });
    }
    let mut unmatched: Vec<String> = Vec::new();
    let mut unmatched_runs: Vec<String> = Vec::new();
    for run in runs {
        let before = unmatched.len();
        unmatched.extend(
            run.jobs
                .iter()
                .flat_map(|j| &j.tests)
                .filter(|t| !order.contains_key(function_of(&t.node_id)))
                .map(|t| t.node_id.clone()),
        );
        if unmatched.len() > before {
            unmatched_runs.push(run.label.clone());
        }
    }
    unmatched.sort();
    unmatched.dedup();
    let unknown_together = together
        .iter()
        .flatten()
        .filter(|id| !order.contains_key(function_of(id)))
        .cloned()
        .collect();
    let current = runs.last().map_or_else(Cost::default, |newest| Cost {
        jobs: newest.jobs.len(),
        wall: newest.wall(),
        machine: newest.machine(),
    });
    Prepared {
        files,
        current,
        unmatched,
        unmatched_runs,
        unknown_together,
        estimated,
        unplanned,
        declared,
    }
}

/// What a job pays besides its tests (interpreter start, collection).
fn start_up(job: &JobTiming) -> f64 {
    (job.duration() - job.tests.iter().map(TestTiming::total).sum::<f64>()).max(0.0)
}

/// The median start-up of the jobs that ran each file alone, in one pass over the jobs:
/// start-up and collection differ between files (conftests, imports), and a file planned as
/// it ran must be predicted as it ran.
fn overhead_by_file<'a>(jobs: &[&'a JobTiming]) -> HashMap<&'a str, f64> {
    let mut extra: HashMap<&str, Vec<f64>> = HashMap::new();
    for job in jobs {
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
fn current_by_file(jobs: &[JobTiming]) -> HashMap<String, Cost> {
    let mut costs: HashMap<String, Cost> = HashMap::new();
    for job in jobs {
        let mut mine: BTreeMap<&str, f64> = BTreeMap::new();
        for t in &job.tests {
            *mine.entry(file_of(&t.node_id)).or_default() += t.total();
        }
        let alone = mine.len() == 1;
        for (path, seconds) in mine {
            let seconds = if alone { job.duration() } else { seconds };
            let cost = costs.entry(path.to_owned()).or_default();
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
    use fanout_timings::{JobStatus, Outcome, Timings};

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
        let current = current_by_file(&timings.jobs);
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
