//! `--resolve-dynamic`, between collect and select: the files whose groups or tests only
//! running code can tell are collected by the project's pytest, once, and their tests replaced
//! by pytest's items. Every other file keeps fanout's static reading.

mod items;

use super::{Collected, Failure, Project};
use crate::environment::Environment;
use crate::pytest_run::{self, CollectedItem, Invocation, PytestCollection};
use crate::settings::{DynamicFiles, ResolveSettings};
use fanout_core::{Code, Diagnostic, Severity};
use std::collections::BTreeSet;
use std::ffi::OsString;

/// Diagnostics that running the code answers: their files go to pytest.
pub const RESOLVED_BY_PYTEST: &[Code] = &[
    Code::DynamicGroupId,
    Code::ParameterGroups,
    Code::UnresolvedBase,
    Code::ImportedTest,
    Code::UnresolvedTest,
];

/// Problems with group and runner marks that pytest's items are checked for again: a
/// resolved file's static ones would say the same twice, or about tests it no longer lists.
const RECHECKED: &[Code] = &[
    Code::InvalidGroupId,
    Code::InvalidGroupMark,
    Code::InvalidRunner,
];

const FLAG_HINT: &str = "or run with --resolve-dynamic to let pytest resolve it";

/// A file whose tests came from pytest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedFile {
    pub path: String,
    pub items: usize,
    /// The codes that sent it to pytest, in code order.
    pub codes: Vec<Code>,
}

impl ResolvedFile {
    /// The note a collecting command prints for it.
    pub fn note(&self) -> String {
        let codes: Vec<&str> = self.codes.iter().map(|c| c.as_str()).collect();
        format!(
            "{}: {} from pytest's collection (--resolve-dynamic; fanout could not read it: {})",
            self.path,
            crate::render::human::plural(self.items, "test"),
            codes.join(", ")
        )
    }
}

/// Applies the command's choice to what stage 2 collected; the files pytest resolved.
pub fn apply(
    project: &Project,
    collected: &mut Collected,
    choice: &DynamicFiles,
    env: &Environment,
) -> Vec<ResolvedFile> {
    match choice {
        DynamicFiles::StaticOffered => {
            name_the_flag(&mut collected.diagnostics);
            Vec::new()
        }
        DynamicFiles::Resolve(settings) => resolve(project, collected, settings, env),
    }
}

/// Without the flag, the hints of what it resolves say it exists.
fn name_the_flag(diagnostics: &mut [Diagnostic]) {
    for d in diagnostics
        .iter_mut()
        .filter(|d| RESOLVED_BY_PYTEST.contains(&d.code))
    {
        d.hint = Some(match d.hint.take() {
            Some(hint) => format!("{hint}; {FLAG_HINT}"),
            None => FLAG_HINT.to_owned(),
        });
    }
}

/// The test files that have a diagnostic pytest's collection answers.
fn files_to_resolve(collected: &Collected) -> BTreeSet<String> {
    collected
        .diagnostics
        .iter()
        .filter(|d| RESOLVED_BY_PYTEST.contains(&d.code))
        .filter(|d| {
            collected
                .files
                .iter()
                .any(|f| f.rel == d.path && !f.doctest)
        })
        .map(|d| d.path.clone())
        .collect()
}

fn resolve(
    project: &Project,
    collected: &mut Collected,
    settings: &ResolveSettings,
    env: &Environment,
) -> Vec<ResolvedFile> {
    let files = files_to_resolve(collected);
    if files.is_empty() {
        return Vec::new();
    }
    let pytest = match run(project, &files, settings, env) {
        Ok(pytest) => pytest,
        Err(failure) => {
            collected.diagnostics.push(not_resolved(&failure));
            return Vec::new();
        }
    };
    let mut resolved = Vec::new();
    for file in files {
        if let Some(error) = pytest.errors.iter().find(|e| covers(&e.node_id, &file)) {
            // pytest's error is the file's (or a directory's above it): keep fanout's reading.
            let mut d = error.diagnostic();
            d.severity = Severity::Warning;
            d.message.push_str("; fanout's static reading of it stays");
            collected.diagnostics.push(d);
            continue;
        }
        resolved.push(replace_file(project, collected, &pytest, file));
    }
    resolved
}

/// Runs pytest's collection of `files`, with the config and rootdir fanout read.
fn run(
    project: &Project,
    files: &BTreeSet<String>,
    settings: &ResolveSettings,
    env: &Environment,
) -> Result<PytestCollection, Failure> {
    let launcher = settings.launcher.as_ref().map_err(|e| e.clone())?;
    let rootdir = project.rootdir();
    let mut args: Vec<OsString> = Vec::new();
    if let Some(inifile) = &project.config.inifile {
        args.extend(["-c".into(), inifile.into()]);
    }
    args.extend(["--rootdir".into(), rootdir.into()]);
    if let Some(expr) = &settings.markexpr {
        args.extend(["-m".into(), expr.into()]);
    }
    args.extend(files.iter().map(|f| rootdir.join(f).into_os_string()));
    let dir = super::invocation_dir();
    let pytest = pytest_run::collect(&Invocation {
        launcher,
        args,
        dir: &dir,
        env: env.vars(),
    })?;
    if !pytest_run::same_dir(&pytest.rootdir, rootdir) {
        return Err(Failure::PytestRootdir {
            pytest: pytest.rootdir,
            fanout: rootdir.to_owned(),
        });
    }
    Ok(pytest)
}

/// A failed run as a warning: the static diagnostics stay and decide the exit status, as
/// without the flag.
fn not_resolved(failure: &Failure) -> Diagnostic {
    let mut d = failure.diagnostic(&super::invocation_dir());
    d.severity = Severity::Warning;
    if let Failure::Pytest(e) = failure {
        if let Some(last) = e.output_tail().iter().rev().find(|l| !l.trim().is_empty()) {
            d.message
                .push_str(&format!("; its output ended with: {}", last.trim()));
        }
    }
    d.message
        .push_str("; --resolve-dynamic resolved nothing, fanout's static reading stays");
    d
}

/// Whether a collection error at `node_id` (a file, a directory, or the session: "") is
/// about `file`.
fn covers(node_id: &str, file: &str) -> bool {
    node_id.is_empty()
        || node_id == file
        || file
            .strip_prefix(node_id)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Puts pytest's items of `file` in place of fanout's tests, and its diagnostics in place of
/// those it answers.
fn replace_file(
    project: &Project,
    collected: &mut Collected,
    pytest: &PytestCollection,
    file: String,
) -> ResolvedFile {
    let of_file: Vec<&CollectedItem> = pytest
        .items
        .iter()
        .filter(|i| i.node_id.split("::").next() == Some(file.as_str()))
        .collect();
    let test_root = collected
        .files
        .iter()
        .find(|f| f.rel == file)
        .map(|f| f.test_root.clone())
        .unwrap_or_default();
    let source = fanout_core::files::read_to_string(project.rootdir().join(&file)).ok();
    let (start, end) = file_range(&collected.tests, &file);
    let (mut tests, diagnostics) = items::test_items(
        &items::FileContext {
            path: &file,
            test_root: &test_root,
            static_tests: &collected.tests[start..end],
            source: source.as_deref(),
        },
        &of_file,
        &pytest.deselected,
    );
    let before = tests.len();
    tests.retain(|t| project.keeps(t));
    let prefix = format!("{file}::");
    if tests.len() < before || pytest.deselected.iter().any(|d| d.starts_with(&prefix)) {
        collected.partial_files.insert(file.clone());
    }
    let items = tests.len();
    collected.tests.splice(start..end, tests);
    let mut codes: Vec<Code> = Vec::new();
    collected.diagnostics.retain(|d| {
        if d.path != file {
            return true;
        }
        if RESOLVED_BY_PYTEST.contains(&d.code) && !codes.contains(&d.code) {
            codes.push(d.code);
        }
        !(RESOLVED_BY_PYTEST.contains(&d.code) || RECHECKED.contains(&d.code))
    });
    codes.sort();
    collected.diagnostics.extend(diagnostics);
    ResolvedFile {
        path: file,
        items,
        codes,
    }
}

/// Where the tests of `file` are (tests are in path order), or would be.
fn file_range(tests: &[fanout_core::TestItem], file: &str) -> (usize, usize) {
    let start = tests.partition_point(|t| t.path.as_str() < file);
    let end = start + tests[start..].iter().take_while(|t| t.path == file).count();
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_cover_their_files_and_directories() {
        assert!(covers("tests/test_a.py", "tests/test_a.py"));
        assert!(covers("tests", "tests/test_a.py"));
        assert!(covers("", "tests/test_a.py"));
        assert!(!covers("tests/test_a", "tests/test_a.py"));
        assert!(!covers("tests/test_b.py", "tests/test_a.py"));
    }

    #[test]
    fn hints_name_the_flag() {
        let mut diagnostics = vec![
            Diagnostic::error(Code::DynamicGroupId, "t.py", "x").with_hint("use a literal"),
            Diagnostic::error(Code::MixedGrouping, "t.py", "y").with_hint("group them"),
        ];
        name_the_flag(&mut diagnostics);
        assert_eq!(
            diagnostics[0].hint.as_deref(),
            Some("use a literal; or run with --resolve-dynamic to let pytest resolve it")
        );
        assert_eq!(diagnostics[1].hint.as_deref(), Some("group them"));
    }
}
