//! The project index: the modules test modules import from the project, each parsed once,
//! and lazy, cached resolution of names across them (what a class's base is, what an
//! imported name is bound to).
//!
//! Built from the test modules' own parse trees; the imported modules are read only when a
//! test module needs them ([`needs_imports`]): in the common case the index holds the test
//! modules alone.

mod load;
mod locate;
mod lookup;
pub mod search_path;
pub mod unittest_bases;

pub use load::{load_imported, read_module};
pub use locate::Locator;
pub use lookup::Target;

use crate::marks::Bindings;
use crate::namespace::{Binding, Namespace};
use ruff_python_ast::{Expr, ModModule, Stmt};
use ruff_python_parser::Parsed;
use rustc_hash::FxHashMap as HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

/// One module's text and parse tree (None when it does not parse).
pub struct ModuleSource {
    pub abs: PathBuf,
    /// Relative to the rootdir, `/`-separated.
    pub rel: String,
    pub text: String,
    pub parsed: Option<Parsed<ModModule>>,
}

impl ModuleSource {
    pub fn body(&self) -> &[Stmt] {
        self.parsed.as_ref().map_or(&[], |p| &p.syntax().body)
    }
}

/// A module's names, seen from another module.
#[derive(Clone, Copy)]
pub struct ModuleContext<'s> {
    pub id: usize,
    pub rel: &'s str,
    pub namespace: &'s Namespace<'s>,
    pub bindings: &'s Bindings<'s>,
}

pub struct ProjectIndex<'s> {
    sources: &'s [ModuleSource],
    namespaces: &'s [Namespace<'s>],
    bindings: &'s [Bindings<'s>],
    locator: &'s Locator,
    by_path: HashMap<&'s std::path::Path, usize>,
    resolved: Mutex<HashMap<(usize, String), Target<'s>>>,
}

impl<'s> ProjectIndex<'s> {
    /// Whether the index holds only the module being collected (other modules were not
    /// needed, so resolving their names would only read the disk to learn nothing).
    pub fn is_single_module(&self) -> bool {
        self.sources.len() <= 1
    }

    pub fn new(
        sources: &'s [ModuleSource],
        namespaces: &'s [Namespace<'s>],
        bindings: &'s [Bindings<'s>],
        locator: &'s Locator,
    ) -> Self {
        ProjectIndex {
            by_path: sources
                .iter()
                .enumerate()
                .map(|(i, s)| (s.abs.as_path(), i))
                .collect(),
            sources,
            namespaces,
            bindings,
            locator,
            resolved: Mutex::default(),
        }
    }

    pub fn context(&self, id: usize) -> Option<ModuleContext<'s>> {
        Some(ModuleContext {
            id,
            rel: &self.sources.get(id)?.rel,
            namespace: self.namespaces.get(id)?,
            bindings: self.bindings.get(id)?,
        })
    }

    /// The expression a module-level constant imported into `module` as `name` is bound to,
    /// with the module it is written in (for the static evaluator).
    pub fn resolve_imported_constant(
        &self,
        module: usize,
        name: &str,
    ) -> Option<(&'s Expr, ModuleContext<'s>)> {
        match self.resolve_name(module, name) {
            Target::Value { module, expr } => {
                let ctx = self.context(module)?;
                // A constant is a name bound once to a value.
                let local = match expr {
                    Expr::Name(_) => true,
                    _ => ctx.namespace.contains(name),
                };
                local.then_some((expr, ctx))
            }
            _ => None,
        }
    }
}

impl<'s> crate::eval::ImportedConstants<'s> for ProjectIndex<'s> {
    fn constant(
        &self,
        importer: &Bindings<'s>,
        name: &str,
    ) -> Option<(&'s Expr, &'s Bindings<'s>)> {
        let module = self
            .bindings
            .iter()
            .position(|b| std::ptr::eq(b, importer))?;
        let (expr, context) = self.resolve_imported_constant(module, name)?;
        Some((expr, context.bindings))
    }
}

/// Each module's namespace, built in parallel.
pub fn namespaces(sources: &[ModuleSource]) -> Vec<Namespace<'_>> {
    use rayon::prelude::*;
    sources
        .par_iter()
        .map(|s| Namespace::of_body(s.body()))
        .collect()
}

/// Each module's names for `pytest` and its marks, over its namespace, built in parallel.
pub fn bindings<'s>(
    sources: &'s [ModuleSource],
    namespaces: &'s [Namespace<'s>],
) -> Vec<Bindings<'s>> {
    use rayon::prelude::*;
    sources
        .par_iter()
        .zip(namespaces)
        .map(|(s, ns)| Bindings::new(s.body(), ns))
        .collect()
}

/// Whether collecting this module needs names from other modules: a class base, a star
/// import, a name that looks like a test bound by an import, or a name imported from another
/// module used in a decorator or `pytestmark` (a group id or parametrize data).
pub fn needs_imports(namespace: &Namespace<'_>, test_like: impl Fn(&str) -> bool) -> bool {
    if !namespace.star_imports().is_empty() {
        return true;
    }
    let imported_constant = |expr: &Expr| uses_imported_name(expr, namespace);
    namespace.iter().any(|(name, binding)| match binding {
        Binding::Function(def) => def
            .decorator_list
            .iter()
            .any(|d| imported_constant(&d.expression)),
        Binding::Class(def) => {
            def.bases().iter().any(|base| !local_base(base, namespace))
                || def
                    .decorator_list
                    .iter()
                    .any(|d| imported_constant(&d.expression))
                || def.body.iter().any(|stmt| match stmt {
                    Stmt::FunctionDef(f) => f
                        .decorator_list
                        .iter()
                        .any(|d| imported_constant(&d.expression)),
                    Stmt::Assign(a) => imported_constant(&a.value),
                    _ => false,
                })
        }
        Binding::Value(Some(value)) if name == "pytestmark" => imported_constant(value),
        Binding::Value(None) => namespace.import_source(name).is_some() && test_like(name),
        Binding::Value(Some(Expr::Name(target))) => {
            test_like(name) && namespace.import_source(target.id.as_str()).is_some()
        }
        _ => false,
    })
}

/// Whether `expr` reads a name bound by `from module import name` (pytest's own excepted).
fn uses_imported_name<'a>(expr: &'a Expr, namespace: &Namespace<'a>) -> bool {
    use ruff_python_ast::visitor::{walk_expr, Visitor};
    struct Finder<'n, 'a> {
        namespace: &'n Namespace<'a>,
        found: bool,
        /// Module constants already followed (`CASES = [... for c in CLOUDS]`).
        followed: Vec<&'a str>,
    }
    impl<'a> Visitor<'a> for Finder<'_, 'a> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.found {
                return;
            }
            if let Expr::Name(n) = expr {
                let name = n.id.as_str();
                self.found = self.namespace.import_source(name).is_some_and(|s| {
                    s.name.is_some()
                        && !matches!(s.module.split('.').next(), Some("pytest" | "_pytest"))
                });
                if let Some(value) = self.namespace.constant(name) {
                    if !self.found && !self.followed.contains(&name) {
                        self.followed.push(name);
                        self.visit_expr(value);
                    }
                }
                return;
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        namespace,
        found: false,
        followed: Vec::new(),
    };
    finder.visit_expr(expr);
    finder.found
}

/// A base defined in the module itself, `object`, or one of unittest's classes, which are
/// known without reading other files.
fn local_base(base: &Expr, namespace: &Namespace<'_>) -> bool {
    match base {
        Expr::Name(n) => {
            let name = n.id.as_str();
            name == "object" || matches!(namespace.get(name), Some(Binding::Class(_)))
        }
        Expr::Attribute(a) => {
            matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "unittest")
        }
        Expr::Subscript(s) => local_base(&s.value, namespace),
        _ => false,
    }
}
