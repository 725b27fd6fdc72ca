//! The names a module or class body binds, in the order Python's `__dict__` keeps them.
//!
//! pytest walks `__dict__`: a name keeps the position of its first binding and the value of
//! its last. Statements under `try`/`with` are taken as executed. Of an `if` or `match`, the
//! branch whose condition [`crate::conditions`] decides is taken; when no condition can be
//! decided, the first branch is assumed to run: its functions and classes are listed in
//! [`Namespace::conditional_defs`], and those of the other branches are set aside (see
//! [`Namespace::alternative_defs`]) so the caller can warn about them.

use ruff_python_ast::{Expr, Stmt, StmtClassDef, StmtFunctionDef};
use rustc_hash::FxHashMap as HashMap;

#[derive(Clone, Copy)]
pub enum Binding<'a> {
    Function(&'a StmtFunctionDef),
    Class(&'a StmtClassDef),
    /// An assignment: the value, or None for forms fanout does not evaluate
    /// (augmented assignment, unpacking, imports, loop targets).
    Value(Option<&'a Expr>),
}

/// Where an imported name comes from.
#[derive(Clone, Copy, Debug)]
pub struct ImportSource<'a> {
    /// Dotted module as written (`""` for `from . import x`).
    pub module: &'a str,
    /// Leading dots of a relative import.
    pub level: u32,
    /// The imported name for `from module import name`; None for `import module`.
    pub name: Option<&'a str>,
    pub range: ruff_text_size::TextRange,
}

#[derive(Default)]
pub struct Namespace<'a> {
    /// In `__dict__` order; `None` once the name is deleted (a later binding goes to the end).
    entries: Vec<(&'a str, Option<Binding<'a>>)>,
    /// Where each bound name is in `entries`.
    index: HashMap<&'a str, usize>,
    /// How often each name is bound: constants bound more than once are not resolved.
    counts: HashMap<&'a str, usize>,
    /// Functions and classes defined in `elif`/`else` branches, not bound.
    alternative_defs: Vec<(&'a str, ruff_text_size::TextRange)>,
    /// Names bound by `from module import name`, which pytest collects like local
    /// definitions when they are functions or classes.
    imported: Vec<(&'a str, ruff_text_size::TextRange)>,
    /// The last `name.attr = value` of each pair, e.g. `test_x.__test__ = False`.
    attributes: HashMap<(&'a str, &'a str), &'a Expr>,
    /// Depth of `elif`/`else` branches being read.
    in_alternative: usize,
    /// Functions and classes defined in a branch fanout assumes runs but cannot decide.
    conditional_defs: Vec<(&'a str, ruff_text_size::TextRange)>,
    /// Depth of undecided first branches being read.
    in_assumed: usize,
    /// Where each name still bound to an import comes from.
    import_sources: HashMap<&'a str, ImportSource<'a>>,
    /// `pytest.skip(..., allow_module_level=True)` under a condition fanout cannot decide.
    conditional_skips: Vec<ruff_text_size::TextRange>,
    /// `from module import *`, in order.
    star_imports: Vec<ImportSource<'a>>,
    /// Module-level statements that bind names fanout cannot see: `exec(...)`,
    /// `globals()[...] = ...`, `globals().update(...)`, `setattr(sys.modules[...], ...)`.
    hidden_bindings: Vec<ruff_text_size::TextRange>,
    /// Module-level `pytest.importorskip(...)`: where the package is missing, pytest collects
    /// none of the module's tests.
    importorskips: Vec<ruff_text_size::TextRange>,
    /// `pytestmark += value` after a `pytestmark = ...` fanout reads, in order; cleared by any
    /// other binding of the name.
    pytestmark_added: Vec<&'a Expr>,
}

impl<'a> Namespace<'a> {
    /// What `pytestmark += ...` statements added to the `pytestmark` binding.
    pub fn pytestmark_added(&self) -> &[&'a Expr] {
        &self.pytestmark_added
    }

    pub fn of_body(body: &'a [Stmt]) -> Self {
        // Most statements bind a name: sized once rather than grown by rehashing.
        let mut ns = Namespace {
            index: HashMap::with_capacity_and_hasher(body.len(), Default::default()),
            counts: HashMap::with_capacity_and_hasher(body.len(), Default::default()),
            ..Namespace::default()
        };
        ns.add_body(body);
        ns
    }

    /// Bindings in `__dict__` order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, Binding<'a>)> + '_ {
        self.entries
            .iter()
            .filter_map(|&(name, binding)| Some((name, binding?)))
    }

    pub fn get(&self, name: &str) -> Option<Binding<'a>> {
        let &i = self.index.get(name)?;
        self.entries.get(i)?.1
    }

    /// The value of a name bound exactly once by a plain assignment.
    pub fn constant(&self, name: &str) -> Option<&'a Expr> {
        if self.counts.get(name).copied() != Some(1) {
            return None;
        }
        match self.get(name) {
            Some(Binding::Value(value)) => value,
            _ => None,
        }
    }

    /// Functions and classes defined in `elif`/`else` branches: only one branch runs, and
    /// fanout assumes it is the first.
    pub fn alternative_defs(&self) -> &[(&'a str, ruff_text_size::TextRange)] {
        &self.alternative_defs
    }

    /// Names imported with `from module import name` (not from pytest or unittest).
    pub fn imported(&self) -> &[(&'a str, ruff_text_size::TextRange)] {
        &self.imported
    }

    /// Functions and classes defined in the first branch of an `if`/`match` whose condition
    /// fanout cannot decide.
    pub fn conditional_defs(&self) -> &[(&'a str, ruff_text_size::TextRange)] {
        &self.conditional_defs
    }

    /// Module-level skips under a condition fanout cannot decide: whether pytest collects
    /// any test of the module depends on where it runs.
    /// Whether the module may skip itself whole where fanout cannot tell: a module-level
    /// `importorskip`, or a module skip under a condition it cannot evaluate.
    pub fn may_skip_itself(&self) -> bool {
        !self.importorskips.is_empty() || !self.conditional_skips.is_empty()
    }

    pub fn conditional_skips(&self) -> &[ruff_text_size::TextRange] {
        &self.conditional_skips
    }

    /// Where `name` comes from, when its last binding is an import.
    pub fn import_source(&self, name: &str) -> Option<ImportSource<'a>> {
        self.import_sources.get(name).copied()
    }

    /// The imports of the form `from module import *`.
    pub fn star_imports(&self) -> &[ImportSource<'a>] {
        &self.star_imports
    }

    /// Statements binding names fanout cannot see (`exec`, `globals()`, `setattr`).
    pub fn hidden_bindings(&self) -> &[ruff_text_size::TextRange] {
        &self.hidden_bindings
    }

    /// The value last assigned to `name.attr` at this level.
    pub fn attribute(&self, name: &str, attr: &str) -> Option<&'a Expr> {
        self.attributes.get(&(name, attr)).copied()
    }

    /// True when the name is bound exactly once (by any statement) and not deleted.
    pub(crate) fn bound_once(&self, name: &str) -> bool {
        self.counts.get(name).copied() == Some(1)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.counts.contains_key(name)
    }

    fn bind(&mut self, name: &'a str, binding: Binding<'a>) {
        *self.counts.entry(name).or_default() += 1;
        if name == "pytestmark" {
            self.pytestmark_added.clear();
        }
        if self.in_alternative == 0 {
            self.import_sources.remove(name);
        }
        if self.in_assumed > 0 && self.in_alternative == 0 {
            if let Binding::Function(def) = binding {
                self.conditional_defs.push((name, def.name.range));
            }
            if let Binding::Class(def) = binding {
                self.conditional_defs.push((name, def.name.range));
            }
        }
        if self.in_alternative > 0 {
            if let Binding::Function(def) = binding {
                self.alternative_defs.push((name, def.name.range));
                return;
            }
            if let Binding::Class(def) = binding {
                self.alternative_defs.push((name, def.name.range));
                return;
            }
        }
        match self.index.get(name) {
            Some(&i) => self.entries[i].1 = Some(binding),
            None => {
                self.index.insert(name, self.entries.len());
                self.entries.push((name, Some(binding)));
            }
        }
    }

    fn add_body(&mut self, body: &'a [Stmt]) {
        for stmt in body {
            self.add_stmt(stmt);
        }
    }

    fn add_stmt(&mut self, stmt: &'a Stmt) {
        let value = match stmt {
            Stmt::Expr(e) => Some(&*e.value),
            Stmt::Assign(a) => Some(&*a.value),
            Stmt::AnnAssign(a) => a.value.as_deref(),
            _ => None,
        };
        if value.is_some_and(is_importorskip) {
            self.importorskips.push(ruff_text_size::Ranged::range(stmt));
        }
        match stmt {
            Stmt::FunctionDef(def) => self.bind(def.name.as_str(), Binding::Function(def)),
            Stmt::ClassDef(def) => self.bind(def.name.as_str(), Binding::Class(def)),
            Stmt::Assign(assign) if assign.targets.iter().any(is_globals_item) => {
                self.hidden_bindings.push(assign.range);
            }
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    if let Expr::Attribute(a) = target {
                        if let Expr::Name(n) = &*a.value {
                            self.attributes
                                .insert((n.id.as_str(), a.attr.as_str()), &assign.value);
                        }
                    }
                }
                let single = assign.targets.len() == 1;
                for target in &assign.targets {
                    let value = if single { Some(&*assign.value) } else { None };
                    self.bind_target(target, value);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.bind_target(&assign.target, Some(value));
                }
            }
            Stmt::AugAssign(assign) => {
                // `pytestmark += [...]` adds marks to a list pytest reads whole; any other
                // augmented value is not evaluated.
                let adds_marks = assign.op == ruff_python_ast::Operator::Add
                    && matches!(&*assign.target, Expr::Name(n) if n.id.as_str() == "pytestmark")
                    && self.in_alternative == 0
                    && matches!(self.get("pytestmark"), Some(Binding::Value(Some(_))));
                if adds_marks {
                    self.pytestmark_added.push(&assign.value);
                } else {
                    self.bind_target(&assign.target, None);
                }
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let (bound, module) = match &alias.asname {
                        Some(asname) => (asname.as_str(), alias.name.as_str()),
                        None => {
                            let top = alias.name.as_str().split('.').next().unwrap_or_default();
                            (top, top)
                        }
                    };
                    self.bind(bound, Binding::Value(None));
                    self.record_import(
                        bound,
                        ImportSource {
                            module,
                            level: 0,
                            name: None,
                            range: alias.range,
                        },
                    );
                }
            }
            Stmt::ImportFrom(import) => {
                let module = import.module.as_ref().map_or("", |m| m.as_str());
                let from_pytest = import.level == 0
                    && ["pytest", "_pytest", "unittest"]
                        .contains(&module.split('.').next().unwrap_or(""));
                for alias in &import.names {
                    let source = ImportSource {
                        module,
                        level: import.level,
                        name: Some(alias.name.as_str()),
                        range: alias.range,
                    };
                    if alias.name.as_str() == "*" {
                        if self.in_alternative == 0 {
                            self.star_imports.push(source);
                        }
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    if !from_pytest {
                        self.imported.push((bound.as_str(), bound.range));
                    }
                    self.bind(bound.as_str(), Binding::Value(None));
                    self.record_import(bound.as_str(), source);
                }
            }
            Stmt::For(stmt) => {
                self.bind_target(&stmt.target, None);
                self.add_body(&stmt.body);
                self.add_body(&stmt.orelse);
            }
            Stmt::While(stmt) => {
                self.add_body(&stmt.body);
                self.add_body(&stmt.orelse);
            }
            Stmt::If(stmt) => {
                let branches = std::iter::once((Some(&*stmt.test), &stmt.body[..])).chain(
                    stmt.elif_else_clauses
                        .iter()
                        .map(|c| (c.test.as_ref(), &c.body[..])),
                );
                self.add_branches(
                    branches.map(|(test, body)| {
                        (test.map_or(Some(true), crate::conditions::truth), body)
                    }),
                );
            }
            Stmt::Match(stmt) => {
                // Only a bare `case _:` (or a capture) is known to match.
                self.add_branches(stmt.cases.iter().map(|case| {
                    let always = case.guard.is_none()
                        && matches!(&case.pattern, ruff_python_ast::Pattern::MatchAs(p) if p.pattern.is_none());
                    (always.then_some(true), &case.body[..])
                }));
            }
            Stmt::Expr(stmt) if hides_bindings(&stmt.value) => {
                self.hidden_bindings.push(stmt.range);
            }
            Stmt::Expr(stmt)
                if is_module_skip(&stmt.value)
                    && (self.in_assumed > 0 || self.in_alternative > 0) =>
            {
                self.conditional_skips.push(stmt.range);
            }
            Stmt::Try(stmt) => {
                self.add_body(&stmt.body);
                for handler in &stmt.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                    self.add_body(&h.body);
                }
                self.add_body(&stmt.orelse);
                self.add_body(&stmt.finalbody);
            }
            Stmt::With(stmt) => self.add_body(&stmt.body),
            Stmt::Delete(stmt) => {
                for target in &stmt.targets {
                    if let Expr::Name(name) = target {
                        let name = name.id.as_str();
                        *self.counts.entry(name).or_default() += 1;
                        if let Some(i) = self.index.remove(name) {
                            self.entries[i].1 = None;
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn record_import(&mut self, bound: &'a str, source: ImportSource<'a>) {
        if self.in_alternative == 0 {
            self.import_sources.insert(bound, source);
        }
    }

    /// The branches of an `if` or `match`, each with its condition's truth (None: unknown). The
    /// first branch known to run is taken and the rest skipped; branches known not to run are
    /// skipped. Past the first unknown condition, fanout assumes that branch runs and sets the
    /// others aside.
    fn add_branches(&mut self, branches: impl Iterator<Item = (Option<bool>, &'a [Stmt])>) {
        let mut assumed = false;
        for (truth, body) in branches {
            match (truth, assumed) {
                (Some(false), _) => {}
                (Some(true), false) => {
                    self.add_body(body);
                    return;
                }
                (None, false) => {
                    assumed = true;
                    self.in_assumed += 1;
                    self.add_body(body);
                    self.in_assumed -= 1;
                }
                (_, true) => {
                    self.in_alternative += 1;
                    self.add_body(body);
                    self.in_alternative -= 1;
                }
            }
        }
    }

    fn bind_target(&mut self, target: &'a Expr, value: Option<&'a Expr>) {
        match target {
            Expr::Name(name) => self.bind(name.id.as_str(), Binding::Value(value)),
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.bind_target(e, None)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.bind_target(e, None)),
            Expr::Starred(s) => self.bind_target(&s.value, None),
            _ => {}
        }
    }
}

/// `exec(...)`, `globals().update(...)`, `setattr(...)` as a statement: names bound that way
/// are invisible to a reader of the source.
fn hides_bindings(expr: &Expr) -> bool {
    let Expr::Call(call) = expr else {
        return false;
    };
    match &*call.func {
        // `exec(code, ENV)` runs in ENV: only the module's own dict binds its names.
        Expr::Name(n) if n.id.as_str() == "exec" => {
            let globals = call.arguments.args.get(1).or_else(|| {
                call.arguments
                    .keywords
                    .iter()
                    .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "globals"))
                    .map(|k| &k.value)
            });
            globals.is_none_or(is_globals_call)
        }
        Expr::Name(n) => n.id.as_str() == "setattr",
        Expr::Attribute(a) => a.attr.as_str() == "update" && is_globals_call(&a.value),
        _ => false,
    }
}

/// `pytest.importorskip(...)` (any name before the dot: `pytest`, an alias).
fn is_importorskip(expr: &Expr) -> bool {
    matches!(expr, Expr::Call(c) if matches!(&*c.func, Expr::Attribute(a) if a.attr.as_str() == "importorskip"))
}

/// `pytest.skip(..., allow_module_level=True)`.
fn is_module_skip(expr: &Expr) -> bool {
    let Expr::Call(call) = expr else {
        return false;
    };
    matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "skip")
        && call.arguments.keywords.iter().any(|k| {
            k.arg
                .as_ref()
                .is_some_and(|a| a.as_str() == "allow_module_level")
                && matches!(&k.value, Expr::BooleanLiteral(b) if b.value)
        })
}

fn is_globals_call(expr: &Expr) -> bool {
    matches!(expr, Expr::Call(c) if matches!(&*c.func, Expr::Name(n) if matches!(n.id.as_str(), "globals" | "locals" | "vars")))
}

/// `globals()[name] = ...`.
fn is_globals_item(target: &Expr) -> bool {
    matches!(target, Expr::Subscript(s) if is_globals_call(&s.value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dict_order_first_binding_position_last_value_and_del() {
        let parsed =
            crate::source::parse("a = 1\nb = 2\na = 3\ndel b\nc = 4\nb = 5\nb.x = 6\nb.x = 7\n")
                .expect("parses");
        let ns = Namespace::of_body(&parsed.syntax().body);
        let names: Vec<&str> = ns.iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["a", "c", "b"]);
        let value = |name| match ns.get(name) {
            Some(Binding::Value(Some(Expr::NumberLiteral(n)))) => match &n.value {
                ruff_python_ast::Number::Int(i) => i.as_u8(),
                _ => None,
            },
            _ => None,
        };
        assert_eq!(
            (value("a"), value("b"), value("c")),
            (Some(3), Some(5), Some(4))
        );
        assert!(ns.constant("a").is_none(), "bound twice");
        assert!(matches!(
            ns.attribute("b", "x"),
            Some(Expr::NumberLiteral(_))
        ));
        assert!(ns.get("d").is_none());
    }
}
