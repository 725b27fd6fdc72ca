//! Where a spread suite runs the tests (`spread.yaml` at the rootdir or above): every job of the
//! matrix needs a task that runs its tests, and every test path a task names must exist.

use crate::{relative, CheckInput};
use fanout_core::{Code, Diagnostic, GroupId, TestItem};
use std::collections::BTreeMap;
use std::path::Path;

pub fn check(input: &CheckInput<'_>) -> Vec<Diagnostic> {
    let rootdir = &input.config.rootdir;
    let Some(file) = fanout_spread::find(rootdir) else {
        return Vec::new();
    };
    let project = match fanout_spread::load(&file) {
        Ok(project) => project,
        Err(e) => {
            return vec![
                Diagnostic::error(Code::ConfigError, relative(&file, rootdir), e.reason())
                    .with_hint("fix the YAML, or the task it names"),
            ]
        }
    };
    let mut diagnostics = Vec::new();
    let fixes = input
        .settings
        .backends
        .get("spread")
        .is_some_and(|t| t.values.contains_key("template-file"));
    let options = input
        .settings
        .backends
        .get("spread")
        .map(|t| t.values.clone().into_iter().collect())
        .unwrap_or_default();
    let scope = project.scope(fanout_spread::backend::configured_paths(&options));
    diagnostics.extend(jobs_without_a_task(
        input.tests,
        rootdir,
        &project,
        fixes,
        &scope,
    ));
    diagnostics.extend(stale_tasks(rootdir, &project));
    diagnostics.extend(stale_generated(input));
    diagnostics
}

/// `rel` (relative to the rootdir) relative to the spread project's root, `/`-separated.
fn in_project(rel: &str, rootdir: &Path, root: &Path) -> Option<String> {
    let abs = rootdir.join(rel);
    let below = abs.strip_prefix(root).ok()?;
    Some(below.to_string_lossy().replace('\\', "/"))
}

fn jobs_without_a_task(
    tests: &[TestItem],
    rootdir: &Path,
    project: &fanout_spread::SpreadProject,
    fixes: bool,
    scope: &[String],
) -> Vec<Diagnostic> {
    let mut jobs: BTreeMap<(&str, Option<&GroupId>), Vec<&TestItem>> = BTreeMap::new();
    for test in tests {
        jobs.entry((&test.path, test.group.as_ref()))
            .or_default()
            .push(test);
    }
    let several_groups = |path: &str| {
        jobs.keys()
            .filter(|(p, g)| *p == path && g.is_some())
            .count()
            > 1
    };
    let mut out = Vec::new();
    for ((path, group), members) in &jobs {
        let Some(file) = in_project(path, rootdir, &project.root) else {
            continue;
        };
        if !fanout_spread::SpreadProject::in_scope(scope, &file) {
            continue;
        }
        let uncovered = members.iter().find(|t| {
            let node_id = format!("{file}{}", &t.node_id[path.len()..]);
            !project.tasks.iter().any(|task| task.runs(&file, &node_id))
        });
        let Some(test) = uncovered else {
            continue;
        };
        let what = match group {
            Some(id) if several_groups(path) => format!("group {} of this file", id.quoted()),
            _ => "this test file".to_owned(),
        };
        let name = file.rsplit('/').next().unwrap_or(&file);
        let suite = project
            .tasks
            .first()
            .and_then(|t| t.name.rsplit_once('/'))
            .map_or("tests/spread", |(suite, _)| suite);
        out.push(
            Diagnostic::error(
                Code::SpreadNoTask,
                *path,
                format!(
                    "no spread task runs {what} (`{}`): spread would never run it in CI",
                    test.node_id
                ),
            )
            .at(test.line, 1)
            .with_source_line(&*test.def_line)
            .with_hint(if fixes {
                "`fanout check --fix` writes a task for it from `template-file` in [tool.fanout.spread]".to_owned()
            } else {
                format!(
                    "add a task `{suite}/{name}/task.yaml` whose `execute` names `{file}`, or set `template-file` in [tool.fanout.spread] for `fanout check --fix` to write one (see docs/spread.md)"
                )
            }),
        );
    }
    out
}

fn stale_tasks(rootdir: &Path, project: &fanout_spread::SpreadProject) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for task in project.tasks.iter().filter(|t| t.generated.is_none()) {
        for named in &task.runs {
            let file = named.split_once("::").map_or(named.as_str(), |(f, _)| f);
            if project.root.join(file).exists() {
                continue;
            }
            out.push(
                Diagnostic::error(
                    Code::SpreadStaleTask,
                    relative(&task.file, rootdir),
                    format!(
                        "task `{}` runs `{named}`, which does not exist: it fails only when it runs",
                        task.name
                    ),
                )
                .at(task.execute_line, 1)
                .with_hint("point `execute` (or its environment) at the test's new path, or remove the task folder"),
            );
        }
    }
    out
}

/// What `check --fix` does to the spread suite: tasks to write (new or updated) and generated
/// tasks to remove, with their text as read.
#[derive(Debug, Default)]
pub struct TaskPlan {
    pub writes: Vec<fanout_core::files::FileEdit>,
    pub removals: Vec<fanout_core::files::FileEdit>,
}

/// The generated tasks the matrix needs (`None` without a spread suite or a template): one per
/// job no hand-written task runs; generated tasks no job needs are removed.
pub fn plan_tasks(input: &CheckInput<'_>) -> Result<Option<TaskPlan>, String> {
    let rootdir = &input.config.rootdir;
    let Some(file) = fanout_spread::find(rootdir) else {
        return Ok(None);
    };
    let options = input
        .settings
        .backends
        .get("spread")
        .map(|t| t.values.clone())
        .unwrap_or_default();
    let Some(template_file) = options.get("template-file").and_then(|v| v.as_str()) else {
        return Ok(None);
    };
    let project = fanout_spread::load(&file).map_err(|e| e.to_string())?;
    let backend_options: fanout_core::BackendOptions = options.clone().into_iter().collect();
    let scope = project.scope(fanout_spread::backend::configured_paths(&backend_options));
    let template = fanout_spread::generate::read_template(&rootdir.join(template_file))?;
    let folder = match options.get("folder").and_then(|v| v.as_str()) {
        Some(folder) => format!("{}/", folder.trim_end_matches('/')),
        None => project
            .tasks
            .first()
            .map(|t| t.suite.clone())
            .unwrap_or_else(|| "tests/spread/".to_owned()),
    };
    let all_files: fanout_core::matrix::FileSet =
        input.tests.iter().map(|t| t.path.clone()).collect();
    let (matrix, _) = fanout_core::matrix::build(
        input.tests,
        fanout_core::matrix::MatrixOptions {
            ungrouped: input.settings.ungrouped,
            complete_files: Some(&all_files),
        },
    );
    let several_groups = |path: &str| {
        matrix
            .entries
            .iter()
            .filter(|e| e.path_to_test_file == path && e.group_id.is_some())
            .count()
            > 1
    };
    // The job each generated task should be, by the task file's path.
    let mut wanted: BTreeMap<std::path::PathBuf, String> = BTreeMap::new();
    let mut folders: BTreeMap<String, usize> = BTreeMap::new();
    let mut jobs = Vec::new();
    for entry in &matrix.entries {
        let by_hand = project.tasks.iter().any(|task| {
            task.generated.is_none()
                && fanout_spread::backend::overlaps(task, entry, rootdir, &project.root)
        });
        if by_hand {
            continue;
        }
        let Some(test_file) = in_project(&entry.path_to_test_file, rootdir, &project.root) else {
            continue;
        };
        if !fanout_spread::SpreadProject::in_scope(&scope, &test_file) {
            continue;
        }
        let group = several_groups(&entry.path_to_test_file)
            .then_some(entry.group_id.as_deref())
            .flatten();
        let name = fanout_spread::generate::folder_name(&test_file, group);
        *folders.entry(name.clone()).or_default() += 1;
        jobs.push((entry, test_file, group, name));
    }
    for (entry, test_file, group, name) in jobs {
        // Two files of one name in different folders: the path tells them apart.
        let name = if folders.get(&name).copied().unwrap_or(0) > 1 {
            fanout_spread::generate::folder_name(&test_file.replace('/', "-"), group)
        } else {
            name
        };
        let node_ids = entry
            .arguments()
            .map(|id| {
                let rest = id
                    .strip_prefix(entry.path_to_test_file.as_str())
                    .unwrap_or("");
                format!("{test_file}{rest}")
            })
            .collect();
        let exclusions = options
            .get("tasks")
            .and_then(|t| t.get(entry.path_to_test_file.as_str()))
            .and_then(|t| t.as_object())
            .map(|t| t.clone().into_iter().collect())
            .unwrap_or_default();
        let job = fanout_spread::generate::Job {
            exclusions,
            name: entry.job_name.clone(),
            test_file: test_file.clone(),
            group_id: entry.group_id.clone(),
            node_ids,
            runner: entry.runner.as_ref().map(|r| match r {
                fanout_core::Runner::Label(l) => vec![l.clone()],
                fanout_core::Runner::Labels(ls) => ls.clone(),
            }),
        };
        let text = fanout_spread::generate::task_text(&job, &template)?;
        wanted.insert(
            project.root.join(&folder).join(&name).join("task.yaml"),
            text,
        );
    }
    let mut plan = TaskPlan::default();
    let rel = |path: &Path| relative(path, rootdir);
    for (path, text) in &wanted {
        let existing = project.tasks.iter().find(|t| t.file == *path);
        match existing {
            // A hand-written task sits where the generated one would: left alone, and the job
            // stays reported.
            Some(task) if task.generated.is_none() => {}
            Some(task) if task.generated.as_deref() == Some(text.as_str()) => {}
            Some(task) => plan.writes.push(fanout_core::files::FileEdit {
                path: path.clone(),
                rel: rel(path),
                before: task.generated.clone(),
                after: text.clone(),
            }),
            None => plan.writes.push(fanout_core::files::FileEdit {
                path: path.clone(),
                rel: rel(path),
                before: None,
                after: text.clone(),
            }),
        }
    }
    for task in &project.tasks {
        if let Some(text) = &task.generated {
            if !wanted.contains_key(&task.file) {
                plan.removals.push(fanout_core::files::FileEdit {
                    path: task.file.clone(),
                    rel: rel(&task.file),
                    before: Some(text.clone()),
                    after: String::new(),
                });
            }
        }
    }
    Ok(Some(plan))
}

/// Generated tasks that no longer match their job (or whose job is gone): `spread-stale-task`.
pub fn stale_generated(input: &CheckInput<'_>) -> Vec<Diagnostic> {
    let Ok(Some(plan)) = plan_tasks(input) else {
        return Vec::new();
    };
    let updates = plan.writes.iter().filter(|e| e.before.is_some());
    let mut out: Vec<Diagnostic> = updates
        .map(|edit| {
            Diagnostic::error(
                Code::SpreadStaleTask,
                edit.rel.clone(),
                "this generated task no longer matches its job",
            )
            .at(1, 1)
            .with_hint("`fanout check --fix` updates it")
        })
        .collect();
    out.extend(plan.removals.iter().map(|edit| {
        Diagnostic::error(
            Code::SpreadStaleTask,
            edit.rel.clone(),
            "this generated task runs no job of the matrix any more",
        )
        .at(1, 1)
        .with_hint("`fanout check --fix` removes it")
    }));
    out
}
