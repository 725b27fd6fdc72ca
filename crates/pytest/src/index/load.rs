//! Reading the project modules test modules import, transitively, each parsed once and in
//! parallel, round by round.

use super::locate::Locator;
use super::search_path::Found;
use super::ModuleSource;
use crate::source;
use rayon::prelude::*;
use ruff_python_ast::Stmt;
use rustc_hash::FxHashSet as HashSet;
use std::path::{Path, PathBuf};

/// More modules than any project has: a bound on work, not a limit anyone should meet.
const MAX_MODULES: usize = 50_000;

/// Adds to `sources` every project module reachable by imports from `start` (indices in
/// `sources`).
pub fn load_imported(
    sources: &mut Vec<ModuleSource>,
    start: Vec<usize>,
    locator: &Locator,
    rootdir: &Path,
) {
    let mut known: HashSet<PathBuf> = sources.iter().map(|s| s.abs.clone()).collect();
    let mut frontier = start;
    while !frontier.is_empty() && sources.len() < MAX_MODULES {
        let wanted: Vec<PathBuf> = frontier
            .par_iter()
            .filter_map(|&i| sources.get(i))
            .flat_map_iter(|s| imported_files(s, locator))
            .collect();
        let mut new_paths: Vec<PathBuf> = Vec::new();
        for path in wanted {
            if known.insert(path.clone()) {
                new_paths.push(path);
            }
        }
        let loaded: Vec<ModuleSource> = new_paths
            .par_iter()
            .filter_map(|path| read_module(path, rootdir))
            .collect();
        let start = sources.len();
        sources.extend(loaded);
        frontier = (start..sources.len()).collect();
    }
}

/// A module imported for its names; one that cannot be read or parsed is left out (names
/// from it are then unknown, and reported where they matter).
pub fn read_module(path: &Path, rootdir: &Path) -> Option<ModuleSource> {
    let text = fanout_core::files::read_to_string(path).ok()?;
    let parsed = source::parse(&text).ok();
    Some(ModuleSource {
        abs: path.to_path_buf(),
        rel: crate::walk::relative_to(path, rootdir),
        text,
        parsed,
    })
}

/// The project files the module's imports name (every package on the way, and for
/// `from m import n` also the submodule `m.n`).
fn imported_files(module: &ModuleSource, locator: &Locator) -> Vec<PathBuf> {
    let Some(parsed) = &module.parsed else {
        return Vec::new();
    };
    let mut wanted = Vec::new();
    let mut push = |level: u32, dotted: &str| {
        if let Some(Found::File(path)) = locator.locate(&module.abs, level, dotted) {
            wanted.push(path);
        }
    };
    visit_imports(&parsed.syntax().body, &mut |stmt| match stmt {
        Stmt::Import(import) => {
            for alias in &import.names {
                for prefix in prefixes(alias.name.as_str()) {
                    push(0, prefix);
                }
            }
        }
        Stmt::ImportFrom(import) => {
            let module_name = import.module.as_ref().map_or("", |m| m.as_str());
            for prefix in prefixes(module_name) {
                push(import.level, prefix);
            }
            if module_name.is_empty() {
                push(import.level, "");
            }
            for alias in &import.names {
                if alias.name.as_str() != "*" {
                    let sub = if module_name.is_empty() {
                        alias.name.to_string()
                    } else {
                        format!("{module_name}.{}", alias.name)
                    };
                    push(import.level, &sub);
                }
            }
        }
        _ => {}
    });
    wanted
}

/// `a.b.c` -> `a`, `a.b`, `a.b.c`.
fn prefixes(dotted: &str) -> impl Iterator<Item = &str> {
    dotted
        .match_indices('.')
        .map(move |(i, _)| &dotted[..i])
        .chain((!dotted.is_empty()).then_some(dotted))
}

/// Import statements run at import time: at module level, under `if`/`try`/`with`/`match`.
fn visit_imports<'a>(body: &'a [Stmt], f: &mut impl FnMut(&'a Stmt)) {
    for stmt in body {
        match stmt {
            Stmt::Import(_) | Stmt::ImportFrom(_) => f(stmt),
            Stmt::If(s) => {
                visit_imports(&s.body, f);
                for clause in &s.elif_else_clauses {
                    visit_imports(&clause.body, f);
                }
            }
            Stmt::Try(s) => {
                visit_imports(&s.body, f);
                for handler in &s.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                    visit_imports(&h.body, f);
                }
                visit_imports(&s.orelse, f);
                visit_imports(&s.finalbody, f);
            }
            Stmt::With(s) => visit_imports(&s.body, f),
            Stmt::Match(s) => {
                for case in &s.cases {
                    visit_imports(&case.body, f);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn prefixes_of_a_dotted_name() {
        let all: Vec<&str> = super::prefixes("a.b.c").collect();
        assert_eq!(all, ["a", "a.b", "a.b.c"]);
        assert_eq!(super::prefixes("").count(), 0);
    }
}
