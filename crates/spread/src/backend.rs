//! The `spread` backend: the spread tasks that run the selected jobs, one task name a line
//! (`tests/spread/test_charm.py`, the third field of a `spread -list` line), each once, so a
//! workflow keeps only those jobs of `spread -list`. A task whose `execute` names nothing fanout
//! can read is always listed: it may run any test, and a selection never leaves a test out. A
//! selected job that no task runs is an error (see `fanout check`'s `spread-no-task`).

use crate::{find, load, SpreadProject, Task};
use fanout_core::{
    Backend, BackendError, BackendRegistration, Diagnostic, Matrix, MatrixEntry, OutputContext,
};
use std::collections::BTreeSet;
use std::path::Path;

pub struct SpreadBackend;

static BACKEND: SpreadBackend = SpreadBackend;

inventory::submit! {
    BackendRegistration {
        name: "spread",
        summary: "spread: the task names that run the selected jobs, one a line",
        backend: &BACKEND,
    }
}

/// The keys of `[tool.fanout.spread]`: the template task `check --fix` writes tasks from, the
/// suite folder it writes them into, per test file the exclusions of its tasks, and the folders
/// of the tests the suite runs.
pub const OPTIONS: [&str; 4] = ["template-file", "folder", "tasks", "paths"];

/// `paths` in `[tool.fanout.spread]`: the folders of the tests the suite runs, when given.
pub fn configured_paths(options: &fanout_core::BackendOptions) -> Option<Vec<String>> {
    options
        .get("paths")
        .and_then(|v| v.as_array())
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect()
        })
}

/// The keys of a `[tool.fanout.spread.tasks."<test file>"]` table: spread's own task keys.
pub const TASK_KEYS: [&str; 3] = ["variants", "backends", "systems"];

impl Backend for SpreadBackend {
    fn check_options(&self, options: &fanout_core::BackendOptions) -> Result<(), BackendError> {
        for (key, value) in options {
            if !OPTIONS.contains(&key.as_str()) {
                return Err(BackendError::InvalidOption {
                    key: key.clone(),
                    message: format!("not a spread setting (they are {})", OPTIONS.join(", ")),
                });
            }
            if key == "tasks" {
                check_tasks_table(value)?;
            } else if key == "paths" {
                let strings = value
                    .as_array()
                    .is_some_and(|items| items.iter().all(serde_json::Value::is_string));
                if !strings {
                    return Err(BackendError::InvalidOption {
                        key: key.clone(),
                        message: "expected a list of folders".to_owned(),
                    });
                }
            } else if !value.is_string() {
                return Err(BackendError::InvalidOption {
                    key: key.clone(),
                    message: "expected a path (a string)".to_owned(),
                });
            }
        }
        Ok(())
    }

    fn write(
        &self,
        matrix: &Matrix,
        _diagnostics: &[Diagnostic],
        ctx: &mut OutputContext<'_>,
    ) -> Result<(), BackendError> {
        let Some(file) = find(ctx.rootdir) else {
            return Err(BackendError::Unsupported(format!(
                "no spread.yaml in {} or a folder above it: the spread backend lists the tasks of a spread suite",
                ctx.rootdir.display()
            )));
        };
        let project = load(&file).map_err(|e| BackendError::Unsupported(e.to_string()))?;
        let scope = project.scope(configured_paths(ctx.options));
        let names = task_names(matrix, ctx.rootdir, &project, &scope)?;
        let mut text = String::new();
        for name in names {
            text.push_str(name);
            text.push('\n');
        }
        ctx.write_main(&text)
    }
}

/// `tasks`: a table of test file -> a table of `variants`, `backends`, `systems`, each a list of
/// strings (`-juju29`, `+lxd-vm`, `ubuntu-24.04`).
fn check_tasks_table(value: &serde_json::Value) -> Result<(), BackendError> {
    let invalid = |message: String| BackendError::InvalidOption {
        key: "tasks".to_owned(),
        message,
    };
    let files = value
        .as_object()
        .ok_or_else(|| invalid("expected a table of test files".to_owned()))?;
    for (file, keys) in files {
        let keys = keys
            .as_object()
            .ok_or_else(|| invalid(format!("`{file}`: expected a table")))?;
        for (key, list) in keys {
            if !TASK_KEYS.contains(&key.as_str()) {
                return Err(invalid(format!(
                    "`{file}`: `{key}` is not one of {}",
                    TASK_KEYS.join(", ")
                )));
            }
            let strings = list
                .as_array()
                .is_some_and(|items| items.iter().all(serde_json::Value::is_string));
            if !strings {
                return Err(invalid(format!(
                    "`{file}`: `{key}` must be a list of strings, as in task.yaml"
                )));
            }
        }
    }
    Ok(())
}

/// The names of the tasks that run `matrix`'s jobs, sorted, each once; an error naming the
/// first job no task runs.
pub fn task_names<'p>(
    matrix: &Matrix,
    rootdir: &Path,
    project: &'p SpreadProject,
    scope: &[String],
) -> Result<BTreeSet<&'p str>, BackendError> {
    let mut names: BTreeSet<&str> = project
        .tasks
        .iter()
        .filter(|t| t.runs.is_empty())
        .map(|t| t.name.as_str())
        .collect();
    if matrix.entries.is_empty() {
        return Ok(BTreeSet::new());
    }
    for entry in &matrix.entries {
        // A test file outside the suite's folders (unit tests beside the integration tests) is
        // not spread's to run.
        let in_scope = rootdir
            .join(&entry.path_to_test_file)
            .strip_prefix(&project.root)
            .is_ok_and(|p| SpreadProject::in_scope(scope, &p.to_string_lossy().replace('\\', "/")));
        if !in_scope {
            continue;
        }
        let running: Vec<&Task> = project
            .tasks
            .iter()
            .filter(|task| overlaps(task, entry, rootdir, &project.root))
            .collect();
        if running.is_empty() {
            return Err(BackendError::Unsupported(format!(
                "job `{}` is run by no spread task: add one (`fanout check` names the test files no task runs)",
                entry.job_name
            )));
        }
        names.extend(running.iter().map(|t| t.name.as_str()));
    }
    Ok(names)
}

/// Whether `task` runs any of `entry`'s tests.
pub fn overlaps(task: &Task, entry: &MatrixEntry, rootdir: &Path, root: &Path) -> bool {
    let Ok(file) = rootdir
        .join(&entry.path_to_test_file)
        .strip_prefix(root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
    else {
        return false;
    };
    entry.node_ids.iter().any(|id| {
        let rest = id
            .strip_prefix(entry.path_to_test_file.as_str())
            .unwrap_or("");
        let node_id = format!("{file}{rest}");
        task.runs(&file, &node_id)
            || task.runs.iter().any(|named| {
                named
                    .strip_prefix(node_id.as_str())
                    .is_some_and(|r| r.starts_with("::") || r.starts_with('['))
            })
    })
}
