//! What one file costs, from the runs of it that a timings source recorded: the shared setup
//! every job of the file pays again (module- and session-scoped fixtures, set up for the first
//! test a job runs), and what each test costs on top of it.

use fanout_timings::{Phases, TestTiming};
use std::collections::BTreeMap;

/// How the shared setup was estimated, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// First test's setup phase minus the median setup phase of the job's other tests.
    SetupPhase,
    /// First test's total (setup + call + teardown) minus the median total of the job's other
    /// tests: the source has no phases (JUnit, `.test_durations`).
    FirstTestTotal,
    /// No job ran two tests of the file: nothing tells setup from test; taken as 0.
    Unknown,
}

impl Method {
    pub fn describe(self) -> &'static str {
        match self {
            Method::SetupPhase => "first test's setup phase minus the median setup of the others",
            Method::FirstTestTotal => {
                "first test's time minus the median time of the others (no setup phase in the input)"
            }
            Method::Unknown => "unknown (no job ran two of its tests): taken as 0",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Seconds of shared setup each job of the file pays.
    pub setup: f64,
    pub method: Method,
    /// Seconds each test costs beyond the shared setup, by node id (mean over the runs that
    /// ran it).
    pub costs: BTreeMap<String, f64>,
}

/// The median, or 0 for none.
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// The estimate from `runs`: each the file's tests in one job, in the order they ran.
pub fn estimate(runs: &[Vec<&TestTiming>], phases: Phases) -> Estimate {
    let measure = |t: &TestTiming| match phases {
        Phases::Split => t.setup,
        Phases::TotalOnly => t.total(),
    };
    let mut per_job = Vec::new();
    let mut sums: BTreeMap<String, (f64, u32)> = BTreeMap::new();
    for run in runs {
        let Some((first, rest)) = run.split_first() else {
            continue;
        };
        let shared = if rest.is_empty() {
            0.0
        } else {
            let mut others: Vec<f64> = rest.iter().map(|t| measure(t)).collect();
            let setup = (measure(first) - median(&mut others)).max(0.0);
            per_job.push(setup);
            setup
        };
        for (i, test) in run.iter().enumerate() {
            let own = if i == 0 { shared } else { 0.0 };
            let entry = sums.entry(test.node_id.clone()).or_insert((0.0, 0));
            entry.0 += (test.total() - own).max(0.0);
            entry.1 += 1;
        }
    }
    let method = match (per_job.is_empty(), phases) {
        (true, _) => Method::Unknown,
        (false, Phases::Split) => Method::SetupPhase,
        (false, Phases::TotalOnly) => Method::FirstTestTotal,
    };
    Estimate {
        setup: median(&mut per_job),
        method,
        costs: sums
            .into_iter()
            .map(|(id, (sum, n))| (id, sum / f64::from(n)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fanout_timings::Outcome;

    fn test(id: &str, setup: f64, call: f64) -> TestTiming {
        TestTiming {
            node_id: id.into(),
            outcome: Outcome::Passed,
            start: None,
            setup,
            call,
            teardown: 0.0,
        }
    }

    #[test]
    fn setup_is_the_first_tests_extra_setup() {
        let (a, b, c) = (
            test("a", 100.5, 3.0),
            test("b", 0.5, 40.0),
            test("c", 0.5, 1.0),
        );
        let e = estimate(&[vec![&a, &b, &c]], Phases::Split);
        assert_eq!(e.setup, 100.0);
        assert_eq!(e.method, Method::SetupPhase);
        assert_eq!(e.costs["a"], 3.5);
        assert_eq!(e.costs["b"], 40.5);
    }

    #[test]
    fn totals_only_take_the_first_test_as_typical() {
        let (a, b, c) = (
            test("a", 0.0, 105.0),
            test("b", 0.0, 40.0),
            test("c", 0.0, 5.0),
        );
        let e = estimate(&[vec![&a, &b, &c]], Phases::TotalOnly);
        assert_eq!(e.setup, 82.5);
        assert_eq!(e.method, Method::FirstTestTotal);
        assert_eq!(e.costs["a"], 22.5);
    }

    #[test]
    fn the_median_over_jobs_and_unknown_for_single_tests() {
        let runs: Vec<Vec<TestTiming>> = [10.0, 30.0, 20.0]
            .iter()
            .map(|s| vec![test("a", *s, 1.0), test("b", 0.0, 1.0)])
            .collect();
        let refs: Vec<Vec<&TestTiming>> = runs.iter().map(|r| r.iter().collect()).collect();
        assert_eq!(estimate(&refs, Phases::Split).setup, 20.0);
        let lone = test("a", 50.0, 1.0);
        let e = estimate(&[vec![&lone]], Phases::Split);
        assert_eq!(
            (e.setup, e.method, e.costs["a"]),
            (0.0, Method::Unknown, 51.0)
        );
    }
}
