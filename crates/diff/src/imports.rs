//! The import graph of the Python files in the test tree, resolved as pytest's default
//! `prepend` import mode makes them resolve: each file's first directory upwards without an
//! `__init__.py` (its "basedir") goes on `sys.path`, and so does the rootdir.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use ruff_python_ast::statement_visitor::{walk_stmt, StatementVisitor};
use ruff_python_ast::{Expr, Stmt};

/// What one file imports.
#[derive(Debug, Default, Clone)]
pub struct FileImports {
    /// Files the imports resolve to, including the `__init__.py` files of the packages on the way.
    pub resolved: BTreeSet<PathBuf>,
    /// An import that resolves to nothing but could point into the test tree (a relative import,
    /// or an absolute one whose first name exists there), or the file did not parse: it may
    /// depend on any module of the tree. The string says which.
    pub unknown: Option<String>,
}

/// The graph of every Python file under the tree.
pub struct ImportGraph {
    pub files: BTreeMap<PathBuf, FileImports>,
}

/// Why a file depends on a changed module: the chain of imports, first the file's own.
pub type Chain = Vec<PathBuf>;

impl ImportGraph {
    pub fn build(tree: &Tree, rootdir: &Path) -> Self {
        let mut roots: Vec<PathBuf> = vec![rootdir.to_path_buf()];
        let mut seen: HashSet<PathBuf> = roots.iter().cloned().collect();
        for file in &tree.python_files {
            let base = basedir(tree, file);
            if seen.insert(base.clone()) {
                roots.push(base);
            }
        }
        let read_all = || {
            tree.python_files
                .par_iter()
                .map(|file| (file.clone(), file_imports(tree, file, &roots)))
                .collect::<Vec<_>>()
        };
        // Threads with parse-sized stacks parse in place instead of starting one per file.
        let files = match fanout_pytest::source::parse_pool() {
            Ok(pool) => pool.install(read_all),
            Err(_) => read_all(),
        };
        Self {
            files: files.into_iter().collect(),
        }
    }

    /// Whether some file of the tree imports `module` (statically, as the graph reads imports).
    pub fn is_imported(&self, module: &Path) -> bool {
        self.files
            .values()
            .any(|imports| imports.resolved.contains(module))
    }

    /// Every file that depends on one of `changed`, directly or transitively, with the chain
    /// of imports that leads there (empty chain: it may depend on anything).
    pub fn dependents(
        &self,
        changed: &BTreeSet<PathBuf>,
    ) -> BTreeMap<PathBuf, (Chain, Option<String>)> {
        let mut out: BTreeMap<PathBuf, (Chain, Option<String>)> = BTreeMap::new();
        if changed.is_empty() {
            return out;
        }
        loop {
            let mut grew = false;
            for (file, imports) in &self.files {
                if out.contains_key(file) {
                    continue;
                }
                let hit = imports.resolved.iter().find_map(|dep| {
                    if changed.contains(dep) {
                        Some((vec![dep.clone()], None))
                    } else {
                        out.get(dep).map(|(chain, unknown)| {
                            let mut c = vec![dep.clone()];
                            c.extend(chain.iter().cloned());
                            (c, unknown.clone())
                        })
                    }
                });
                let hit = hit.or_else(|| imports.unknown.clone().map(|u| (Vec::new(), Some(u))));
                if let Some(hit) = hit {
                    out.insert(file.clone(), hit);
                    grew = true;
                }
            }
            if !grew {
                return out;
            }
        }
    }
}

/// pytest's basedir for `prepend`: the first directory upwards without `__init__.py`.
fn basedir(tree: &Tree, file: &Path) -> PathBuf {
    let mut dir = file.parent().unwrap_or(file).to_path_buf();
    while tree.is_file(&dir.join("__init__.py")) {
        match dir.parent() {
            Some(parent) => dir = parent.to_path_buf(),
            None => break,
        }
    }
    dir
}

#[derive(Default)]
struct Collector {
    /// (level, module, imported names)
    imports: Vec<(u32, Option<String>, Vec<String>)>,
    dynamic_plugins: bool,
}

impl StatementVisitor<'_> for Collector {
    fn visit_stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    self.imports
                        .push((0, Some(alias.name.id.to_string()), Vec::new()));
                }
            }
            Stmt::ImportFrom(from) => {
                let names = from.names.iter().map(|a| a.name.id.to_string()).collect();
                self.imports.push((
                    from.level,
                    from.module.as_ref().map(|m| m.id.to_string()),
                    names,
                ));
            }
            Stmt::Assign(assign)
                if assign
                    .targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "pytest_plugins")) =>
            {
                self.plugins(&assign.value);
            }
            _ => walk_stmt(self, stmt),
        }
    }
}

impl Collector {
    fn plugins(&mut self, value: &Expr) {
        let items: Vec<&Expr> = match value {
            Expr::List(l) => l.elts.iter().collect(),
            Expr::Tuple(t) => t.elts.iter().collect(),
            other => vec![other],
        };
        for item in items {
            match item {
                Expr::StringLiteral(s) => {
                    self.imports
                        .push((0, Some(s.value.to_str().to_owned()), Vec::new()));
                }
                _ => self.dynamic_plugins = true,
            }
        }
    }
}

fn file_imports(tree: &Tree, file: &Path, roots: &[PathBuf]) -> FileImports {
    let mut out = FileImports::default();
    let Ok(text) = fanout_core::files::read_to_string(file) else {
        out.unknown = Some("it cannot be read as UTF-8 text".into());
        return out;
    };
    let Ok(parsed) = fanout_pytest::source::parse(&text) else {
        out.unknown = Some("it does not parse".into());
        return out;
    };
    let mut collector = Collector::default();
    collector.visit_body(&parsed.syntax().body);
    if collector.dynamic_plugins {
        out.unknown = Some("its `pytest_plugins` is not a list of string literals".into());
    }
    let dir = file.parent().unwrap_or(file);
    for (level, module, names) in collector.imports {
        if level == 0 {
            let Some(module) = module else { continue };
            match resolve_absolute(tree, &module, roots) {
                Some(found) => {
                    out.resolved.extend(found);
                    for name in &names {
                        if let Some(sub) =
                            resolve_absolute(tree, &format!("{module}.{name}"), roots)
                        {
                            out.resolved.extend(sub);
                        }
                    }
                }
                None => {
                    let first = module.split('.').next().unwrap_or(&module);
                    let in_tree = roots.iter().any(|r| {
                        tree.is_dir(&r.join(first)) || tree.is_file(&r.join(format!("{first}.py")))
                    });
                    if in_tree {
                        out.unknown = Some(format!("`import {module}` does not resolve"));
                    }
                }
            }
        } else {
            let mut base = dir.to_path_buf();
            for _ in 1..level {
                base = base.parent().map_or(base.clone(), Path::to_path_buf);
            }
            let shown = format!(
                "{}{}",
                ".".repeat(level as usize),
                module.as_deref().unwrap_or("")
            );
            let package = match &module {
                Some(m) => resolve_in(tree, &base, m),
                None => Some(init_of(tree, &base).into_iter().collect()),
            };
            match package {
                Some(found) => {
                    out.resolved.extend(found);
                    let pkg_dir = match &module {
                        Some(m) => base.join(m.replace('.', "/")),
                        None => base.clone(),
                    };
                    for name in &names {
                        if let Some(sub) = resolve_in(tree, &pkg_dir, name) {
                            out.resolved.extend(sub);
                        }
                    }
                }
                None => out.unknown = Some(format!("`from {shown} import ...` does not resolve")),
            }
        }
    }
    out
}

fn init_of(tree: &Tree, dir: &Path) -> Option<PathBuf> {
    let init = dir.join("__init__.py");
    tree.is_file(&init).then_some(init)
}

fn resolve_absolute(tree: &Tree, module: &str, roots: &[PathBuf]) -> Option<Vec<PathBuf>> {
    roots.iter().find_map(|root| resolve_in(tree, root, module))
}

/// `a.b.c` under `root`: the module file (or package `__init__.py`) and the `__init__.py`
/// of every package on the way. Namespace packages (no `__init__.py`) count as found.
fn resolve_in(tree: &Tree, root: &Path, module: &str) -> Option<Vec<PathBuf>> {
    let parts: Vec<&str> = module.split('.').collect();
    let (last, packages) = parts.split_last()?;
    let mut dir = root.to_path_buf();
    let mut found = Vec::new();
    for part in packages {
        dir.push(part);
        if !tree.is_dir(&dir) {
            return None;
        }
        found.extend(init_of(tree, &dir));
    }
    let file = dir.join(format!("{last}.py"));
    if tree.is_file(&file) {
        found.push(file);
        return Some(found);
    }
    let package = dir.join(last);
    if tree.is_dir(&package) {
        found.extend(init_of(tree, &package));
        return Some(found);
    }
    None
}

/// The files and directories of the test tree, walked once: resolving imports asks many
/// "is there a file here" questions, answered from memory inside the tree.
pub struct Tree {
    roots: Vec<PathBuf>,
    pub python_files: Vec<PathBuf>,
    files: HashSet<PathBuf>,
    dirs: HashSet<PathBuf>,
}

impl Tree {
    /// Walks the roots, skipping hidden directories, `__pycache__`, `node_modules` and
    /// virtualenvs.
    pub fn walk(roots: &[PathBuf]) -> Self {
        let mut tree = Tree {
            roots: roots.to_vec(),
            python_files: Vec::new(),
            files: HashSet::new(),
            dirs: HashSet::new(),
        };
        let mut stack: Vec<PathBuf> = roots.to_vec();
        while let Some(path) = stack.pop() {
            if path.is_file() {
                if path.extension().is_some_and(|e| e == "py") {
                    tree.python_files.push(path.clone());
                }
                tree.files.insert(path);
                continue;
            }
            let Ok(entries) = std::fs::read_dir(&path) else {
                continue;
            };
            tree.dirs.insert(path.clone());
            if path.join("pyvenv.cfg").is_file() {
                continue;
            }
            for entry in entries.flatten() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name.starts_with('.') || name == "__pycache__" || name == "node_modules" {
                    continue;
                }
                stack.push(entry.path());
            }
        }
        tree.python_files.sort();
        tree.python_files.dedup();
        tree
    }

    /// Counts files deleted by the change as still there (and their directories), so imports
    /// resolve as they did on the base side: a module's importers are found after it is gone.
    pub fn with_deleted(mut self, deleted: &[PathBuf]) -> Self {
        for path in deleted {
            if !self.inside(path) {
                continue;
            }
            self.files.insert(path.clone());
            let mut dir = path.parent();
            while let Some(d) = dir.filter(|d| self.inside(d)) {
                if !self.dirs.insert(d.to_path_buf()) {
                    break;
                }
                dir = d.parent();
            }
        }
        self
    }

    fn inside(&self, path: &Path) -> bool {
        self.roots.iter().any(|r| path.starts_with(r))
    }

    fn is_file(&self, path: &Path) -> bool {
        if self.inside(path) {
            self.files.contains(path)
        } else {
            path.is_file()
        }
    }

    fn is_dir(&self, path: &Path) -> bool {
        if self.inside(path) {
            self.dirs.contains(path)
        } else {
            path.is_dir()
        }
    }
}

#[cfg(test)]
#[path = "imports_tests.rs"]
mod tests;
