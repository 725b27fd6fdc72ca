//! The names a module or class body binds, in the order Python's `__dict__` keeps them.
//!
//! pytest walks `__dict__`: a name keeps the position of its first binding and the value of
//! its last. Statements under `try`/`with` and in the first branch of an `if` are taken as
//! executed, since they usually guard imports or versions; fanout cannot evaluate conditions.
//! Functions and classes defined in `elif`/`else` branches are set aside (see
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
}

impl<'a> Namespace<'a> {
    pub fn of_body(body: &'a [Stmt]) -> Self {
        let mut ns = Namespace::default();
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
        match stmt {
            Stmt::FunctionDef(def) => self.bind(def.name.as_str(), Binding::Function(def)),
            Stmt::ClassDef(def) => self.bind(def.name.as_str(), Binding::Class(def)),
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
            Stmt::AugAssign(assign) => self.bind_target(&assign.target, None),
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = match &alias.asname {
                        Some(asname) => asname.as_str(),
                        None => alias.name.as_str().split('.').next().unwrap_or_default(),
                    };
                    self.bind(bound, Binding::Value(None));
                }
            }
            Stmt::ImportFrom(import) => {
                let module = import.module.as_ref().map_or("", |m| m.as_str());
                let from_pytest = import.level == 0
                    && ["pytest", "_pytest", "unittest"]
                        .contains(&module.split('.').next().unwrap_or(""));
                for alias in &import.names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    if !from_pytest && alias.name.as_str() != "*" {
                        self.imported.push((bound.as_str(), bound.range));
                    }
                    self.bind(bound.as_str(), Binding::Value(None));
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
                self.add_body(&stmt.body);
                self.in_alternative += 1;
                for clause in &stmt.elif_else_clauses {
                    self.add_body(&clause.body);
                }
                self.in_alternative -= 1;
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
