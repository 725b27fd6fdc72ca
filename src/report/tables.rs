//! The two tables every rendered report shows, as text: the slowest jobs and the slowest
//! tests. Each format escapes the names (they come from the repository) its own way; the
//! other cells are fanout's own figures.

use super::{duration, percent, word, Report};

pub struct Table<'r> {
    pub header: [&'static str; 5],
    pub rows: Vec<Row<'r>>,
}

/// A job or test, then three figures (numbers, aligned right) and a word; `None` where the
/// input did not measure it (setup phases), each format showing that its own way.
pub struct Row<'r> {
    pub name: &'r str,
    pub figures: [Option<String>; 4],
}

impl Row<'_> {
    /// The figures, with `missing` where there is none.
    pub fn shown(&self, missing: &str) -> [String; 4] {
        self.figures
            .clone()
            .map(|figure| figure.unwrap_or_else(|| missing.to_owned()))
    }
}

/// The `top` slowest jobs.
pub fn slowest_jobs(report: &Report, top: usize) -> Table<'_> {
    let rows = report.jobs.iter().take(top).map(|j| Row {
        name: &j.job_name,
        figures: [
            Some(duration(j.seconds)),
            j.setup_share.map(percent),
            Some(j.tests.to_string()),
            Some(word(j.status)),
        ],
    });
    Table {
        header: ["Slowest jobs", "Time", "Setup share", "Tests", "Status"],
        rows: rows.collect(),
    }
}

/// The slowest tests, with their setup and call phases where the input had them.
pub fn slowest_tests(report: &Report) -> Table<'_> {
    let rows = report.slowest_tests.iter().map(|t| Row {
        name: &t.node_id,
        figures: [
            Some(duration(t.seconds)),
            t.setup.map(duration),
            t.call.map(duration),
            Some(word(t.outcome)),
        ],
    });
    Table {
        header: ["Slowest tests", "Time", "Setup", "Call", "Outcome"],
        rows: rows.collect(),
    }
}

/// The runs, oldest first: when, how many jobs (and failed ones), wall and machine time.
pub fn trend(report: &Report) -> Table<'_> {
    let rows = report
        .runs
        .iter()
        .map(|r| Row {
            name: &r.source,
            figures: [
                Some(super::utc_minute(r.start)),
                Some(if r.failed_jobs == 0 {
                    r.jobs.to_string()
                } else {
                    format!("{} ({} failed)", r.jobs, r.failed_jobs)
                }),
                Some(duration(r.wall_seconds)),
                Some(duration(r.machine_seconds)),
            ],
        })
        .collect();
    Table {
        header: ["run", "started (UTC)", "jobs", "wall", "machine"],
        rows,
    }
}
