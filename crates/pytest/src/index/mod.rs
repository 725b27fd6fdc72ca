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

pub use load::load_imported;
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

/// Whether collecting this module needs names from other modules: a class base, a star
/// import, or a name that looks like a test bound by an import.
pub fn needs_imports(namespace: &Namespace<'_>, test_like: impl Fn(&str) -> bool) -> bool {
    if !namespace.star_imports().is_empty() {
        return true;
    }
    namespace.iter().any(|(name, binding)| match binding {
        Binding::Class(def) => def.bases().iter().any(|base| !local_base(base, namespace)),
        Binding::Value(None) => namespace.import_source(name).is_some() && test_like(name),
        Binding::Value(Some(Expr::Name(target))) => {
            test_like(name) && namespace.import_source(target.id.as_str()).is_some()
        }
        _ => false,
    })
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
