//! Static pytest collection: which files, classes and functions pytest would collect,
//! and the group each test belongs to, from the source alone.
//!
//! Files are found with pytest's own rules ([`walk`]), parsed in parallel with
//! [`source::parse`] (ruff's parser, held to what CPython 3.11 imports), and resolved to
//! [`TestItem`]s with the closest `group` mark.

mod cases;
mod classes;
mod diagnostics;
pub mod eval;
pub mod fnmatch;
pub mod ids;
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
    let collect_files = || -> Vec<(Vec<TestItem>, Vec<Diagnostic>)> {
        files
            .par_iter()
            .map(|file| match read_source(&file.abs, &file.rel) {
                Ok(text) if file.doctest => {
                    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                    (doctest_item(file, text).into_iter().collect(), Vec::new())
                }
                Ok(text) => collect_source(&file.rel, &file.test_root, &text, request),
                Err(d) => (Vec::new(), vec![d]),
            })
            .collect()
    };
    // Without the big-stack pool, each parse starts a big-stack thread of its own.
    let per_file = match source::parse_pool() {
        Ok(pool) => pool.install(collect_files),
        Err(_) => collect_files(),
    };
    let mut tests = Vec::new();
    for (file_tests, file_diagnostics) in per_file {
        tests.extend(file_tests);
        diagnostics.extend(file_diagnostics);
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.message == b.message);
    Collection {
        tests,
        diagnostics,
        files,
    }
}

/// Collects the tests of one module's source text (as read: one byte-order mark allowed).
/// Runs on a big stack ([`source::with_parse_stack`]).
pub fn collect_source(
    rel_path: &str,
    test_root: &str,
    text: &str,
    request: &CollectRequest<'_>,
) -> (Vec<TestItem>, Vec<Diagnostic>) {
    source::with_parse_stack(|| collect_parsed(rel_path, test_root, text, request)).unwrap_or_else(
        || {
            let d = Diagnostic::error(
                Code::SyntaxError,
                rel_path,
                "fanout could not start a thread to parse this file",
            );
            (Vec::new(), vec![d])
        },
    )
}

fn collect_parsed(
    rel_path: &str,
    test_root: &str,
    text: &str,
    request: &CollectRequest<'_>,
) -> (Vec<TestItem>, Vec<Diagnostic>) {
    let index = LineIndex::new(text);
    let parsed = match source::parse(text) {
        Ok(parsed) => parsed,
        Err(failure) => {
            let (line, column) = index.position(failure.offset);
            let d = Diagnostic::error(
                Code::SyntaxError,
                rel_path,
                format!("cannot parse this file: {}", failure.message),
            )
            .at(line, column)
            .with_source_line(index.line_text(line))
            .with_hint("pytest fails the whole run on this file too; fix the syntax error");
            return (Vec::new(), vec![d]);
        }
    };
    let body = &parsed.syntax().body;
    let module = Namespace::of_body(body);
    let bindings = Bindings::new(body, &module);
    let rules = Rules {
        python_classes: request.python_classes,
        python_functions: request.python_functions,
        ids: request.ids,
    };
    let mut collector = ModuleCollector::new(rel_path, test_root, &index, &bindings, rules);
    collector.collect();
    (collector.tests, collector.diagnostics.into_vec())
}

/// A doctest text file is one item named after the file, when it holds an example
/// (pytest's `DoctestTextfile` yields nothing otherwise).
fn doctest_item(file: &walk::TestFile, text: &str) -> Option<TestItem> {
    // pytest reads the file with universal newlines: `\r` ends a line too.
    let lines = || source::PythonLines::new(text).map(|l| l.trim_end_matches(['\r', '\n']));
    let first_example = lines().position(|line| line.trim_start().starts_with(">>>"))?;
    let name = file.rel.rsplit('/').next().unwrap_or(&file.rel).to_owned();
    Some(TestItem {
        node_id: format!("{}::{name}", file.rel),
        path: file.rel.clone(),
        class: None,
        function: name,
        line: u32::try_from(first_example + 1).unwrap_or(u32::MAX),
        def_line: lines().nth(first_example).unwrap_or_default().into(),
        group: None,
        group_source: None,
        group_error: false,
        unseen_in: None,
        doctest: true,
        runner: None,
        marks: Vec::new(),
        param_marks: None,
        param: None,
        test_root: file.test_root.clone(),
    })
}

fn read_source(path: &std::path::Path, rel: &str) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
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
mod proptests;
#[cfg(test)]
mod tests;
