//! Property tests: no input makes a timings reader panic, and what a reader accepts is a run
//! (finite, non-negative times) or an error naming what is wrong.

use crate::{allure, durations, junit, JobTiming, Timings};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

const JUNIT: &str = r#"<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="0" failures="1" skipped="0" tests="2" time="3.5" timestamp="2026-12-01T10:00:00.000000+00:00" hostname="h"><testcase classname="tests.test_a" name="test_x[1]" time="1.25"><failure message="x">boom</failure></testcase><testcase classname="tests.test_a.TestB" name="test_y" file="tests/test_a.py" time="2.0"><skipped message="s"/></testcase></testsuite></testsuites>"#;

/// A test's result and its function fixture's container, as allure-pytest 2.16.2 wrote them
/// (see `allure/tests.rs`).
const ALLURE_RESULT: &str =
    include_str!("../tests/data/allure/two_runs/16ba40d1-8ee2-4cee-ad27-d07fe509836b-result.json");
const ALLURE_CONTAINER: &str = include_str!(
    "../tests/data/allure/two_runs/1f7f6410-fbe5-41b8-9464-e4a12ecc8b8c-container.json"
);

fn allure_jobs(result: &str, container: &str) -> Option<Vec<JobTiming>> {
    let files = vec![
        (PathBuf::from("a-result.json"), result.to_owned()),
        (PathBuf::from("b-container.json"), container.to_owned()),
    ];
    allure::jobs_of(Path::new("results"), files, &|_| false).ok()
}

/// Deletes, duplicates or inserts characters of `base` at random places.
fn mutated(base: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<char>()), 0..12).prop_map(
        move |edits| {
            let mut chars: Vec<char> = base.chars().collect();
            for (at, kind, c) in edits {
                if chars.is_empty() {
                    chars.push(c);
                    continue;
                }
                let i = at.index(chars.len());
                match kind {
                    0 => {
                        chars.remove(i);
                    }
                    1 => chars.insert(i, chars[i]),
                    _ => chars.insert(i, c),
                }
            }
            chars.into_iter().collect()
        },
    )
}

/// Each time a reader accepted is a number of seconds; a job whose sums run off (two tests of
/// 1e308 s) is refused by the check every input goes through before a report or plan.
fn times_are_a_run(job: &JobTiming) -> Result<(), TestCaseError> {
    for test in &job.tests {
        for t in [test.setup, test.call, test.teardown] {
            prop_assert!(t.is_finite() && t >= 0.0, "{t}");
        }
    }
    if job.check_times().is_ok() {
        prop_assert!(job.start.is_finite() && job.end.is_finite() && job.end >= job.start);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn junit_never_panics_and_reads_only_real_times(text in mutated(JUNIT)) {
        if let Ok(job) = junit::read_job(&text, "job", &|rel| rel == "tests/test_a.py") {
            times_are_a_run(&job)?;
        }
    }

    #[test]
    fn junit_times_of_any_spelling(time in prop_oneof![
        Just("inf".to_owned()), Just("-0".to_owned()), Just("NaN".to_owned()),
        Just("1e400".to_owned()), Just("".to_owned()), "[-+0-9.eE]{0,12}",
    ]) {
        let text = JUNIT.replace("time=\"1.25\"", &format!("time=\"{time}\""));
        if let Ok(job) = junit::read_job(&text, "job", &|_| false) {
            times_are_a_run(&job)?;
        }
    }

    #[test]
    fn allure_never_panics_and_reads_only_real_times(
        result in mutated(ALLURE_RESULT),
        container in mutated(ALLURE_CONTAINER),
    ) {
        for job in allure_jobs(&result, &container).iter().flatten() {
            times_are_a_run(job)?;
        }
    }

    #[test]
    fn allure_times_of_any_value(time in prop_oneof![
        any::<f64>().prop_map(|f| f.to_string()), any::<i64>().prop_map(|i| i.to_string()),
        Just("1e400".to_owned()), Just("-1".to_owned()), Just("null".to_owned()),
        Just("\"3\"".to_owned()),
    ]) {
        let result = ALLURE_RESULT.replace("\"stop\": 1796645726703", &format!("\"stop\": {time}"));
        let container = ALLURE_CONTAINER.replace("\"stop\": 1796645726401", &format!("\"stop\": {time}"));
        for job in allure_jobs(&result, ALLURE_CONTAINER).iter().chain(&allure_jobs(ALLURE_RESULT, &container)).flatten() {
            times_are_a_run(job)?;
        }
    }

    #[test]
    fn durations_never_panic(entries in prop::collection::vec(
        ("[a-z/_.:]{0,12}", prop_oneof![
            any::<f64>().prop_map(|f| f.to_string()),
            Just("1e400".to_owned()), Just("-1".to_owned()), Just("\"3\"".to_owned()),
            Just("null".to_owned()),
        ]),
        0..6,
    )) {
        let body: Vec<String> = entries
            .iter()
            .map(|(id, value)| format!("{id:?}: {value}"))
            .collect();
        let text = format!("{{{}}}", body.join(", "));
        if let Ok(job) = durations::read_job(&text, "job") {
            times_are_a_run(&job)?;
        }
    }

    #[test]
    fn timings_files_never_panic(text in ".{0,300}") {
        if let Ok(timings) = Timings::from_json(&text) {
            for job in &timings.jobs {
                times_are_a_run(job)?;
            }
        }
    }
}

#[test]
fn the_allure_sample_reads_unmutated() {
    let jobs = allure_jobs(ALLURE_RESULT, ALLURE_CONTAINER).expect("reads");
    assert_eq!(jobs[0].tests[0].setup, 0.1);
}
