//! `fanout report` and `fanout plan` on hand-made timings with known answers, and on JUnit XML
//! and allure results written by a real pytest.

mod allure;
mod bad_timings;
mod history;
pub mod plan;
mod plan_limits;
mod report;
mod round_trip;

use serde_json::{json, Value};

/// One job of a timings file: its name, start, and its tests as (node id, setup, call), run
/// back to back after one second of start-up.
pub struct Job<'a> {
    pub name: &'a str,
    pub file: &'a str,
    pub start: f64,
    pub status: &'a str,
    pub tests: &'a [(&'a str, f64, f64)],
}

pub fn job<'a>(name: &'a str, file: &'a str, tests: &'a [(&'a str, f64, f64)]) -> Job<'a> {
    Job {
        name,
        file,
        start: 1_764_266_400.0,
        status: "passed",
        tests,
    }
}

/// A timings document (docs/timings.md) of `jobs`.
pub fn timings(jobs: &[Job<'_>]) -> String {
    let jobs: Vec<Value> = jobs
        .iter()
        .map(|j| {
            let mut clock = j.start + 1.0;
            let tests: Vec<Value> = j
                .tests
                .iter()
                .map(|(id, setup, call)| {
                    let t = json!({"node_id": id, "outcome": "passed", "start": clock,
                                   "setup": setup, "call": call, "teardown": 0.0});
                    clock += setup + call;
                    t
                })
                .collect();
            json!({"job_name": j.name, "artifact_group_id": j.name.replace([' ', '|', '/'], "-"),
                   "path_to_test_file": j.file, "group_id": null, "start": j.start, "end": clock,
                   "status": j.status, "exit_code": 0, "tests": tests})
        })
        .collect();
    serde_json::to_string_pretty(
        &json!({"format": "fanout-timings", "version": 1, "fanout_version": "test", "jobs": jobs}),
    )
    .expect("serialises")
}
