//! JUnit XML, as pytest's `--junitxml` writes it, read into a [`JobTiming`]: one file is one job.
//!
//! pytest reports one `time` per test, by default (`junit_duration_report = "total"`) the sum
//! of setup, call and teardown: it is read as `call`, with `setup` and `teardown` zero, so a
//! reader cannot tell a module fixture's setup from the test (see [`crate::Phases`]). Node ids
//! are rebuilt from `classname` (the dotted module path, then the classes) and `name`; the
//! `file` attribute (`junit_family = "xunit1"`) or `is_file` tells where the module path ends.

use crate::{JobStatus, JobTiming, Outcome, TestTiming};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

#[derive(Debug, thiserror::Error)]
pub enum JunitError {
    #[error("not well-formed XML at byte {position}: {message}")]
    Xml { position: u64, message: String },
    #[error("no <testsuite> element: is this a JUnit XML file (pytest --junitxml)?")]
    NoSuite,
    #[error("{element} has time=\"{value}\": not a number of seconds (0 or more)")]
    Time { element: String, value: String },
}

/// A `time` attribute: absent is 0; anything but a finite number, 0 or more, is an error
/// (`inf`, `NaN`, `-3`), never silently 0.
fn seconds_of(element: &BytesStart<'_>, what: impl FnOnce() -> String) -> Result<f64, JunitError> {
    let Some(text) = attr(element, "time") else {
        return Ok(0.0);
    };
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|t| t.is_finite() && *t >= 0.0)
        .ok_or_else(|| JunitError::Time {
            element: what(),
            value: text,
        })
}

/// The job a JUnit file describes, named `job_name`. `is_file(rel)` says whether a
/// `/`-separated path relative to the rootdir is a file, to split `classname`.
pub fn read_job(
    xml: &str,
    job_name: &str,
    is_file: &dyn Fn(&str) -> bool,
) -> Result<JobTiming, JunitError> {
    let mut reader = Reader::from_str(xml);
    let mut suites = 0usize;
    let mut start: Option<f64> = None;
    let mut seconds = 0.0;
    let mut tests: Vec<TestTiming> = Vec::new();
    let mut open_case = false;
    loop {
        let event = reader.read_event().map_err(|e| JunitError::Xml {
            position: reader.error_position(),
            message: e.to_string(),
        })?;
        let (element, empty) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) if e.name().into_inner() == "testcase" => {
                open_case = false;
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match element.name().into_inner() {
            "testsuite" => {
                suites += 1;
                seconds += seconds_of(element, || "a <testsuite>".to_owned())?;
                if start.is_none() {
                    start = attr(element, "timestamp").and_then(|t| parse_timestamp(&t));
                }
            }
            "testcase" => {
                tests.push(test_case(element, is_file)?);
                open_case = !empty;
            }
            "failure" | "error" | "skipped" if open_case => {
                if let Some(test) = tests.last_mut() {
                    test.outcome = child_outcome(element, test.outcome);
                }
            }
            _ => {}
        }
    }
    if suites == 0 {
        return Err(JunitError::NoSuite);
    }
    let start = start.unwrap_or(0.0);
    let mut files = tests.iter().map(|t| crate::file_of(&t.node_id));
    let first = files.next();
    let one_file = first.filter(|f| files.all(|g| g == *f)).map(str::to_owned);
    let status = if tests.iter().any(|t| t.outcome == Outcome::Error) {
        JobStatus::Error
    } else if tests.iter().any(|t| t.outcome == Outcome::Failed) {
        JobStatus::Failed
    } else {
        JobStatus::Passed
    };
    Ok(JobTiming {
        job_name: job_name.to_owned(),
        artifact_group_id: job_name.to_owned(),
        path_to_test_file: one_file,
        group_id: serde_json::Value::Null,
        start,
        end: start + seconds,
        status,
        exit_code: None,
        tests,
    })
}

fn attr(element: &BytesStart<'_>, name: &str) -> Option<String> {
    let found = element.try_get_attribute(name).ok()??;
    Some(
        found
            .normalized_value(XmlVersion::Implicit1_0)
            .ok()?
            .into_owned(),
    )
}

fn test_case(
    element: &BytesStart<'_>,
    is_file: &dyn Fn(&str) -> bool,
) -> Result<TestTiming, JunitError> {
    let classname = attr(element, "classname").unwrap_or_default();
    let name = attr(element, "name").unwrap_or_default();
    let file = attr(element, "file");
    let node_id = node_id(&classname, &name, file.as_deref(), is_file);
    let call = seconds_of(element, || format!("test case `{node_id}`"))?;
    Ok(TestTiming {
        node_id,
        outcome: Outcome::Passed,
        start: None,
        setup: 0.0,
        call,
        teardown: 0.0,
    })
}

/// `failure` fails a test; `error` (setup or teardown) wins over everything; `skipped` is an
/// xfail when pytest says so.
fn child_outcome(element: &BytesStart<'_>, so_far: Outcome) -> Outcome {
    match element.name().into_inner() {
        "error" => Outcome::Error,
        "failure" if so_far != Outcome::Error => Outcome::Failed,
        "skipped" if so_far == Outcome::Passed => {
            if attr(element, "type").as_deref() == Some("pytest.xfail") {
                Outcome::Xfailed
            } else {
                Outcome::Skipped
            }
        }
        _ => so_far,
    }
}

/// `path::Class::name` from pytest's `classname` (`tests.test_db.TestX`) and `name`. The module
/// path is the longest dotted prefix that names a file (the `file` attribute, else `is_file`);
/// failing both, the trailing parts that start with a capital letter are taken as classes.
pub fn node_id(
    classname: &str,
    name: &str,
    file: Option<&str>,
    is_file: &dyn Fn(&str) -> bool,
) -> String {
    let parts: Vec<&str> = classname.split('.').filter(|p| !p.is_empty()).collect();
    let as_path = |n: usize| format!("{}.py", parts[..n].join("/"));
    let module_parts = file
        .map(|f| f.trim_end_matches(".py").split('/').count())
        .filter(|&n| n <= parts.len() && file == Some(as_path(n).as_str()))
        .or_else(|| (1..=parts.len()).rev().find(|&n| is_file(&as_path(n))))
        .unwrap_or_else(|| {
            let classes = parts
                .iter()
                .rev()
                .take_while(|p| p.starts_with(|c: char| c.is_ascii_uppercase()))
                .count();
            parts.len().saturating_sub(classes).max(1).min(parts.len())
        });
    if parts.is_empty() {
        return name.to_owned();
    }
    let mut id = as_path(module_parts);
    for class in &parts[module_parts..] {
        id.push_str("::");
        id.push_str(class);
    }
    id.push_str("::");
    id.push_str(name);
    id
}

/// Seconds since the Unix epoch of an ISO 8601 timestamp as pytest writes it
/// (`2026-11-27T18:03:17.619021+00:00`; older pytest: no offset, read as UTC).
pub fn parse_timestamp(text: &str) -> Option<f64> {
    let (date, time) = text.split_once('T')?;
    let mut ymd = date.splitn(3, '-').map(str::parse::<i64>);
    let (y, m, d) = (ymd.next()?.ok()?, ymd.next()?.ok()?, ymd.next()?.ok()?);
    let split = time
        .char_indices()
        .skip(1)
        .find(|(_, c)| matches!(c, '+' | '-' | 'Z'))
        .map_or(time.len(), |(i, _)| i);
    let (clock, zone) = time.split_at(split);
    let mut hms = clock.splitn(3, ':');
    let h: f64 = hms.next()?.parse().ok()?;
    let min: f64 = hms.next()?.parse().ok()?;
    let sec: f64 = hms.next().unwrap_or("0").parse().ok()?;
    let offset = match zone {
        "" | "Z" => 0.0,
        _ => {
            let sign = if zone.starts_with('-') { -1.0 } else { 1.0 };
            let (oh, om) = zone[1..].split_once(':').unwrap_or((&zone[1..], "0"));
            sign * (oh.parse::<f64>().ok()? * 3600.0 + om.parse::<f64>().ok()? * 60.0)
        }
    };
    #[allow(clippy::cast_precision_loss)] // days since 1970 fit an f64 exactly
    let days = days_from_civil(y, m, d) as f64;
    Some(days * 86400.0 + h * 3600.0 + min * 60.0 + sec - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests;
