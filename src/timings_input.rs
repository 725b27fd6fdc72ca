//! The measurements `report` and `plan` read, as runs of the suite
//! ([`fanout_timings::runs`]): a timings file (`fanout run --timings`) is one run; the JUnit XML
//! files given as files (one per CI job) are one run together, and each folder given to
//! `--junit` is one run (every `*.xml` below it: one CI run's downloaded artifacts); a
//! `.test_durations` file is one run; an allure-pytest results folder is one run.

use crate::pipeline::Failure;
use fanout_timings::runs::{self, Run};
use fanout_timings::{allure, durations, junit, JobTiming, Phases, Timings};
use std::path::{Path, PathBuf};

/// The files given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub timings: Vec<PathBuf>,
    /// Files (one run together) and folders (a run each).
    pub junit: Vec<PathBuf>,
    pub durations: Vec<PathBuf>,
    /// allure-pytest results folders, a run each.
    pub allure: Vec<PathBuf>,
    /// How many of the newest runs count.
    pub history: usize,
}

/// The runs read, oldest first, each once.
pub struct Loaded {
    pub runs: Vec<Run>,
    /// What was left out and why (repeated runs, runs beyond the history).
    pub notes: Vec<String>,
}

/// Every run of the sources. JUnit class names are split into module and class where
/// `root/<module path>.py` is a file.
pub fn load(sources: &Sources, root: &Path) -> Result<Loaded, Failure> {
    let mut all = Vec::new();
    for path in &sources.timings {
        all.push(timings_run(path)?);
    }
    let is_file = |rel: &str| root.join(rel).is_file();
    let (dirs, files): (Vec<&PathBuf>, Vec<&PathBuf>) =
        sources.junit.iter().partition(|p| p.is_dir());
    if !files.is_empty() {
        let jobs = files
            .iter()
            .map(|path| junit_job(path, &is_file))
            .collect::<Result<Vec<_>, _>>()?;
        let label = if files.len() == 1 {
            files[0].display().to_string()
        } else {
            format!("the {} JUnit files", files.len())
        };
        all.push(Run {
            label,
            jobs,
            phases: Phases::TotalOnly,
        });
    }
    for dir in dirs {
        let mut found = Vec::new();
        xml_files(dir, &mut found).map_err(|e| Failure::Input {
            path: dir.clone(),
            message: format!("cannot read the folder {}: {e}", dir.display()),
            hint: "pass a folder of JUnit XML files (one CI run's artifacts)".to_owned(),
        })?;
        if found.is_empty() {
            return Err(Failure::Input {
                path: dir.clone(),
                message: format!("no *.xml file in {}", dir.display()),
                hint: "pass a folder holding one CI run's JUnit XML files (pytest --junitxml)"
                    .to_owned(),
            });
        }
        found.sort();
        let jobs = found
            .iter()
            .map(|path| junit_job(path, &is_file))
            .collect::<Result<Vec<_>, _>>()?;
        all.push(Run {
            label: dir.display().to_string(),
            jobs,
            phases: Phases::TotalOnly,
        });
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
        all.push(Run {
            label: name,
            jobs: vec![job],
            phases: Phases::TotalOnly,
        });
    }
    for dir in &sources.allure {
        let jobs = allure::read_dir(dir, &is_file).map_err(|e| Failure::Input {
            path: dir.clone(),
            message: format!("cannot read allure results from {}: {e}", dir.display()),
            hint: "pass the folder pytest wrote with --alluredir (allure-pytest)".to_owned(),
        })?;
        all.push(Run {
            label: dir.display().to_string(),
            jobs,
            phases: Phases::Split,
        });
    }
    let (runs, notes) = runs::arrange(all, sources.history);
    Ok(Loaded { runs, notes })
}

fn timings_run(path: &Path) -> Result<Run, Failure> {
    if !path.exists() {
        return Err(Failure::Input {
            path: path.to_owned(),
            message: format!("no timings file {}", path.display()),
            hint: "measure first with `fanout run --all --timings timings.json`, or pass --timings FILE, --junit FILE|DIR... (pytest --junitxml) or --durations .test_durations".to_owned(),
        });
    }
    let timings = Timings::read(path).map_err(|e| Failure::Input {
        path: path.to_owned(),
        message: format!("cannot read timings from {}: {e}", path.display()),
        hint: "pass a file written by `fanout run --timings`; for JUnit XML use --junit, for .test_durations --durations".to_owned(),
    })?;
    Ok(Run {
        label: path.display().to_string(),
        jobs: timings.jobs,
        phases: Phases::Split,
    })
}

fn junit_job(path: &Path, is_file: &dyn Fn(&str) -> bool) -> Result<JobTiming, Failure> {
    let text = read(path, "--junit")?;
    let name = path.display().to_string();
    let job = junit::read_job(&text, &name, is_file).map_err(|e| Failure::Input {
        path: path.to_owned(),
        message: format!("cannot read JUnit XML from {}: {e}", path.display()),
        hint: "pass the file pytest wrote with --junitxml".to_owned(),
    })?;
    check(&job, path)?;
    Ok(job)
}

/// Every `*.xml` file below `dir`, symlinks not followed.
fn xml_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            xml_files(&path, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "xml") {
            out.push(path);
        }
    }
    Ok(())
}

/// A JUnit or `.test_durations` job's times, checked as a timings file's are.
fn check(job: &JobTiming, path: &Path) -> Result<(), Failure> {
    job.check_times().map_err(|e| Failure::Input {
        path: path.to_owned(),
        message: format!("{}: {e}", path.display()),
        hint: "the file holds times no run can have: measure again, or leave it out".to_owned(),
    })
}

fn read(path: &Path, option: &str) -> Result<String, Failure> {
    fanout_core::files::read_to_string(path).map_err(|e| Failure::Input {
        path: path.to_owned(),
        message: format!("cannot read {}: {e}", path.display()),
        hint: format!("check the path given to {option}"),
    })
}
