//! pytest collects a `unittest.TestCase` subclass wherever a test module binds it, whatever
//! its name: `from helpers import SharedChecks` runs SharedChecks' tests in the importing module
//! too. A module collected alone never reads `helpers`; this finds, with one small index of
//! just the imported project modules, which of those names are TestCase subclasses, so that
//! only the modules that import one are collected again against the whole index.

use crate::classes::{self, ClassRef};
use crate::index::{self, search_path::Found, Locator, ModuleSource, ProjectIndex, Target};
use crate::namespace::{Binding, Namespace};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A class-like name a test module imports from a project module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedClass {
    /// The project module it is imported from.
    pub from: PathBuf,
    pub name: String,
}

/// The names `namespace` still binds to a `from module import Name` at its end that look like
/// classes (`CamelCase`), are not test-like (those make the module need the index anyway) and
/// come from a module of the project.
pub fn candidates(
    importer: &Path,
    namespace: &Namespace<'_>,
    test_like: impl Fn(&str) -> bool,
    locator: &Locator,
) -> Vec<ImportedClass> {
    let mut found = Vec::new();
    for (name, _) in namespace.imported() {
        if !matches!(namespace.get(name), Some(Binding::Value(None)))
            || !class_like(name)
            || test_like(name)
        {
            continue;
        }
        let Some(source) = namespace.import_source(name) else {
            continue;
        };
        let Some(imported) = source.name else {
            continue;
        };
        if source.level == 0 && is_library(source.module) {
            continue;
        }
        if let Some(Found::File(from)) = locator.locate(importer, source.level, source.module) {
            found.push(ImportedClass {
                from,
                name: imported.to_owned(),
            });
        }
    }
    found
}

/// Which of `wanted` (per test module) name a TestCase subclass: the indices of the test
/// modules that import one.
pub fn importers_of_testcases(
    wanted: &[(usize, Vec<ImportedClass>)],
    locator: &Locator,
    rootdir: &Path,
) -> Vec<usize> {
    let mut paths: Vec<&PathBuf> = wanted
        .iter()
        .flat_map(|(_, c)| c)
        .map(|c| &c.from)
        .collect();
    paths.sort();
    paths.dedup();
    let mut sources: Vec<ModuleSource> = paths
        .par_iter()
        .filter_map(|path| index::read_module(path, rootdir))
        .collect();
    let start = (0..sources.len()).collect();
    index::load_imported(&mut sources, start, locator, rootdir);
    let namespaces = index::namespaces(&sources);
    let bindings = index::bindings(&sources, &namespaces);
    let project = ProjectIndex::new(&sources, &namespaces, &bindings, locator);
    let by_path: HashMap<&Path, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.abs.as_path(), i))
        .collect();
    let is_testcase = |class: &ImportedClass| {
        let Some(&module) = by_path.get(class.from.as_path()) else {
            return false;
        };
        match project.resolve_name(module, &class.name) {
            Target::Class { module, def } => {
                classes::mro(ClassRef { module, def }, &project).unittest
            }
            Target::External(q) => index::unittest_bases::is_testcase(&q),
            _ => false,
        }
    };
    wanted
        .iter()
        .filter(|(_, classes)| classes.iter().any(is_testcase))
        .map(|(file, _)| *file)
        .collect()
}

/// `CamelCase`: an upper-case first letter and a lower-case letter somewhere (`APP_NAME` is a
/// constant, not a class).
fn class_like(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.contains(|c: char| c.is_ascii_lowercase())
}

/// Modules whose classes are never project test cases (unittest's own bases have no tests).
fn is_library(module: &str) -> bool {
    matches!(
        module.split('.').next(),
        Some(
            "pytest"
                | "_pytest"
                | "unittest"
                | "typing"
                | "typing_extensions"
                | "collections"
                | "enum"
                | "dataclasses"
                | "abc"
                | "pathlib"
                | "datetime"
                | "decimal"
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_like_names() {
        assert!(class_like("SharedChecks"));
        assert!(class_like("OpsTest"));
        assert!(!class_like("APP_NAME"));
        assert!(!class_like("helper"));
        assert!(!class_like("_Private"));
    }
}
