//! The measurements `report` and `plan` read: timings files (`fanout run --timings`), JUnit XML
//! (one file per CI job) and pytest-split's `.test_durations`, merged into one [`Timings`].

use crate::pipeline::Failure;
use fanout_timings::{durations, junit, Phases, Timings};
use std::path::{Path, PathBuf};

/// The files given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub timings: Vec<PathBuf>,
    pub junit: Vec<PathBuf>,
    pub durations: Vec<PathBuf>,
}

/// Every job of every file; [`Phases::TotalOnly`] when any file lacks setup phases. JUnit
/// class names are split into module and class where `root/<module path>.py` is a file.
pub fn load(sources: &Sources, root: &Path) -> Result<(Timings, Phases), Failure> {
    refuse_repeats(sources)?;
    let mut all = Timings::new(env!("CARGO_PKG_VERSION"));
    let mut phases = Phases::Split;
    for path in &sources.timings {
        if !path.exists() {
            return Err(Failure::Input {
                path: path.clone(),
                message: format!("no timings file {}", path.display()),
                hint: "measure first with `fanout run --all --timings timings.json`, or pass --timings FILE, --junit FILE... (pytest --junitxml) or --durations .test_durations".to_owned(),
            });
        }
        let timings = Timings::read(path).map_err(|e| Failure::Input {
            path: path.clone(),
            message: format!("cannot read timings from {}: {e}", path.display()),
            hint: "pass a file written by `fanout run --timings`; for JUnit XML use --junit, for .test_durations --durations".to_owned(),
        })?;
        all.jobs.extend(timings.jobs);
    }
    let is_file = |rel: &str| root.join(rel).is_file();
    for path in &sources.junit {
        let text = read(path, "--junit")?;
        let name = path.display().to_string();
        let job = junit::read_job(&text, &name, &is_file).map_err(|e| Failure::Input {
            path: path.clone(),
            message: format!("cannot read JUnit XML from {}: {e}", path.display()),
            hint: "pass the file pytest wrote with --junitxml".to_owned(),
        })?;
        check(&job, path)?;
        all.jobs.push(job);
        phases = Phases::TotalOnly;
    }
    for path in &sources.durations {
        let text = read(path, "--durations")?;
        let name = path.display().to_string();
        let job = durations::read_job(&text, &name).map_err(|e| Failure::Input {
            path: path.clone(),
            message: format!("cannot read {}: {e}", path.display()),
            hint: "pass the .test_durations file pytest-split writes with --store-durations"
                .to_owned(),
        })?;
        check(&job, path)?;
        all.jobs.push(job);
        phases = Phases::TotalOnly;
    }
    Ok((all, phases))
}

/// A JUnit or `.test_durations` job's times, checked as a timings file's are.
fn check(job: &fanout_timings::JobTiming, path: &Path) -> Result<(), Failure> {
    job.check_times().map_err(|e| Failure::Input {
        path: path.to_owned(),
        message: format!("{}: {e}", path.display()),
        hint: "the file holds times no run can have: measure again, or leave it out".to_owned(),
    })
}

/// One file given twice (under one name or two) would count its jobs twice: "2.0x faster".
fn refuse_repeats(sources: &Sources) -> Result<(), Failure> {
    use std::os::unix::fs::MetadataExt as _;
    let mut seen: std::collections::HashMap<(u64, u64), &Path> = Default::default();
    let all = sources
        .timings
        .iter()
        .chain(&sources.junit)
        .chain(&sources.durations);
    for path in all {
        let Ok(meta) = std::fs::metadata(path) else {
            continue; // Reported as missing where it is read.
        };
        if let Some(first) = seen.insert((meta.dev(), meta.ino()), path) {
            return Err(Failure::Input {
                path: path.clone(),
                message: format!(
                    "{} is given twice{}: its jobs would count twice",
                    first.display(),
                    if first == path.as_path() {
                        String::new()
                    } else {
                        format!(" (also as {})", path.display())
                    }
                ),
                hint: "give each file once".to_owned(),
            });
        }
    }
    Ok(())
}

fn read(path: &Path, option: &str) -> Result<String, Failure> {
    fanout_core::files::read_to_string(path).map_err(|e| Failure::Input {
        path: path.to_owned(),
        message: format!("cannot read {}: {e}", path.display()),
        hint: format!("check the path given to {option}"),
    })
}
