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
    diagnostics.extend(jobs_without_a_task(input.tests, rootdir, &project));
    diagnostics.extend(stale_tasks(rootdir, &project));
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
            .with_hint(format!(
                "add a task `{suite}/{name}/task.yaml` whose `execute` names `{file}` (see `fanout check --explain spread-no-task`)"
            )),
        );
    }
    out
}

fn stale_tasks(rootdir: &Path, project: &fanout_spread::SpreadProject) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for task in &project.tasks {
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
