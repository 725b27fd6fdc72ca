//! pytest-split's `.test_durations`: a JSON object of node id -> seconds (setup, call and
//! teardown together), with no jobs and no order. It is read as one sequential job, tests in
//! the file's order, each test's seconds as `call` (see [`crate::Phases::TotalOnly`]).

use crate::{JobStatus, JobTiming, Outcome, TestTiming};

#[derive(Debug, thiserror::Error)]
pub enum DurationsError {
    #[error("not a pytest-split durations file (a JSON object of node id -> seconds): {0}")]
    Json(#[source] serde_json::Error),
    #[error("the duration of {node_id:?} is not a number of seconds")]
    NotSeconds { node_id: String },
}

/// The one job a durations file describes, named `job_name`, starting at 0.
pub fn read_job(text: &str, job_name: &str) -> Result<JobTiming, DurationsError> {
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).map_err(DurationsError::Json)?;
    let mut tests = Vec::with_capacity(object.len());
    let mut clock = 0.0;
    for (node_id, value) in object {
        let Some(seconds) = value.as_f64().filter(|s| s.is_finite() && *s >= 0.0) else {
            return Err(DurationsError::NotSeconds { node_id });
        };
        tests.push(TestTiming {
            node_id,
            outcome: Outcome::Passed,
            start: Some(clock),
            setup: 0.0,
            call: seconds,
            teardown: 0.0,
        });
        clock += seconds;
    }
    Ok(JobTiming {
        job_name: job_name.to_owned(),
        artifact_group_id: job_name.to_owned(),
        path_to_test_file: None,
        group_id: serde_json::Value::Null,
        start: 0.0,
        end: clock,
        status: JobStatus::Passed,
        exit_code: None,
        tests,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_sequential_job() {
        let job =
            read_job(r#"{"t.py::a": 2.5, "t.py::b": 0.5}"#, ".test_durations").expect("parses");
        assert_eq!(job.duration(), 3.0);
        assert_eq!(job.tests[1].start, Some(2.5));
        assert_eq!(job.tests[1].total(), 0.5);
    }

    #[test]
    fn refuses_other_json() {
        assert!(matches!(read_job("[1]", "x"), Err(DurationsError::Json(_))));
        assert!(matches!(
            read_job(r#"{"t.py::a": "slow"}"#, "x"),
            Err(DurationsError::NotSeconds { .. })
        ));
    }
}
