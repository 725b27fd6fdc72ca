//! Where `import name` finds a module: the directories pytest puts on `sys.path`.
//!
//! With `--import-mode=prepend` (the default) or `append`, pytest inserts each test module's
//! basedir (the first directory upward without an `__init__.py`) into `sys.path`;
//! `importlib` inserts nothing. `pythonpath` entries come first in every mode, and the rootdir
//! last (it is the working directory of `python -m pytest`, and of conftest imports there).

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    Prepend,
    Append,
    Importlib,
}

impl ImportMode {
    /// `--import-mode` as written; unknown values are pytest's error, read as the default.
    pub fn from_option(value: Option<&str>) -> Self {
        match value {
            Some("append") => ImportMode::Append,
            Some("importlib") => ImportMode::Importlib,
            _ => ImportMode::Prepend,
        }
    }
}

pub struct SearchPath {
    /// `pythonpath` entries, absolute.
    pub pythonpath: Vec<PathBuf>,
    pub rootdir: PathBuf,
    pub mode: ImportMode,
}

/// A module found on the search path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    File(PathBuf),
    /// A directory without `__init__.py`: a namespace package, importable but empty.
    NamespacePackage(PathBuf),
}

impl SearchPath {
    /// The directories searched for an absolute import, in order, given the basedirs of all
    /// test modules (the importer's first).
    pub fn roots(&self, basedirs: &[PathBuf]) -> Vec<PathBuf> {
        let mut roots = self.pythonpath.clone();
        if self.mode != ImportMode::Importlib {
            roots.extend(basedirs.iter().cloned());
        }
        roots.push(self.rootdir.clone());
        let mut seen = std::collections::HashSet::new();
        roots.retain(|r| seen.insert(r.clone()));
        roots
    }
}

/// The first directory upward from `file` without an `__init__.py`: what `prepend` and
/// `append` put on `sys.path` for it.
pub fn basedir(file: &Path) -> PathBuf {
    let mut dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
    while dir.join("__init__.py").is_file() {
        match dir.parent() {
            Some(parent) => dir = parent.to_path_buf(),
            None => break,
        }
    }
    dir
}

/// `a.b.c` below `root`: `a/b/c.py` or `a/b/c/__init__.py`, or a namespace package dir.
pub fn find_in(root: &Path, dotted: &str) -> Option<Found> {
    if dotted.is_empty() {
        return package_at(root.to_path_buf());
    }
    let mut path = root.to_path_buf();
    for part in dotted.split('.') {
        if part.is_empty() {
            return None;
        }
        path.push(part);
    }
    let file = path.with_extension("py");
    if file.is_file() {
        return Some(Found::File(file));
    }
    package_at(path)
}

fn package_at(dir: PathBuf) -> Option<Found> {
    let init = dir.join("__init__.py");
    if init.is_file() {
        Some(Found::File(init))
    } else if dir.is_dir() {
        Some(Found::NamespacePackage(dir))
    } else {
        None
    }
}

/// The package directory a relative import with `level` dots starts from.
pub fn relative_base(importer: &Path, level: u32) -> Option<PathBuf> {
    let mut dir = importer.parent()?.to_path_buf();
    for _ in 1..level {
        dir = dir.parent()?.to_path_buf();
    }
    Some(dir)
}
