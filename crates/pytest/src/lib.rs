//! Static pytest collection: which files, classes and functions pytest would collect,
//! and the group each test belongs to, from the source alone.
//!
//! Files are found with pytest's own rules ([`walk`]), parsed in parallel with
//! [`source::parse`] (ruff's parser, held to what CPython 3.11 imports), and resolved to
//! [`TestItem`]s with the closest `group` mark.

mod cases;
mod classes;
mod conditions;
mod conftest_ignore;
mod diagnostics;
pub mod eval;
pub mod fixtures;
pub mod fnmatch;
pub mod group_edit;
pub mod ids;
mod imported_testcases;
pub mod index;
mod mark_uses;
pub mod markexpr;
mod marks;
mod module;
mod namespace;
mod params;
mod resolve;
pub mod source;
mod values;
pub mod walk;

pub use mark_uses::{mark_uses, MarkTarget, MarkUse};

use fanout_core::{Code, Diagnostic, TestItem};
use imported_testcases::ImportedClass;
pub use index::search_path::ImportMode;
use marks::Bindings;
use module::{ModuleCollector, Rules};
use namespace::Namespace;
use rayon::prelude::*;
use source::LineIndex;
use std::path::PathBuf;

/// What to collect and with which rules.
pub struct CollectRequest<'c> {
    pub paths: &'c [PathBuf],
    pub walk: walk::WalkRules<'c>,
    pub python_classes: &'c [String],
    pub python_functions: &'c [String],
    pub ids: ids::IdRules,
    /// How test modules import project modules.
    pub imports: ImportSettings<'c>,
}

/// What decides where `import x` finds `x`.
#[derive(Clone, Copy)]
pub struct ImportSettings<'c> {
    /// `pythonpath` ini entries, absolute.
    pub pythonpath: &'c [PathBuf],
    pub mode: ImportMode,
}

impl Default for ImportSettings<'_> {
    fn default() -> Self {
        ImportSettings {
            pythonpath: &[],
            mode: ImportMode::Prepend,
        }
    }
}

#[derive(Debug, Default)]
pub struct Collection {
    pub tests: Vec<TestItem>,
    pub diagnostics: Vec<Diagnostic>,
    /// The test files found (parsed, or read as doctests).
    pub files: Vec<walk::TestFile>,
}

/// Collects every test under the request's paths. Problems with single files are
/// diagnostics; the other files are still collected.
pub fn collect(request: &CollectRequest<'_>) -> Collection {
    let (files, mut diagnostics) = walk::find_test_files(request.paths, &request.walk);
    let (files, ignore_diagnostics) = conftest_ignore::apply(files, request.walk.rootdir);
    diagnostics.extend(ignore_diagnostics);
    let run = || collect_files(&files, request, true);
    // Without the big-stack pool, each parse starts a big-stack thread of its own.
    let (tests, file_diagnostics) = match source::parse_pool() {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };
    diagnostics.extend(file_diagnostics);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.message == b.message);
    Collection {
        tests,
        diagnostics,
        files,
    }
}

/// A test file read: a doctest item, a parsed module, or why it could not be read or parsed.
enum ReadFile {
    Doctest(Option<TestItem>),
    /// A module that needs nothing from other modules, collected on its own (its parse tree
    /// dropped at once: holding every tree costs more than the parse).
    /// With the class-like names it imports from project modules (see `imported_testcases`).
    Collected(Vec<TestItem>, Vec<Diagnostic>, Vec<ImportedClass>),
    Module(index::ModuleSource),
    Failed(Diagnostic),
}

/// Files read in parallel before their tests join the one list: enough to keep every thread
/// busy, few enough that their per-file lists are a small part of the whole.
const READ_BATCH: usize = 1024;

impl ReadFile {
    /// How many tests collecting this file alone found.
    fn tests(&self) -> usize {
        match self {
            ReadFile::Doctest(item) => usize::from(item.is_some()),
            ReadFile::Collected(tests, ..) => tests.len(),
            ReadFile::Module(_) | ReadFile::Failed(_) => 0,
        }
    }
}

/// Reads and parses the test modules, then the project modules they import when one of them
/// needs names from elsewhere, and collects each test module against that index.
/// `load_imports` false keeps the index to the test modules themselves.
fn collect_files(
    files: &[walk::TestFile],
    request: &CollectRequest<'_>,
    load_imports: bool,
) -> (Vec<TestItem>, Vec<Diagnostic>) {
    let mut tests = Vec::new();
    let mut diagnostics = Vec::new();
    let test_paths: Vec<PathBuf> = files.iter().map(|f| f.abs.clone()).collect();
    let locator = index::Locator::new(
        index::search_path::SearchPath {
            pythonpath: request.imports.pythonpath.to_vec(),
            rootdir: request.walk.rootdir.to_path_buf(),
            mode: request.imports.mode,
        },
        &test_paths,
    );
    let read_file = |file: &walk::TestFile| match read_source(&file.abs, &file.rel) {
        Ok(text) if file.doctest => {
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            ReadFile::Doctest(doctest_item(file, text))
        }
        Ok(text) => match parse_module(file, text) {
            Ok(source) => match collect_alone(file, source, request, &locator, load_imports) {
                Alone::Collected(tests, diagnostics, imported) => {
                    ReadFile::Collected(tests, diagnostics, imported)
                }
                Alone::NeedsImports(source) => ReadFile::Module(source),
            },
            Err(d) => ReadFile::Failed(d),
        },
        Err(d) => ReadFile::Failed(d),
    };
    let mut modules: Vec<&walk::TestFile> = Vec::new();
    let mut sources: Vec<index::ModuleSource> = Vec::new();
    // In batches, each moved into the one list of tests while the next is read (on the other
    // threads): the per-file lists of a batch are freed, and their memory reused, instead of
    // every test being held twice when the last file is done.
    let mut merge = |batch_number: usize, read: Vec<ReadFile>| {
        let start = batch_number * READ_BATCH;
        let batch = &files[start..files.len().min(start + READ_BATCH)];
        let mut importers = Vec::new();
        let done = batch_number * READ_BATCH + batch.len();
        fanout_core::grow::reserve_projected(
            &mut tests,
            read.iter().map(ReadFile::tests).sum(),
            done,
            files.len(),
        );
        for (j, (file, entry)) in batch.iter().zip(read).enumerate() {
            let i = batch_number * READ_BATCH + j;
            match entry {
                ReadFile::Module(source) => {
                    modules.push(file);
                    sources.push(source);
                }
                ReadFile::Doctest(item) => tests.extend(item),
                ReadFile::Collected(file_tests, file_diagnostics, imported)
                    if imported.is_empty() =>
                {
                    tests.extend(file_tests);
                    diagnostics.extend(file_diagnostics);
                }
                ReadFile::Collected(file_tests, file_diagnostics, imported) => {
                    importers.push((i, file_tests, file_diagnostics, imported));
                }
                ReadFile::Failed(d) => diagnostics.push(d),
            }
        }
        // Per batch, so that their tests join the one list with the rest of the batch.
        if !importers.is_empty() {
            let wanted: Vec<(usize, Vec<ImportedClass>)> = importers
                .iter_mut()
                .map(|(i, _, _, imported)| (*i, std::mem::take(imported)))
                .collect();
            let again: std::collections::HashSet<usize> =
                imported_testcases::importers_of_testcases(&wanted, &locator, request.walk.rootdir)
                    .into_iter()
                    .collect();
            for (i, file_tests, file_diagnostics, _) in importers.drain(..) {
                let file = &files[i];
                let reparsed = again
                    .contains(&i)
                    .then(|| read_source(&file.abs, &file.rel).ok())
                    .flatten()
                    .and_then(|text| parse_module(file, text).ok());
                if let Some(source) = reparsed {
                    modules.push(file);
                    sources.push(source);
                } else {
                    tests.extend(file_tests);
                    diagnostics.extend(file_diagnostics);
                }
            }
        }
    };
    let mut pending: Option<(usize, Vec<ReadFile>)> = None;
    for (batch_number, batch) in files.chunks(READ_BATCH).enumerate() {
        let ((), read) = rayon::join(
            || {
                if let Some((number, read)) = pending.take() {
                    merge(number, read);
                }
            },
            || batch.par_iter().map(read_file).collect::<Vec<ReadFile>>(),
        );
        pending = Some((batch_number, read));
    }
    if let Some((number, read)) = pending {
        merge(number, read);
    }
    if load_imports && !sources.is_empty() {
        let needy: Vec<usize> = (0..sources.len()).collect();
        index::load_imported(&mut sources, needy, &locator, request.walk.rootdir);
    }
    let namespaces = index::namespaces(&sources);
    let bindings = index::bindings(&sources, &namespaces);
    let lines: Vec<LineIndex<'_>> = sources.iter().map(|s| LineIndex::new(&s.text)).collect();
    let project = index::ProjectIndex::new(&sources, &namespaces, &bindings, &locator);
    let rules = || Rules {
        python_classes: request.python_classes,
        python_functions: request.python_functions,
        ids: request.ids,
        rootdir: request.walk.rootdir,
    };
    let per_file: Vec<(Vec<TestItem>, Vec<Diagnostic>)> = modules
        .par_iter()
        .enumerate()
        .filter_map(|(id, file)| {
            let lines = lines.get(id)?;
            let mut collector =
                ModuleCollector::new(&file.rel, &file.test_root, lines, &project, id, rules())?;
            collector.collect();
            Some((collector.tests, collector.diagnostics.into_vec()))
        })
        .collect();
    tests.reserve(
        per_file
            .iter()
            .map(|(file_tests, _)| file_tests.len())
            .sum(),
    );
    for (file_tests, file_diagnostics) in per_file {
        tests.extend(file_tests);
        diagnostics.extend(file_diagnostics);
    }
    (tests, diagnostics)
}

/// A name pytest collects by its name alone: `python_functions` or `python_classes`.
fn test_like(name: &str, request: &CollectRequest<'_>) -> bool {
    classes::name_matches(name, request.python_functions)
        || classes::name_matches(name, request.python_classes)
}

/// What collecting a module on its own gave.
enum Alone {
    /// Its tests, with the class-like names it imports from project modules.
    Collected(Vec<TestItem>, Vec<Diagnostic>, Vec<ImportedClass>),
    /// It needs names from the project modules it imports (only asked with `load_imports`).
    NeedsImports(index::ModuleSource),
}

/// Collects one module with an index of itself alone, unless (with `load_imports`) it needs
/// the modules it imports. Its namespace is built once, for both questions.
fn collect_alone(
    file: &walk::TestFile,
    source: index::ModuleSource,
    request: &CollectRequest<'_>,
    locator: &index::Locator,
    load_imports: bool,
) -> Alone {
    let sources = [source];
    let namespaces = [Namespace::of_body(sources[0].body())];
    if load_imports && index::needs_imports(&namespaces[0], |name| test_like(name, request)) {
        drop(namespaces);
        let [source] = sources;
        return Alone::NeedsImports(source);
    }
    let imported = if load_imports {
        imported_testcases::candidates(
            &file.abs,
            &namespaces[0],
            |name| test_like(name, request),
            locator,
        )
    } else {
        Vec::new()
    };
    let bindings = [Bindings::new(sources[0].body(), &namespaces[0])];
    let lines = LineIndex::new(&sources[0].text);
    let project = index::ProjectIndex::new(&sources, &namespaces, &bindings, locator);
    let rules = Rules {
        python_classes: request.python_classes,
        python_functions: request.python_functions,
        ids: request.ids,
        rootdir: request.walk.rootdir,
    };
    match ModuleCollector::new(&file.rel, &file.test_root, &lines, &project, 0, rules) {
        Some(mut collector) => {
            collector.collect();
            Alone::Collected(collector.tests, collector.diagnostics.into_vec(), imported)
        }
        None => Alone::Collected(Vec::new(), Vec::new(), imported),
    }
}

/// A test module's parse tree, or the syntax error pytest would fail on.
fn parse_module(file: &walk::TestFile, text: String) -> Result<index::ModuleSource, Diagnostic> {
    match source::parse(&text) {
        Ok(parsed) => Ok(index::ModuleSource {
            abs: file.abs.clone(),
            rel: file.rel.clone(),
            text,
            parsed: Some(parsed),
        }),
        Err(failure) => {
            let index = LineIndex::new(&text);
            let (line, column) = index.position(failure.offset);
            Err(Diagnostic::error(
                Code::SyntaxError,
                &file.rel,
                format!("cannot parse this file: {}", failure.message),
            )
            .at(line, column)
            .with_source_line(index.line_text(line))
            .with_hint("pytest fails the whole run on this file too; fix the syntax error"))
        }
    }
}

/// Collects the tests of one module's source text (as read: one byte-order mark allowed),
/// without reading the modules it imports. Runs on a big stack ([`source::with_parse_stack`]).
pub fn collect_source(
    rel_path: &str,
    test_root: &str,
    text: &str,
    request: &CollectRequest<'_>,
) -> (Vec<TestItem>, Vec<Diagnostic>) {
    let file = walk::TestFile {
        abs: request.walk.rootdir.join(rel_path),
        rel: rel_path.to_owned(),
        test_root: test_root.to_owned(),
        doctest: false,
    };
    source::with_parse_stack(|| {
        let source = match parse_module(&file, text.to_owned()) {
            Ok(source) => source,
            Err(d) => return (Vec::new(), vec![d]),
        };
        let locator = index::Locator::new(
            index::search_path::SearchPath {
                pythonpath: Vec::new(),
                rootdir: request.walk.rootdir.to_path_buf(),
                mode: request.imports.mode,
            },
            &[],
        );
        match collect_alone(&file, source, request, &locator, false) {
            Alone::Collected(tests, diagnostics, _) => (tests, diagnostics),
            Alone::NeedsImports(_) => unreachable!("collect_alone without load_imports collects"),
        }
    })
    .unwrap_or_else(|| {
        let d = Diagnostic::error(
            Code::SyntaxError,
            rel_path,
            "fanout could not start a thread to parse this file",
        );
        (Vec::new(), vec![d])
    })
}

/// A doctest text file is one item named after the file, when it holds an example
/// (pytest's `DoctestTextfile` yields nothing otherwise).
fn doctest_item(file: &walk::TestFile, text: &str) -> Option<TestItem> {
    // pytest reads the file with universal newlines: `\r` ends a line too.
    let lines = || source::PythonLines::new(text).map(|l| l.trim_end_matches(['\r', '\n']));
    let first_example = lines().position(|line| line.trim_start().starts_with(">>>"))?;
    let name = file.rel.rsplit('/').next().unwrap_or(&file.rel).to_owned();
    Some(TestItem {
        node_id: format!("{}::{name}", file.rel).into(),
        path: file.rel.as_str().into(),
        class: None,
        function: name,
        line: u32::try_from(first_example + 1).unwrap_or(u32::MAX),
        def_line: lines().nth(first_example).unwrap_or_default().into(),
        group: None,
        group_source: None,
        group_error: false,
        unseen_in: None,
        doctest: true,
        module_may_skip: false,
        runner: None,
        marks: Default::default(),
        param_marks: None,
        cases: 1,
        param: None,
        test_root: file.test_root.as_str().into(),
    })
}

fn read_source(path: &std::path::Path, rel: &str) -> Result<String, Diagnostic> {
    let bytes = fanout_core::files::read(path).map_err(|e| {
        Diagnostic::error(Code::IoError, rel, format!("cannot read this file: {e}"))
            .with_hint("check that the file exists and is readable")
    })?;
    // The byte-order mark stays: `source::parse` allows one and rejects a second, as CPython.
    String::from_utf8(bytes).map_err(|e| {
        let bom = if e.as_bytes().starts_with(b"\xef\xbb\xbf") {
            3
        } else {
            0
        };
        let valid = &e.as_bytes()[bom..e.utf8_error().valid_up_to().max(bom)];
        // Lines as Python counts them; a `\r` right before the bad byte ends a line too.
        let line_start = source::line_starts(valid).last().unwrap_or(0);
        let line = source::line_starts(valid).count() + 1;
        Diagnostic::error(
            Code::InvalidUtf8,
            rel,
            format!(
                "this file is not valid UTF-8 (byte {} of line {line})",
                valid.len() - line_start + 1
            ),
        )
        .at(u32::try_from(line).unwrap_or(u32::MAX), 1)
        .with_hint("save the file as UTF-8 (fanout does not read `# coding:` declarations)")
    })
}

#[cfg(test)]
mod batch_tests;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
