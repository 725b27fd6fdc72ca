//! fanout's group planner (`fanout plan`): from each file's measured shared setup and test
//! costs, the groups that keep the suite's wall time down at the least machine time.
//!
//! Per file: every slow test (one costing at least `slow_threshold` times what each job of the
//! file pays again: the shared setup and the process start-up) gets a group, fast tests ride with the slow test before them, tests declared together share
//! a group; then groups merge while the predicted wall time (the longest job) does not grow,
//! and further while the jobs or the machine time are over their limits ([`merge`]).
//! A job is predicted to take its file's fixed price (shared setup plus process start-up) plus
//! the cost of its tests.

pub mod estimate;
pub mod groups;
pub mod merge;

/// One plannable test: a test function (its parametrized cases together, since a group mark
/// is written on the function), in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub id: String,
    /// Seconds beyond the shared setup.
    pub cost: f64,
}

/// One file to plan.
#[derive(Debug, Clone, PartialEq)]
pub struct FileInput {
    pub path: String,
    pub units: Vec<Unit>,
    /// Shared setup seconds each job of the file pays.
    pub setup: f64,
    /// Seconds each job pays besides setup and tests (interpreter start, collection).
    pub overhead: f64,
    /// Sets of unit indices that must share a group.
    pub together: Vec<Vec<usize>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// A test is slow when it costs at least this times what a job of its file pays again: the
    /// shared setup plus the process start-up.
    pub slow_threshold: f64,
    pub max_jobs: Option<usize>,
    pub max_machine_seconds: Option<f64>,
}

/// The default `slow_threshold`: a test earns its own job when it costs at least as much as the
/// setup and start-up that job repeats; then splitting it off saves at least as much wall time
/// as it adds machine time.
pub const DEFAULT_SLOW_THRESHOLD: f64 = 1.0;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            slow_threshold: DEFAULT_SLOW_THRESHOLD,
            max_jobs: None,
            max_machine_seconds: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedGroup {
    /// Unit indices, in file order.
    pub units: Vec<usize>,
    /// Sum of the units' costs.
    pub cost: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedFile {
    pub path: String,
    /// Setup plus overhead: what every job of the file pays.
    pub fixed: f64,
    /// Ordered by first unit: group ids are 1, 2, ... in this order.
    pub groups: Vec<PlannedGroup>,
}

impl PlannedFile {
    /// The predicted seconds of each job.
    pub fn job_seconds(&self) -> impl Iterator<Item = f64> + '_ {
        self.groups.iter().map(|g| self.fixed + g.cost)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub files: Vec<PlannedFile>,
    /// A limit no grouping meets, when there is one.
    pub unmet: Option<String>,
}

/// Plans every file together: the wall time is the longest job over all of them.
pub fn plan(inputs: &[FileInput], limits: &Limits) -> Plan {
    let mut files: Vec<PlannedFile> = inputs
        .iter()
        .map(|input| {
            let costs: Vec<f64> = input.units.iter().map(|u| u.cost).collect();
            // A new job repeats the setup and the start-up: a test is slow against both.
            let fixed = input.setup + input.overhead;
            let groups = groups::initial(&costs, fixed, limits.slow_threshold, &input.together);
            PlannedFile {
                path: input.path.clone(),
                fixed,
                groups: groups
                    .into_iter()
                    .map(|units| PlannedGroup {
                        cost: units.iter().map(|&u| costs[u]).sum(),
                        units,
                    })
                    .collect(),
            }
        })
        .collect();
    let unmet = merge::merge(&mut files, limits);
    Plan { files, unmet }
}

/// The longest predicted job.
pub fn wall(files: &[PlannedFile]) -> f64 {
    files
        .iter()
        .flat_map(PlannedFile::job_seconds)
        .fold(0.0, f64::max)
}

/// The sum of the predicted jobs.
pub fn machine(files: &[PlannedFile]) -> f64 {
    files.iter().flat_map(PlannedFile::job_seconds).sum()
}

#[cfg(test)]
mod tests;
