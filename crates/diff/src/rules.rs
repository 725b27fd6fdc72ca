//! The selection rules: which (test file, group) jobs a set of changed paths affects.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fanout_core::TestItem;

use crate::changes::{old_text, ChangeKind, ChangedPaths};
use crate::imports::{ImportGraph, Tree};
use crate::patterns::PathGlobs;
use crate::spans::{touched, Touched};

/// One CI job: a test file and a group (`None`: the whole file, for ungrouped tests).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JobKey {
    pub path: String,
    pub group: Option<String>,
}

impl JobKey {
    pub fn of(test: &TestItem) -> Self {
        Self {
            path: test.path.to_string(),
            group: test.group.as_ref().map(ToString::to_string),
        }
    }
}

impl std::fmt::Display for JobKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.group {
            Some(g) => write!(f, "{} group {g}", self.path),
            None => write!(f, "{} (whole file)", self.path),
        }
    }
}

/// What the project looks like, for the rules.
pub struct Project<'a> {
    /// pytest's rootdir, with symlinks resolved.
    pub rootdir: &'a Path,
    /// The collected paths (`testpaths` or arguments), absolute: the test tree.
    pub test_roots: &'a [PathBuf],
    /// Every collected test (before `-m`).
    pub tests: &'a [TestItem],
    /// pytest's `python_files` patterns.
    pub python_files: &'a [String],
    /// pytest's config file and the file `[tool.fanout]` came from.
    pub config_files: &'a [PathBuf],
    pub ignore_changes: &'a [String],
    pub affects: &'a BTreeMap<String, Vec<String>>,
    /// Modules pytest loads as plugins with `-p NAME` (addopts, `PYTEST_ADDOPTS`).
    pub plugins: &'a [String],
}

/// The selected jobs and why.
#[derive(Debug, Default, Clone)]
pub struct Selection {
    /// Non-empty: every job runs, for these reasons.
    pub everything: Vec<String>,
    /// Selected jobs with the reasons for each.
    pub jobs: BTreeMap<JobKey, Vec<String>>,
    /// Changes that select nothing, and why.
    pub quiet: Vec<String>,
    pub notes: Vec<String>,
    /// Why fanout could not be sure (a test file's old version missing or unparsable): every
    /// job runs, and `--strict` makes it an error.
    pub unsure: Vec<crate::Unsure>,
}

impl Selection {
    pub fn selects(&self, test: &TestItem) -> bool {
        !self.everything.is_empty() || self.jobs.contains_key(&JobKey::of(test))
    }
}

enum Target {
    Everything,
    /// Everything, because fanout cannot be sure.
    Unsure(crate::Unsure),
    File(String),
    Dir(PathBuf),
    Lines(String, BTreeSet<u32>),
    Glob(PathGlobs),
}

enum Event {
    Added,
    Deleted,
    Modified(Option<gix::ObjectId>),
}

/// Applies the rules to `changed` (`repo` reads the old versions of test files).
pub fn select(
    repo: &gix::Repository,
    changed: &ChangedPaths,
    project: &Project<'_>,
) -> Result<Selection, PathGlobsError> {
    let ignore = PathGlobs::new(project.ignore_changes)?;
    let affects: Vec<(String, PathGlobs, PathGlobs)> = project
        .affects
        .iter()
        .map(|(source, tests)| {
            Ok((
                source.clone(),
                PathGlobs::new(std::slice::from_ref(source))?,
                PathGlobs::new(tests)?,
            ))
        })
        .collect::<Result<_, PathGlobsError>>()?;
    let test_files: BTreeSet<&str> = project.tests.iter().map(|t| t.path.as_str()).collect();
    let mut selection = Selection {
        notes: changed.notes.clone(),
        ..Selection::default()
    };
    let mut targets: Vec<(Target, String)> = Vec::new();
    let mut modules: BTreeSet<PathBuf> = BTreeSet::new();
    let mut modified_tests: Vec<(PathBuf, String, Option<gix::ObjectId>, String)> = Vec::new();
    // Modules the change deletes (or renames away): imports still resolve to them.
    let mut deleted_modules: Vec<PathBuf> = Vec::new();
    // Data files by file name, with what happened to them.
    let mut data_files: Vec<(Naming, String)> = Vec::new();
    // Changed Python modules that are neither test files nor conftests (rootdir-relative).
    let mut plain_modules: Vec<(PathBuf, String, String)> = Vec::new();
    // Directories whose `__init__.py` came or went: every module below is imported anew.
    let mut package_dirs: Vec<PathBuf> = Vec::new();
    for change in &changed.changes {
        let mut events = vec![(
            change.path.as_str(),
            match change.kind {
                ChangeKind::Added | ChangeKind::Renamed => Event::Added,
                ChangeKind::Deleted => Event::Deleted,
                ChangeKind::Modified => Event::Modified(change.old_id),
            },
        )];
        if let Some(old) = &change.old_path {
            events.push((old.as_str(), Event::Deleted));
        }
        let what = match &change.old_path {
            Some(old) => format!("{old} was renamed to {}", change.path),
            None => format!("{} was {}", change.path, verb(change.kind)),
        };
        for (repo_path, event) in events {
            let abs = changed.workdir.join(repo_path);
            let rel = abs
                .strip_prefix(project.rootdir)
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/"));
            let Some(rel) = rel else {
                targets.push((
                    Target::Everything,
                    format!("{what}, outside the rootdir {}", project.rootdir.display()),
                ));
                continue;
            };
            if ignore.matches(&rel) {
                selection
                    .quiet
                    .push(format!("{what}: matches `ignore-changes`"));
                continue;
            }
            let mapped: Vec<_> = affects
                .iter()
                .filter(|(_, source, _)| source.matches(&rel))
                .collect();
            if !mapped.is_empty() {
                for (source, _, tests) in mapped {
                    targets.push((
                        Target::Glob(tests.clone()),
                        format!("{what}: `{source}` in [tool.fanout.affects]"),
                    ));
                }
                continue;
            }
            // A path git changed that is a directory here is a submodule (a gitlink): what its
            // new commit changes, and who uses it, is not visible from this repository.
            if abs.is_dir() {
                targets.push((
                    Target::Everything,
                    format!("{what}: it is a git submodule, and fanout cannot tell which tests use what it changed"),
                ));
                continue;
            }
            if project.config_files.contains(&abs) {
                targets.push((
                    Target::Everything,
                    format!("{what}: it configures pytest or fanout"),
                ));
                continue;
            }
            if !project.test_roots.iter().any(|r| abs.starts_with(r)) {
                targets.push((Target::Everything, format!("{what}, outside the test tree")));
                continue;
            }
            let name = rel.rsplit('/').next().unwrap_or(&rel);
            let parent = abs.parent().unwrap_or(&abs).to_path_buf();
            if let Some(plugin) = loaded_as_plugin(&rel, project.plugins) {
                targets.push((
                    Target::Everything,
                    format!("{what}: pytest loads it as a plugin (`-p {plugin}`), for every test"),
                ));
                continue;
            }
            if name == "__init__.py" {
                let why = if matches!(event, Event::Modified(_)) {
                    "pytest runs a package's __init__.py when it imports any module of its directory and below"
                } else {
                    "an added or removed __init__.py changes how pytest imports the modules of its directory and below, and their node ids"
                };
                targets.push((Target::Dir(parent.clone()), format!("{what}: {why}")));
                package_dirs.push(parent);
                modules.insert(abs);
            } else if name == "conftest.py" {
                targets.push((
                    Target::Dir(parent),
                    format!("{what}: a conftest.py applies to its directory and below"),
                ));
                modules.insert(abs);
            } else if test_files.contains(rel.as_str())
                || (name.ends_with(".py")
                    && project
                        .python_files
                        .iter()
                        .any(|p| fanout_pytest::fnmatch::fnmatch(name, p)))
            {
                modules.insert(abs.clone());
                match event {
                    Event::Added => targets.push((
                        Target::File(rel.clone()),
                        format!("{what}: a new test file runs all its groups"),
                    )),
                    Event::Deleted => selection.quiet.push(format!(
                        "{what}: a deleted test file runs nothing of itself"
                    )),
                    // Decided after the loop: not needed when everything runs anyway.
                    Event::Modified(old_id) => {
                        modified_tests.push((abs.clone(), rel.clone(), old_id, what.clone()))
                    }
                }
            } else if name.ends_with(".py") {
                if matches!(event, Event::Deleted) {
                    deleted_modules.push(abs.clone());
                }
                plain_modules.push((abs.clone(), rel.clone(), what.clone()));
                modules.insert(abs);
            } else {
                targets.push((Target::Dir(parent), format!("{what}: a data file in the test tree affects the tests in its directory and below")));
                data_files.push((Naming::file(name), what.clone()));
            }
        }
    }
    let everything = targets
        .iter()
        .any(|(t, _)| matches!(t, Target::Everything | Target::Unsure(_)));
    if !everything {
        for (abs, rel, old_id, what) in modified_tests {
            let test_lines: BTreeSet<u32> = project
                .tests
                .iter()
                .filter(|t| t.path == rel)
                .map(|t| t.line)
                .collect();
            targets.push(test_file_change(
                repo,
                &abs,
                &rel,
                old_id,
                &what,
                &test_lines,
            ));
        }
    }
    let everything = targets
        .iter()
        .any(|(t, _)| matches!(t, Target::Everything | Target::Unsure(_)));
    let mut tree = None;
    let mut graph = None;
    if !plain_modules.is_empty() && !everything {
        // A module no file imports is loaded some other way (importlib, a subprocess, a path
        // in a string): the rule of data files, by its file name and its dotted names.
        let walked = tree
            .get_or_insert_with(|| Tree::walk(project.test_roots).with_deleted(&deleted_modules));
        let graph = graph.get_or_insert_with(|| ImportGraph::build(walked, project.rootdir));
        for (abs, rel, what) in &plain_modules {
            if !graph.is_imported(abs) {
                data_files.push((
                    Naming::module(rel),
                    format!("{what}: no module imports it, so it is loaded by name (importlib, a subprocess)"),
                ));
            }
        }
    }
    if !data_files.is_empty() && !everything {
        let walked = tree
            .get_or_insert_with(|| Tree::walk(project.test_roots).with_deleted(&deleted_modules));
        for ((naming, what), readers) in data_files.iter().zip(files_naming(walked, &data_files)) {
            let name = naming.shown();
            if readers.is_empty() {
                targets.push((
                    Target::Everything,
                    format!("{what}: no string in a Python file of the test tree names `{name}`, so any test may read it"),
                ));
            }
            for reader in readers {
                let rel = show(&reader, project.rootdir);
                let why = format!("{what}: {rel} names `{name}`");
                if test_files.contains(rel.as_str()) {
                    targets.push((Target::File(rel), why));
                } else if reader.file_name().is_some_and(|n| n == "conftest.py") {
                    let dir = reader.parent().unwrap_or(&reader).to_path_buf();
                    targets.push((Target::Dir(dir), why));
                } else {
                    modules.insert(reader);
                }
            }
        }
    }
    let everything = targets
        .iter()
        .any(|(t, _)| matches!(t, Target::Everything | Target::Unsure(_)));
    // Everything runs anyway: the import graph would not change the answer.
    if !modules.is_empty() && !everything {
        let tree = tree
            .get_or_insert_with(|| Tree::walk(project.test_roots).with_deleted(&deleted_modules));
        // Their importers too: every module below a package that came or went.
        modules.extend(
            tree.python_files
                .iter()
                .filter(|file| package_dirs.iter().any(|dir| file.starts_with(dir)))
                .cloned(),
        );
        let graph = graph.get_or_insert_with(|| ImportGraph::build(tree, project.rootdir));
        for (file, (chain, unknown)) in graph.dependents(&modules) {
            let rel = file
                .strip_prefix(project.rootdir)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let why = match unknown {
                Some(u) => {
                    let mut via = String::new();
                    for step in &chain {
                        via.push_str(&format!(" imports {} which", show(step, project.rootdir)));
                    }
                    format!("{rel}{via} may import any module of the test tree ({u}), and Python files there changed")
                }
                None => {
                    let steps: Vec<String> =
                        chain.iter().map(|p| show(p, project.rootdir)).collect();
                    format!("{rel} imports {} (changed)", steps.join(", which imports "))
                }
            };
            if file.file_name().is_some_and(|n| n == "conftest.py") {
                let dir = file.parent().unwrap_or(&file).to_path_buf();
                targets.push((Target::Dir(dir), why));
            } else {
                targets.push((Target::File(rel), why));
            }
        }
    }
    for (target, why) in targets {
        match target {
            Target::Everything => {
                selection.everything.push(why);
                continue;
            }
            Target::Unsure(unsure) => {
                selection.everything.push(unsure.reason.clone());
                selection.unsure.push(unsure);
                continue;
            }
            _ => {}
        }
        let mut hit = false;
        for test in project.tests {
            let abs = project.rootdir.join(&test.path);
            let picked = match &target {
                Target::Everything | Target::Unsure(_) => true,
                Target::File(path) => test.path == *path,
                Target::Dir(dir) => abs.starts_with(dir),
                Target::Lines(path, lines) => test.path == *path && lines.contains(&test.line),
                Target::Glob(globs) => globs.matches(&test.path),
            };
            if picked {
                hit = true;
                let reasons = selection.jobs.entry(JobKey::of(test)).or_default();
                if !reasons.contains(&why) {
                    reasons.push(why.clone());
                }
            }
        }
        if !hit {
            selection
                .quiet
                .push(format!("{why}; no collected test is there"));
        }
    }
    Ok(selection)
}

/// How a file is named in a Python file's strings: a data file by its file name anywhere in a
/// string (`open("data/users.json")`), a module also by a dotted name as a whole string
/// (`importlib.import_module("tests.helpers.deploy")`).
struct Naming {
    /// Found anywhere in a string literal.
    within: String,
    /// A string literal that is exactly one of these.
    whole: Vec<String>,
}

impl Naming {
    fn file(name: &str) -> Self {
        Naming {
            within: name.to_owned(),
            whole: Vec::new(),
        }
    }

    /// `tests/helpers/deploy.py`: `deploy.py` anywhere, or `tests.helpers.deploy`,
    /// `helpers.deploy` or `deploy` as a whole string.
    fn module(rel: &str) -> Self {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let dotted: Vec<&str> = rel.trim_end_matches(".py").split('/').collect();
        Naming {
            within: name.to_owned(),
            whole: (0..dotted.len()).map(|i| dotted[i..].join(".")).collect(),
        }
    }

    fn shown(&self) -> &str {
        &self.within
    }

    fn in_string(&self, token_text: &str) -> bool {
        token_text.contains(self.within.as_str())
            || self.whole.iter().any(|w| {
                ['"', '\''].iter().any(|q| {
                    token_text.ends_with(&format!("{q}{w}{q}")) && token_text.len() > w.len() + 1
                })
            })
    }

    /// A cheap test before the parse: the text holds the name at all.
    fn in_text(&self, text: &str) -> bool {
        text.contains(self.within.as_str()) || self.whole.iter().any(|w| text.contains(w.as_str()))
    }
}

/// For each named file, the Python files of the tree that name it in a string (a name in a
/// comment does not count). A file that does not parse counts when its text holds the name:
/// it errs towards more. Each file is read and parsed once, only when it holds a name.
fn files_naming(tree: &Tree, named: &[(Naming, String)]) -> Vec<Vec<PathBuf>> {
    use ruff_python_ast::token::TokenKind;
    use ruff_text_size::Ranged as _;
    let mut readers = vec![Vec::new(); named.len()];
    for file in &tree.python_files {
        let Ok(text) = fanout_core::files::read_to_string(file) else {
            continue;
        };
        let candidates: Vec<usize> = (0..named.len())
            .filter(|&i| named[i].0.in_text(&text))
            .collect();
        if candidates.is_empty() {
            continue;
        }
        let parsed =
            fanout_pytest::source::with_parse_stack(|| fanout_pytest::source::parse(&text).ok())
                .flatten();
        for i in candidates {
            let found = match &parsed {
                None => true,
                Some(parsed) => parsed.tokens().iter().any(|token| {
                    matches!(
                        token.kind(),
                        TokenKind::String | TokenKind::FStringMiddle | TokenKind::TStringMiddle
                    ) && named[i].0.in_string(&text[token.range()])
                }),
            };
            if found {
                readers[i].push(file.clone());
            }
        }
    }
    readers
}

/// The `-p NAME` plugin that `rel` (a changed Python file, rootdir-relative) is, if any: its
/// dotted module name, or any dotted tail of it, as sys.path entries at any level would give.
fn loaded_as_plugin<'p>(rel: &str, plugins: &'p [String]) -> Option<&'p str> {
    let module = rel.strip_suffix(".py")?;
    let module = module.strip_suffix("/__init__").unwrap_or(module);
    let parts: Vec<&str> = module.split('/').collect();
    plugins
        .iter()
        .map(String::as_str)
        .find(|plugin| (0..parts.len()).any(|i| parts[i..].join(".") == *plugin))
}

fn verb(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "added",
        ChangeKind::Deleted => "deleted",
        ChangeKind::Modified => "modified",
        ChangeKind::Renamed => "renamed",
    }
}

fn show(path: &Path, rootdir: &Path) -> String {
    path.strip_prefix(rootdir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A modified test file: only the changed tests when every hunk stays inside the body of a
/// collected test that no other code of the file refers to; any other change (a fixture, a
/// helper, `setup_method`, a hook, a decorator, module level) is code the file's tests may use,
/// so the whole file runs.
fn test_file_change(
    repo: &gix::Repository,
    abs: &Path,
    rel: &str,
    old_id: Option<gix::ObjectId>,
    what: &str,
    test_lines: &BTreeSet<u32>,
) -> (Target, String) {
    let whole = |why: &str| {
        (
            Target::File(rel.to_owned()),
            format!("{what}: {why}, so all its groups run"),
        )
    };
    // Not knowing which functions changed could hide a change anywhere (a moved fixture, a
    // constant): the rule is "when unsure, everything".
    let unsure = |why: &str| {
        (
            Target::Unsure(crate::Unsure::new(
                format!("{what}: {why}, so fanout cannot tell which tests the change affects"),
                "fetch the full history with blobs (`fetch-depth: 0`, no `--filter=blob:none`), and make both versions parse",
            )),
            String::new(),
        )
    };
    let Some(old_id) = old_id else {
        return whole("its old version is unknown");
    };
    let old = match old_text(repo, old_id) {
        Some(Ok(text)) => text,
        Some(Err(())) => return unsure("its old version is not UTF-8"),
        None => return unsure("its old version is not in this clone (a partial clone)"),
    };
    let Ok(new) = fanout_core::files::read_to_string(abs) else {
        return whole("it cannot be read");
    };
    match touched(&old, &new) {
        None => unsure("one of its versions does not parse"),
        Some(Touched::Module { line }) => {
            whole(&format!("line {line} changed outside any test function"))
        }
        Some(Touched::Nothing) => (
            Target::Lines(rel.to_owned(), BTreeSet::new()),
            format!("{what}, but its text is the same"),
        ),
        Some(Touched::Functions(spans)) => {
            if let Some(other) = spans.iter().find(|s| !test_lines.contains(&s.start)) {
                return whole(&format!(
                    "`{}` changed, which is not a collected test but code its tests may use (a fixture, helper, setup or hook)",
                    other.qualname
                ));
            }
            match crate::spans::referenced_elsewhere(&new, &spans) {
                None => return unsure("one of its versions does not parse"),
                Some(used) if !used.is_empty() => {
                    return whole(&format!(
                        "`{}` changed, and other code of the file refers to it",
                        used.join("`, `")
                    ))
                }
                Some(_) => {}
            }
            let names: Vec<String> = spans.iter().map(|s| s.qualname.clone()).collect();
            let lines = spans.iter().map(|s| s.start).collect();
            (
                Target::Lines(rel.to_owned(), lines),
                format!("{what} only inside {}", names.join(", ")),
            )
        }
    }
}

pub use crate::patterns::PathGlobsError;
