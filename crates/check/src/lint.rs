//! Grouping rules beyond collection's: marks that put nothing in a group, marks the original
//! conftest ignores, ids it mishandles, and matrices larger than `max-jobs`.

use crate::registration::FileUses;
use crate::{relative, CheckInput};
use fanout_core::matrix::{self, MatrixOptions};
use fanout_core::{Code, Diagnostic, GroupId, TestItem};
use fanout_pytest::MarkTarget;
use std::collections::{BTreeMap, HashSet};

pub fn grouping(input: &CheckInput<'_>, files: &[FileUses]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Looked up once per group mark: a set, so a file of 100k tests is not 100k² comparisons.
    let collected: HashSet<(&str, u32)> = input
        .tests
        .iter()
        .map(|t| (t.path.as_str(), t.line))
        .collect();
    for file in files {
        marks(&collected, file, &mut out);
    }
    ids(input.tests, files, &mut out);
    dependencies(input.tests, files, &mut out);
    if let Some(d) = too_many_jobs(input) {
        out.push(d);
    }
    out
}

fn marks(collected: &HashSet<(&str, u32)>, file: &FileUses, out: &mut Vec<Diagnostic>) {
    for u in file.uses.iter().filter(|u| u.name == "group") {
        let d = match &u.target {
            MarkTarget::Function { name, line } => {
                if collected.contains(&(file.rel.as_str(), *line)) {
                    continue;
                }
                Diagnostic::warning(
                    Code::UncollectedGroupMark,
                    &file.rel,
                    format!("`{name}` has a group mark, but pytest does not collect it as a test, so the mark puts nothing in a group"),
                )
                .with_hint("remove the mark from helper functions; if it is a test, name it so `python_functions` matches (by default `test*`)")
            }
            MarkTarget::Class { name } => Diagnostic::warning(
                Code::OuterGroupMark,
                &file.rel,
                format!("group mark on class `{name}`: pytest and fanout apply it to the class's tests, but runners using the original `--collect-groups` conftest read only each function's own marks and leave these tests out"),
            )
            .with_hint("put the group mark on each test function if any CI still runs the original conftest"),
            MarkTarget::Module => Diagnostic::warning(
                Code::OuterGroupMark,
                &file.rel,
                "group mark in module-level `pytestmark`: pytest and fanout apply it to every test of the module, but runners using the original `--collect-groups` conftest read only each function's own marks and leave these tests out",
            )
            .with_hint("put the group mark on each test function if any CI still runs the original conftest"),
            MarkTarget::Other => continue,
        };
        out.push(d.at(u.line, u.column).with_source_line(&u.source_line));
    }
}

/// Declared dependencies between tests that run in different jobs.
fn dependencies(tests: &[TestItem], files: &[FileUses], out: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    for link in fanout_core::dependency::links(tests) {
        let (from, to) = (&tests[link.from], &tests[link.to]);
        let (message, hint) = if from.path != to.path {
            (
                format!(
                    "`{}` needs `{}` ({}), which is in another file: every job is its own pytest run, so no grouping runs them together",
                    from.function_node_id(),
                    to.function_node_id(),
                    link.kind.describe()
                ),
                "move the tests into one file, or drop the dependency",
            )
        } else if from.group != to.group {
            (
                format!(
                    "`{}` needs `{}` ({}), which is in another group: its job runs without it",
                    from.function_node_id(),
                    to.function_node_id(),
                    link.kind.describe()
                ),
                "put both in one group (`fanout plan` keeps them together)",
            )
        } else {
            continue;
        };
        if !seen.insert((
            from.function_node_id().to_owned(),
            to.function_node_id().to_owned(),
        )) {
            continue;
        }
        let d = Diagnostic::warning(Code::SplitDependency, from.path.as_str(), message)
            .at(from.line, 1)
            .with_hint(hint);
        out.push(match line_text(files, &from.path, from.line) {
            Some(text) => d.with_source_line(text),
            None => d,
        });
    }
}

fn line_text(files: &[FileUses], rel: &str, line: u32) -> Option<String> {
    let file = files.iter().find(|f| f.rel == rel)?;
    let text = fanout_pytest::source::LineIndex::new(&file.text).line_text(line);
    (line > 0).then(|| text.to_owned())
}

fn ids(tests: &[TestItem], files: &[FileUses], out: &mut Vec<Diagnostic>) {
    let mut by_file: BTreeMap<&str, Vec<&TestItem>> = BTreeMap::new();
    for t in tests {
        by_file.entry(&t.path).or_default().push(t);
    }
    let at = |t: &TestItem, d: Diagnostic| {
        let d = d.at(t.line, 1);
        match line_text(files, &t.path, t.line) {
            Some(text) => d.with_source_line(text),
            None => d,
        }
    };
    for (path, tests) in by_file {
        if let Some(t) = tests.iter().find(|t| t.group == Some(GroupId::Int(0))) {
            out.push(at(
                t,
                Diagnostic::warning(
                    Code::GroupZero,
                    path,
                    format!("`{}` is in group 0, which the original `--collect-groups` conftest treats as \"no group\"", t.function),
                )
                .with_hint("number groups from 1"),
            ));
        }
        let ints: HashSet<String> = tests
            .iter()
            .filter_map(|t| Some(t.group.as_ref()?.as_int()?.to_string()))
            .collect();
        let clash = tests
            .iter()
            .find(|t| matches!(&t.group, Some(GroupId::Str(s)) if ints.contains(s)));
        if let Some(t) = clash {
            let id = t
                .group
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            out.push(at(
                t,
                Diagnostic::warning(
                    Code::GroupIdTypeClash,
                    path,
                    format!("this file has group {id} as an int and as the string \"{id}\": one job for fanout, two different marks for pytest `-m` and for the original conftest"),
                )
                .with_hint("write each group id of a file the same way, e.g. always `group(1)`"),
            ));
        }
    }
}

fn too_many_jobs(input: &CheckInput<'_>) -> Option<Diagnostic> {
    let max = input.settings.max_jobs?;
    let ungrouped = input.settings.ungrouped;
    let (matrix, _) = matrix::build(
        input.tests,
        MatrixOptions {
            ungrouped,
            complete_files: None,
        },
    );
    let jobs = matrix.entries.len();
    if jobs <= max {
        return None;
    }
    let (path, line, text) = match input.settings_file {
        Some(file) => {
            let text = fanout_core::files::read_to_string(file).unwrap_or_default();
            let found = text
                .lines()
                .enumerate()
                .find(|(_, l)| l.trim_start().starts_with("max-jobs"));
            let (line, text) = found.map_or((0, None), |(i, l)| {
                (u32::try_from(i + 1).unwrap_or(0), Some(l.to_owned()))
            });
            (relative(file, &input.config.rootdir), line, text)
        }
        None => ("pyproject.toml".to_owned(), 0, None),
    };
    let d = Diagnostic::error(
        Code::TooManyJobs,
        path,
        format!("the matrix has {jobs} jobs (test file, group), more than `max-jobs = {max}`; `fanout matrix` would refuse to write it"),
    )
    .at(line, u32::from(line > 0))
    .with_hint("merge small groups, or raise `max-jobs` in [tool.fanout]");
    Some(match text {
        Some(t) => d.with_source_line(t),
        None => d,
    })
}
