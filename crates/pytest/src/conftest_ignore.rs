//! `collect_ignore` and `collect_ignore_glob` in conftest.py files: pytest skips the paths
//! they list (relative to the conftest's folder) below that folder.
//!
//! Only literal lists of strings are read (`= [...]`, `+= [...]`, `.append("x")`,
//! `.extend([...])`, also under a condition [`crate::conditions`] decides); anything else is a
//! warning, and the files stay collected.

use crate::fnmatch::fnmatch;
use crate::source::{self, LineIndex};
use crate::walk::{relative_to, TestFile};
use fanout_core::{Code, Diagnostic};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Default)]
struct Ignores {
    paths: Vec<PathBuf>,
    globs: Vec<String>,
}

/// The files no conftest.py ignores, and the warnings about lists that could not be read.
/// Files named on the command line are kept, as pytest keeps them.
pub fn apply(files: Vec<TestFile>, rootdir: &Path) -> (Vec<TestFile>, Vec<Diagnostic>) {
    let mut per_dir: HashMap<PathBuf, Option<Ignores>> = HashMap::new();
    let mut diagnostics = Vec::new();
    // Files come folder by folder: the folders above the last one, outermost first, each with
    // whether its conftest.py was read yet (`None`) and whether it ignores anything.
    let mut last_folder: Option<PathBuf> = None;
    let mut chain: Vec<(PathBuf, Option<bool>)> = Vec::new();
    let kept = files
        .into_iter()
        .filter(|file| {
            if file.rel == file.test_root {
                return true;
            }
            let folder = file.abs.parent();
            if last_folder.as_deref().map(Path::as_os_str) != folder.map(Path::as_os_str) {
                chain = file
                    .abs
                    .ancestors()
                    .skip(1)
                    .take_while(|d| d.starts_with(rootdir))
                    .map(|d| (d.to_path_buf(), None))
                    .collect();
                chain.reverse();
                last_folder = folder.map(Path::to_path_buf);
            }
            // A conftest.py is read when the first file gets to its folder, as pytest would
            // enter it: not below a folder that ignores the file.
            !chain.iter_mut().any(|(dir, ignores_any)| {
                let has = *ignores_any.get_or_insert_with(|| {
                    per_dir
                        .entry(dir.clone())
                        .or_insert_with(|| read_conftest(dir, rootdir, &mut diagnostics))
                        .is_some()
                });
                has && per_dir
                    .get(dir.as_path())
                    .and_then(Option::as_ref)
                    .is_some_and(|i| ignores_file(i, dir, &file.abs))
            })
        })
        .collect();
    (kept, diagnostics)
}

fn ignores_file(ignores: &Ignores, dir: &Path, file: &Path) -> bool {
    let below: Vec<&Path> = file.ancestors().take_while(|p| *p != dir).collect();
    below.iter().any(|path| {
        ignores.paths.iter().any(|p| p == path)
            || ignores.globs.iter().any(|g| {
                let pattern = dir.join(g);
                fnmatch(&path.to_string_lossy(), &pattern.to_string_lossy())
            })
    })
}

fn read_conftest(dir: &Path, rootdir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<Ignores> {
    let path = dir.join("conftest.py");
    let text = fanout_core::files::read_to_string(&path).ok()?;
    if !text.contains("collect_ignore") {
        return None;
    }
    let parsed = source::with_parse_stack(|| source::parse(&text).ok()).flatten()?;
    let mut reader = Reader {
        dir,
        ignores: Ignores::default(),
        unreadable: Vec::new(),
    };
    reader.body(&parsed.syntax().body);
    let lines = LineIndex::new(&text);
    let rel = relative_to(&path, rootdir);
    for range in reader.unreadable {
        let (line, column) = lines.position(range.start());
        diagnostics.push(
            Diagnostic::warning(
                Code::DynamicCollectIgnore,
                &rel,
                "`collect_ignore` is built from values fanout cannot evaluate: the files it makes pytest skip are still listed",
            )
            .at(line, column)
            .with_source_line(lines.line_text(line))
            .with_hint("list the ignored paths as string literals, or use `--ignore`/`norecursedirs` in the pytest config"),
        );
    }
    Some(reader.ignores)
}

struct Reader<'d> {
    dir: &'d Path,
    ignores: Ignores,
    unreadable: Vec<TextRange>,
}

impl Reader<'_> {
    fn body(&mut self, body: &[Stmt]) {
        for stmt in body {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Assign(a) => {
                for target in &a.targets {
                    if let Some(glob) = list_name(target) {
                        self.clear(glob);
                        self.extend(glob, &a.value);
                    }
                }
            }
            Stmt::AnnAssign(a) => {
                if let (Some(glob), Some(value)) = (list_name(&a.target), &a.value) {
                    self.clear(glob);
                    self.extend(glob, value);
                }
            }
            Stmt::AugAssign(a) => {
                if let Some(glob) = list_name(&a.target) {
                    self.extend(glob, &a.value);
                }
            }
            Stmt::Expr(e) => self.call(&e.value),
            Stmt::If(s) => {
                let branches = std::iter::once((Some(&*s.test), &s.body)).chain(
                    s.elif_else_clauses
                        .iter()
                        .map(|c| (c.test.as_ref(), &c.body)),
                );
                for (test, body) in branches {
                    match test.map_or(Some(true), crate::conditions::truth) {
                        Some(true) => {
                            self.body(body);
                            return;
                        }
                        Some(false) => {}
                        None => {
                            if mentions_lists(body) {
                                self.unreadable.push(stmt.range());
                            }
                            return;
                        }
                    }
                }
            }
            Stmt::Try(s) => {
                self.body(&s.body);
                // An `except ImportError:` branch depends on what is installed.
                let handlers = s.handlers.iter().map(|h| {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                    &h.body[..]
                });
                for body in handlers.chain([&s.orelse[..]]) {
                    if mentions_lists(body) {
                        self.unreadable.push(stmt.range());
                    }
                }
                self.body(&s.finalbody);
            }
            _ => {}
        }
    }

    fn call(&mut self, expr: &Expr) {
        let Expr::Call(call) = expr else { return };
        let Expr::Attribute(method) = &*call.func else {
            return;
        };
        let Some(glob) = list_name(&method.value) else {
            return;
        };
        match (method.attr.as_str(), call.arguments.args.first()) {
            ("append", Some(value)) => self.push(glob, value),
            ("extend", Some(value)) => self.extend(glob, value),
            _ => self.unreadable.push(expr.range()),
        }
    }

    fn clear(&mut self, glob: bool) {
        if glob {
            self.ignores.globs.clear();
        } else {
            self.ignores.paths.clear();
        }
    }

    fn extend(&mut self, glob: bool, value: &Expr) {
        let elts = match value {
            Expr::List(l) => &l.elts,
            Expr::Tuple(t) => &t.elts,
            _ => {
                self.unreadable.push(value.range());
                return;
            }
        };
        for elt in elts {
            self.push(glob, elt);
        }
    }

    fn push(&mut self, glob: bool, value: &Expr) {
        let Expr::StringLiteral(s) = value else {
            self.unreadable.push(value.range());
            return;
        };
        let text = s.value.to_str();
        if glob {
            self.ignores.globs.push(text.to_owned());
        } else {
            self.ignores.paths.push(normalize(&self.dir.join(text)));
        }
    }
}

/// `collect_ignore` (false) or `collect_ignore_glob` (true).
fn list_name(expr: &Expr) -> Option<bool> {
    match expr {
        Expr::Name(n) if n.id.as_str() == "collect_ignore" => Some(false),
        Expr::Name(n) if n.id.as_str() == "collect_ignore_glob" => Some(true),
        _ => None,
    }
}

fn mentions_lists(body: &[Stmt]) -> bool {
    let mut reader = Reader {
        dir: Path::new(""),
        ignores: Ignores::default(),
        unreadable: Vec::new(),
    };
    reader.body(body);
    !reader.ignores.paths.is_empty()
        || !reader.ignores.globs.is_empty()
        || !reader.unreadable.is_empty()
}

/// `a/./b/../c` -> `a/c`, lexically, as `os.path.join` plus pytest's absolute paths compare.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
