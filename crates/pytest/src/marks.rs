//! Recognising pytest marks in expressions: `pytest.mark.NAME(...)` through every import
//! form and simple module-level alias real suites use.

use crate::namespace::Namespace;
use ruff_python_ast::{Arguments, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// A mark as written: its name, its call arguments (None for a bare `pytest.mark.NAME`),
/// and where it is.
#[derive(Clone, Copy)]
pub struct MarkRef<'a> {
    pub name: &'a str,
    pub arguments: Option<&'a Arguments>,
    pub range: TextRange,
    /// Called again after its arguments (`group(12)(13)`): pytest merges the calls into one
    /// mark, `group(12, 13)`; `arguments` holds only the last call's.
    pub chained: bool,
}

/// Module-level names that refer to pytest, `pytest.mark` or `pytest.fixture`.
pub struct Bindings<'a> {
    pytest: HashSet<&'a str>,
    mark: HashSet<&'a str>,
    fixture: HashSet<&'a str>,
    /// Module-level import bindings: bound name -> (module, imported name; None for the
    /// module itself), e.g. `from itertools import product as p` gives `p -> (itertools, product)`.
    imports: HashMap<&'a str, (&'a str, Option<&'a str>)>,
    pub module: &'a Namespace<'a>,
}

const ALIAS_DEPTH: usize = 8;

impl<'a> Bindings<'a> {
    pub fn new(body: &'a [Stmt], module: &'a Namespace<'a>) -> Self {
        let mut b = Bindings {
            pytest: HashSet::default(),
            mark: HashSet::default(),
            fixture: HashSet::default(),
            imports: HashMap::default(),
            module,
        };
        b.scan(body);
        b
    }

    fn scan(&mut self, body: &'a [Stmt]) {
        for stmt in body {
            match stmt {
                Stmt::Import(import) => {
                    for alias in &import.names {
                        let full = alias.name.as_str();
                        match &alias.asname {
                            Some(asname) => self.imports.insert(asname.as_str(), (full, None)),
                            None => {
                                let top = full.split('.').next().unwrap_or(full);
                                self.imports.insert(top, (top, None))
                            }
                        };
                        if alias.name.as_str() == "pytest" {
                            let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                            self.pytest.insert(bound.as_str());
                        }
                    }
                }
                Stmt::ImportFrom(import) => {
                    let module = import.module.as_ref().map(|m| m.as_str());
                    if import.level == 0 {
                        for alias in &import.names {
                            let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                            let name = alias.name.as_str();
                            self.imports
                                .insert(bound, (module.unwrap_or_default(), Some(name)));
                        }
                    }
                    if import.level != 0 || module != Some("pytest") {
                        continue;
                    }
                    for alias in &import.names {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                        match alias.name.as_str() {
                            "mark" => self.mark.insert(bound),
                            "fixture" => self.fixture.insert(bound),
                            _ => false,
                        };
                    }
                }
                Stmt::If(s) => {
                    self.scan(&s.body);
                    for clause in &s.elif_else_clauses {
                        self.scan(&clause.body);
                    }
                }
                Stmt::Try(s) => {
                    self.scan(&s.body);
                    self.scan(&s.orelse);
                }
                _ => {}
            }
        }
    }

    pub(crate) fn is_pytest(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Name(n) if self.pytest.contains(n.id.as_str()))
    }

    /// What a module-level name was imported as: (module, name in it; None for the module
    /// itself). None when the name is not imported, or is bound more than once.
    pub(crate) fn import_of(&self, name: &str) -> Option<(&'a str, Option<&'a str>)> {
        if !self.module.bound_once(name) {
            return None;
        }
        self.imports.get(name).copied()
    }

    /// `pytest.mark` or a name bound to it.
    fn is_mark_namespace(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Attribute(a) => a.attr.as_str() == "mark" && self.is_pytest(&a.value),
            Expr::Name(n) => {
                self.mark.contains(n.id.as_str())
                    || self.module.constant(n.id.as_str()).is_some_and(|v| {
                        matches!(v, Expr::Attribute(a) if a.attr.as_str() == "mark" && self.is_pytest(&a.value))
                    })
            }
            _ => false,
        }
    }

    /// The mark an expression denotes, if it is one.
    pub fn mark(&self, expr: &'a Expr) -> Option<MarkRef<'a>> {
        self.mark_at_depth(expr, 0)
    }

    fn mark_at_depth(&self, expr: &'a Expr, depth: usize) -> Option<MarkRef<'a>> {
        if depth > ALIAS_DEPTH {
            return None;
        }
        match expr {
            Expr::Attribute(a) if self.is_mark_namespace(&a.value) => Some(MarkRef {
                name: a.attr.as_str(),
                arguments: None,
                range: expr.range(),
                chained: false,
            }),
            Expr::Call(call) => {
                let callee = self.mark_at_depth(&call.func, depth + 1)?;
                Some(MarkRef {
                    name: callee.name,
                    arguments: Some(&call.arguments),
                    range: expr.range(),
                    chained: callee.chained || callee.arguments.is_some(),
                })
            }
            Expr::Name(n) => {
                let value = self.module.constant(n.id.as_str())?;
                let mut mark = self.mark_at_depth(value, depth + 1)?;
                // Point diagnostics at the alias definition, where the arguments are.
                mark.range = value.range();
                Some(mark)
            }
            _ => None,
        }
    }

    /// Marks in a `pytestmark` value or `marks=` argument: one mark, or a list or tuple of them.
    pub fn mark_list(&self, expr: &'a Expr) -> Vec<MarkRef<'a>> {
        match expr {
            Expr::List(l) => l.elts.iter().filter_map(|e| self.mark(e)).collect(),
            Expr::Tuple(t) => t.elts.iter().filter_map(|e| self.mark(e)).collect(),
            Expr::Name(n) => match self.module.constant(n.id.as_str()) {
                Some(value @ (Expr::List(_) | Expr::Tuple(_))) => self.mark_list(value),
                _ => self.mark(expr).into_iter().collect(),
            },
            _ => self.mark(expr).into_iter().collect(),
        }
    }

    /// `@pytest.fixture` or `@pytest.fixture(...)`: such functions are never tests.
    pub fn is_fixture(&self, expr: &Expr) -> bool {
        let target = match expr {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        match target {
            Expr::Attribute(a) => a.attr.as_str() == "fixture" && self.is_pytest(&a.value),
            Expr::Name(n) => self.fixture.contains(n.id.as_str()),
            _ => false,
        }
    }
}
