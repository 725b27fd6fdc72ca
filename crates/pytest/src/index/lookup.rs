//! What a name or a dotted expression in a module is bound to, across modules: lazy (only
//! the names collection asks for), cached, and bounded (import cycles end as unknown).

use super::search_path::Found;
use super::ProjectIndex;
use crate::namespace::{Binding, ImportSource, Namespace};
use ruff_python_ast::{Expr, StmtClassDef, StmtFunctionDef};

/// Deeper chains of re-exports and aliases than this are taken for cycles.
const MAX_DEPTH: usize = 24;

#[derive(Clone, Debug)]
pub enum Target<'s> {
    Class {
        module: usize,
        def: &'s StmtClassDef,
    },
    Function {
        module: usize,
        def: &'s StmtFunctionDef,
    },
    Module(usize),
    /// Any other expression a name is bound to at module level.
    Value {
        module: usize,
        expr: &'s Expr,
    },
    /// A dotted name outside the project: the standard library or an installed package.
    External(String),
    /// Bound by code fanout does not evaluate, or not found.
    Unknown,
}

impl<'s> ProjectIndex<'s> {
    /// What `name` is bound to at the end of `module`'s import.
    pub fn resolve_name(&self, module: usize, name: &str) -> Target<'s> {
        self.name_at_depth(module, name, 0)
    }

    /// What a `Name`, `a.b.c` attribute chain or `Base[T]` subscript in `module` denotes.
    pub fn resolve_expr(&self, module: usize, expr: &Expr) -> Target<'s> {
        self.expr_at_depth(module, expr, 0)
    }

    fn name_at_depth(&self, module: usize, name: &str, depth: usize) -> Target<'s> {
        if depth > MAX_DEPTH {
            return Target::Unknown;
        }
        let key = (module, name.to_owned());
        if let Some(hit) = self.resolved.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return hit;
        }
        let target = self.uncached_name(module, name, depth);
        if let Ok(mut map) = self.resolved.lock() {
            map.insert(key, target.clone());
        }
        target
    }

    fn uncached_name(&self, module: usize, name: &str, depth: usize) -> Target<'s> {
        let Some(ns) = self.namespaces.get(module) else {
            return Target::Unknown;
        };
        match ns.get(name) {
            Some(Binding::Class(def)) => Target::Class { module, def },
            Some(Binding::Function(def)) => Target::Function { module, def },
            Some(Binding::Value(Some(expr @ (Expr::Name(_) | Expr::Attribute(_))))) => {
                match self.expr_at_depth(module, expr, depth + 1) {
                    Target::Unknown => Target::Value { module, expr },
                    known => known,
                }
            }
            Some(Binding::Value(Some(expr))) => Target::Value { module, expr },
            Some(Binding::Value(None)) => match ns.import_source(name) {
                Some(source) => self.import_target(module, source, depth),
                None => Target::Unknown,
            },
            None if ns.contains(name) => Target::Unknown,
            None => self.star_or_builtin(module, ns, name, depth),
        }
    }

    fn star_or_builtin(
        &self,
        module: usize,
        ns: &Namespace<'s>,
        name: &str,
        depth: usize,
    ) -> Target<'s> {
        // The last star import binding the name wins.
        for star in ns.star_imports().iter().rev() {
            if let Some(Target::Module(from)) = self.module_of(module, *star) {
                if self.exports(from, name) {
                    match self.name_at_depth(from, name, depth + 1) {
                        Target::Unknown => {}
                        found => return found,
                    }
                }
            }
        }
        if BUILTINS.contains(&name) {
            return Target::External(format!("builtins.{name}"));
        }
        Target::Unknown
    }

    /// Whether `from module import *` binds `name`: listed in a literal `__all__`, else public.
    pub fn exports(&self, module: usize, name: &str) -> bool {
        self.export_list(module)
            .map_or(!name.starts_with('_'), |all| all.contains(&name))
    }

    /// The names a star import of `module` binds, when `__all__` is a literal list.
    pub fn export_list(&self, module: usize) -> Option<Vec<&'s str>> {
        let ns = self.namespaces.get(module)?;
        let elts = match ns.constant("__all__")? {
            Expr::List(l) => &l.elts,
            Expr::Tuple(t) => &t.elts,
            _ => return None,
        };
        elts.iter()
            .map(|e| match e {
                Expr::StringLiteral(s) => Some(s.value.to_str()),
                _ => None,
            })
            .collect()
    }

    fn import_target(&self, module: usize, source: ImportSource<'_>, depth: usize) -> Target<'s> {
        let Some(imported) = source.name else {
            // `import a.b as x` binds x to a.b; `import a.b` binds a.
            return self
                .module_of(module, source)
                .unwrap_or_else(|| external(source, None));
        };
        let from = self.module_of(module, source);
        if let Some(Target::Module(from)) = from {
            match self.name_at_depth(from, imported, depth + 1) {
                Target::Unknown => {}
                found => return found,
            }
        }
        // `from pkg import mod`: a submodule not bound in the package's `__init__`.
        let sub = ImportSource {
            module: "",
            ..source
        };
        let sub_dotted = if source.module.is_empty() {
            imported.to_owned()
        } else {
            format!("{}.{imported}", source.module)
        };
        if let Some(found) = self.locate(module, sub.level, &sub_dotted) {
            return found;
        }
        match from {
            Some(_) => Target::Unknown,
            None => external(source, Some(imported)),
        }
    }

    /// The module an import statement names, if it is in the project.
    fn module_of(&self, module: usize, source: ImportSource<'_>) -> Option<Target<'s>> {
        self.locate(module, source.level, source.module)
    }

    fn locate(&self, module: usize, level: u32, dotted: &str) -> Option<Target<'s>> {
        let importer = &self.sources.get(module)?.abs;
        match self.locator.locate(importer, level, dotted)? {
            Found::File(path) => Some(
                self.by_path
                    .get(path.as_path())
                    .map_or(Target::Unknown, |&id| Target::Module(id)),
            ),
            Found::NamespacePackage(_) => Some(Target::External(dotted.to_owned())),
        }
    }

    fn expr_at_depth(&self, module: usize, expr: &Expr, depth: usize) -> Target<'s> {
        if depth > MAX_DEPTH {
            return Target::Unknown;
        }
        match expr {
            Expr::Name(n) => self.name_at_depth(module, n.id.as_str(), depth + 1),
            Expr::Subscript(s) => self.expr_at_depth(module, &s.value, depth + 1),
            Expr::Attribute(a) => {
                let attr = a.attr.as_str();
                match self.expr_at_depth(module, &a.value, depth + 1) {
                    Target::Module(inner) => match self.name_at_depth(inner, attr, depth + 1) {
                        Target::Unknown => self.submodule(inner, attr),
                        found => found,
                    },
                    Target::External(dotted) => {
                        let joined = format!("{dotted}.{attr}");
                        // `import pkg.mod` then `pkg.mod.X`, with pkg a namespace package.
                        match self.locate(module, 0, &joined) {
                            Some(found @ Target::Module(_)) => found,
                            _ => Target::External(joined),
                        }
                    }
                    Target::Class { module, def } => {
                        match Namespace::of_body(&def.body).get(attr) {
                            Some(Binding::Class(def)) => Target::Class { module, def },
                            _ => Target::Unknown,
                        }
                    }
                    _ => Target::Unknown,
                }
            }
            _ => Target::Unknown,
        }
    }

    /// `pkg.mod` where `pkg`'s `__init__` does not bind `mod`: the submodule file.
    fn submodule(&self, package: usize, name: &str) -> Target<'s> {
        let Some(source) = self.sources.get(package) else {
            return Target::Unknown;
        };
        if !source.abs.ends_with("__init__.py") {
            return Target::Unknown;
        }
        match self.locate(package, 1, name) {
            Some(found @ Target::Module(_)) => found,
            _ => Target::Unknown,
        }
    }
}

fn external(source: ImportSource<'_>, name: Option<&str>) -> Target<'static> {
    if source.level > 0 {
        return Target::Unknown;
    }
    match name {
        Some(name) => Target::External(format!("{}.{name}", source.module)),
        None => Target::External(source.module.to_owned()),
    }
}

/// Builtin names a class may derive from or a module may use without importing them.
const BUILTINS: &[&str] = &[
    "object",
    "Exception",
    "BaseException",
    "dict",
    "list",
    "set",
    "tuple",
    "str",
    "int",
    "type",
    "staticmethod",
    "classmethod",
];

impl ProjectIndex<'_> {
    /// The project module a `from ... import *` reads, if it is one.
    pub fn star_source(&self, module: usize, star: ImportSource<'_>) -> Option<usize> {
        match self.module_of(module, star)? {
            Target::Module(id) => Some(id),
            _ => None,
        }
    }
}
