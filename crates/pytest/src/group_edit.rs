//! `fanout plan --write`: set, renumber or remove the `@pytest.mark.group(N)` decorator of test
//! functions, byte for byte: every other character of the file (comments, layout, line
//! endings) stays as it was, and a second run with the same groups changes nothing.
//!
//! Only a function's own decorator is edited, however the mark is spelled (`pytest.mark.group`,
//! `import pytest as pt`, `from pytest import mark as m`, `group = pytest.mark.group`). A group
//! given by the class, by module `pytestmark` or by a parameter's `marks=`, a test defined under
//! a module-level `if`, `try` or `with`, and one a class inherits are reported and left alone:
//! moving them would change more than the plan says. Every assignment is either applied or
//! reported, never dropped.

use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::{Decorator, Expr, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};
use std::collections::{BTreeMap, BTreeSet};

/// A test function's group after the edit: `Some(n)` writes `group(n)`, `None` removes the mark.
pub type Assignments = BTreeMap<String, Option<i64>>;

/// Why a function was not edited; `line` is its `def`'s, 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub line: u32,
    pub function: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub text: String,
    pub skipped: Vec<Skipped>,
}

/// `source` with the group marks of `assignments` (keyed `func` or `Class::func`) applied.
/// `Err` when the file does not parse.
pub fn edit_group_marks(source: &str, assignments: &Assignments) -> Result<Edited, String> {
    crate::source::with_parse_stack(|| edit_here(source, assignments))
        .unwrap_or_else(|| Err("the parser ran out of stack".to_owned()))
}

struct Editor<'a> {
    source: &'a str,
    assignments: &'a Assignments,
    spelling: Spelling,
    lines: Vec<usize>,
    /// (range, replacement), disjoint.
    edits: Vec<(TextRange, String)>,
    skipped: Vec<Skipped>,
    /// The assignments met (applied, already right, or skipped with a reason).
    seen: BTreeSet<String>,
}

/// The names the module binds to `pytest`, to `pytest.mark` and to `pytest.mark.group`.
#[derive(Default)]
struct Spelling {
    pytest: BTreeSet<String>,
    mark: BTreeSet<String>,
    group: BTreeSet<String>,
}

impl Spelling {
    fn of(body: &[Stmt]) -> Self {
        let mut out = Spelling::default();
        // `mark.group` has always been read as the group mark, imported or not.
        out.mark.insert("mark".to_owned());
        for stmt in body {
            match stmt {
                Stmt::Import(import) => {
                    for alias in &import.names {
                        if alias.name.as_str() == "pytest" {
                            let bound = alias.asname.as_ref().map_or("pytest", |a| a.as_str());
                            out.pytest.insert(bound.to_owned());
                        }
                    }
                }
                Stmt::ImportFrom(from)
                    if from.level == 0
                        && from.module.as_ref().is_some_and(|m| m.as_str() == "pytest") =>
                {
                    for alias in &from.names {
                        if alias.name.as_str() == "mark" {
                            let bound = alias.asname.as_ref().map_or("mark", |a| a.as_str());
                            out.mark.insert(bound.to_owned());
                        }
                    }
                }
                Stmt::Assign(assign) => {
                    let names = assign.targets.iter().filter_map(|t| match t {
                        Expr::Name(n) => Some(n.id.to_string()),
                        _ => None,
                    });
                    if out.is_mark(&assign.value) {
                        out.mark.extend(names);
                    } else if out.is_group(&assign.value) {
                        out.group.extend(names);
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// `pytest.mark` under any of its names.
    fn is_mark(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Attribute(mark) => {
                mark.attr.as_str() == "mark"
                    && matches!(&*mark.value, Expr::Name(n) if self.pytest.contains(n.id.as_str()))
            }
            Expr::Name(n) => self.mark.contains(n.id.as_str()),
            _ => false,
        }
    }

    /// `pytest.mark.group` (not called) under any of its names.
    fn is_group(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Attribute(group) => group.attr.as_str() == "group" && self.is_mark(&group.value),
            Expr::Name(n) => self.group.contains(n.id.as_str()),
            _ => false,
        }
    }

    /// A group mark, called or not: `pytest.mark.group(1)`, `m.group(1)`, `group(1)`.
    fn is_group_mark(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Call(call) => self.is_group(&call.func),
            other => self.is_group(other),
        }
    }

    /// Whether a group mark appears anywhere inside `expr` (a parameter's `marks=`).
    fn holds_group_mark(&self, expr: &Expr) -> bool {
        struct Finder<'s> {
            spelling: &'s Spelling,
            found: bool,
        }
        impl<'a> Visitor<'a> for Finder<'_> {
            fn visit_expr(&mut self, expr: &'a Expr) {
                if self.found || self.spelling.is_group_mark(expr) {
                    self.found = true;
                    return;
                }
                walk_expr(self, expr);
            }
        }
        let mut finder = Finder {
            spelling: self,
            found: false,
        };
        finder.visit_expr(expr);
        finder.found
    }

    /// How a new mark is written: `pytest.mark.group`, else the module's own name for it.
    fn new_mark(&self) -> Option<String> {
        if self.pytest.contains("pytest") {
            return Some("pytest.mark.group".to_owned());
        }
        if let Some(pytest) = self.pytest.iter().next() {
            return Some(format!("{pytest}.mark.group"));
        }
        if let Some(group) = self.group.iter().next() {
            return Some(group.clone());
        }
        self.mark
            .iter()
            .find(|m| *m != "mark")
            .map(|m| format!("{m}.group"))
    }
}

fn edit_here(source: &str, assignments: &Assignments) -> Result<Edited, String> {
    let parsed = crate::source::parse(source).map_err(|e| e.to_string())?;
    let body = &parsed.syntax().body;
    let spelling = Spelling::of(body);
    let mut editor = Editor {
        source,
        assignments,
        lines: crate::source::line_starts(source.as_bytes()).collect(),
        spelling,
        edits: Vec::new(),
        skipped: Vec::new(),
        seen: BTreeSet::new(),
    };
    let outer = body
        .iter()
        .any(|s| editor.pytestmark_group(s))
        .then_some("module `pytestmark`");
    editor.body(body, "", outer, None);
    // What no walk met: a test the class inherits (its `def` is the base class's).
    for name in assignments.keys() {
        if !editor.seen.contains(name) {
            editor.skipped.push(Skipped {
                line: 0,
                function: name.clone(),
                reason: "a test its class inherits: its decorator is the base class's, which the \
                         base's other subclasses share; not rewritten"
                    .to_owned(),
            });
        }
    }
    editor
        .skipped
        .sort_by(|a, b| (a.line, &a.function).cmp(&(b.line, &b.function)));
    Ok(Edited {
        text: apply(source, editor.edits),
        skipped: editor.skipped,
    })
}

/// `source` with the disjoint `edits` made, in one pass over it.
fn apply(source: &str, mut edits: Vec<(TextRange, String)>) -> String {
    edits.sort_by_key(|(range, _)| range.start());
    let mut text = String::with_capacity(source.len() + edits.len() * 24);
    let mut at = 0;
    for (range, replacement) in edits {
        let range = std::ops::Range::<usize>::from(range);
        text.push_str(&source[at..range.start]);
        text.push_str(&replacement);
        at = range.end;
    }
    text.push_str(&source[at..]);
    text
}

impl Editor<'_> {
    /// `nested`: the module-level statement (`if`, `try`, `with`...) the body is under.
    fn body(
        &mut self,
        body: &[Stmt],
        prefix: &str,
        outer: Option<&'static str>,
        nested: Option<&'static str>,
    ) {
        for stmt in body {
            match stmt {
                Stmt::FunctionDef(def) => self.function(def, prefix, outer, nested),
                Stmt::ClassDef(class) => self.class(class, prefix, outer, nested),
                Stmt::If(s) => {
                    let under = nested.or(Some("an `if`"));
                    self.body(&s.body, prefix, outer, under);
                    for clause in &s.elif_else_clauses {
                        self.body(&clause.body, prefix, outer, under);
                    }
                }
                Stmt::Try(s) => {
                    let under = nested.or(Some("a `try`"));
                    self.body(&s.body, prefix, outer, under);
                    for handler in &s.handlers {
                        let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                        self.body(&h.body, prefix, outer, under);
                    }
                    self.body(&s.orelse, prefix, outer, under);
                    self.body(&s.finalbody, prefix, outer, under);
                }
                Stmt::With(s) => self.body(&s.body, prefix, outer, nested.or(Some("a `with`"))),
                Stmt::For(s) => {
                    let under = nested.or(Some("a `for`"));
                    self.body(&s.body, prefix, outer, under);
                    self.body(&s.orelse, prefix, outer, under);
                }
                Stmt::While(s) => {
                    let under = nested.or(Some("a `while`"));
                    self.body(&s.body, prefix, outer, under);
                    self.body(&s.orelse, prefix, outer, under);
                }
                _ => {}
            }
        }
    }

    fn class(
        &mut self,
        class: &StmtClassDef,
        prefix: &str,
        outer: Option<&'static str>,
        nested: Option<&'static str>,
    ) {
        let marked = class
            .decorator_list
            .iter()
            .any(|d| self.spelling.holds_group_mark(&d.expression))
            || class.body.iter().any(|s| self.pytestmark_group(s));
        let outer = outer.or(marked.then_some("class"));
        self.body(
            &class.body,
            &format!("{prefix}{}::", class.name),
            outer,
            nested,
        );
    }

    fn function(
        &mut self,
        def: &StmtFunctionDef,
        prefix: &str,
        outer: Option<&'static str>,
        nested: Option<&'static str>,
    ) {
        let name = format!("{prefix}{}", def.name);
        let Some(&group) = self.assignments.get(&name) else {
            return;
        };
        self.seen.insert(name.clone());
        let line = self.line_of(def.range().start().to_usize());
        let skip = |reason: String| Skipped {
            line,
            function: name.clone(),
            reason,
        };
        if let Some(statement) = nested {
            self.skipped.push(skip(format!(
                "defined under {statement} at the module's top level, which decides whether it \
                 exists: not rewritten"
            )));
            return;
        }
        if let Some(level) = outer {
            let reason = format!("its group comes from the {level} group mark: not rewritten");
            self.skipped.push(skip(reason));
            return;
        }
        let marks: Vec<&Decorator> = def
            .decorator_list
            .iter()
            .filter(|d| self.spelling.is_group_mark(&d.expression))
            .collect();
        let in_params = def.decorator_list.iter().any(|d| {
            !self.spelling.is_group_mark(&d.expression)
                && self.spelling.holds_group_mark(&d.expression)
        });
        if in_params {
            self.skipped.push(skip(
                "a group mark among its parameters' marks: not rewritten".to_owned(),
            ));
            return;
        }
        match (marks.as_slice(), group) {
            ([], None) => {}
            ([], Some(n)) => self.insert(def, n, skip),
            ([mark], Some(n)) => self.renumber(mark, n, skip),
            ([mark], None) => self.remove(mark, skip),
            _ => self.skipped.push(skip(
                "more than one group mark: fix by hand, then plan again".to_owned(),
            )),
        }
    }

    /// Whether `stmt` assigns (or adds to) a `pytestmark` that holds a group mark.
    fn pytestmark_group(&self, stmt: &Stmt) -> bool {
        let (targets, value): (Vec<&Expr>, &Expr) = match stmt {
            Stmt::Assign(a) => (a.targets.iter().collect(), &a.value),
            Stmt::AnnAssign(a) => match a.value.as_deref() {
                Some(value) => (vec![&*a.target], value),
                None => return false,
            },
            Stmt::AugAssign(a) => (vec![&*a.target], &a.value),
            _ => return false,
        };
        let named = targets
            .iter()
            .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "pytestmark"));
        named && self.spelling.holds_group_mark(value)
    }

    /// The 1-based line of a byte offset (`lines` holds the starts of lines 2 and on).
    fn line_of(&self, offset: usize) -> u32 {
        let line = self.lines.partition_point(|&start| start <= offset) + 1;
        u32::try_from(line).unwrap_or(u32::MAX)
    }

    fn insert(&mut self, def: &StmtFunctionDef, n: i64, skip: impl Fn(String) -> Skipped) {
        let Some(mark) = self.spelling.new_mark() else {
            self.skipped.push(skip(
                "the module has no `import pytest` for the mark: add it, then plan again"
                    .to_owned(),
            ));
            return;
        };
        let at = def
            .decorator_list
            .first()
            .map_or(def.range().start(), Ranged::start)
            .to_usize();
        let line_start = self.source[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let indent = &self.source[line_start..at];
        if !indent.chars().all(|c| c == ' ' || c == '\t') {
            self.skipped.push(skip(
                "it does not start its own line: not rewritten".to_owned(),
            ));
            return;
        }
        let newline = newline_at(self.source, at);
        let offset = ruff_text_size::TextSize::try_from(at).unwrap_or_default();
        self.edits.push((
            TextRange::empty(offset),
            format!("@{mark}({n}){newline}{indent}"),
        ));
    }

    fn renumber(&mut self, mark: &Decorator, n: i64, skip: impl Fn(String) -> Skipped) {
        let Expr::Call(call) = &mark.expression else {
            self.skipped
                .push(skip("a group mark without an id: fix by hand".to_owned()));
            return;
        };
        let wanted = format!("({n})");
        if self.source[call.arguments.range()] != wanted {
            self.edits.push((call.arguments.range(), wanted));
        }
    }

    fn remove(&mut self, mark: &Decorator, skip: impl Fn(String) -> Skipped) {
        let (start, end) = (mark.start().to_usize(), mark.end().to_usize());
        let line_start = self.source[..start]
            .rfind(['\n', '\r'])
            .map_or(0, |i| i + 1);
        let rest = &self.source[end..];
        let line_end = rest.find(['\n', '\r']).map_or(rest.len(), |i| i);
        let alone =
            self.source[line_start..start].trim().is_empty() && rest[..line_end].trim().is_empty();
        if !alone {
            self.skipped.push(skip(
                "its group mark shares a line with other code: not removed".to_owned(),
            ));
            return;
        }
        let newline_len = newline_at(self.source, end).len();
        let range = TextRange::new(
            ruff_text_size::TextSize::try_from(line_start).unwrap_or_default(),
            ruff_text_size::TextSize::try_from(end + line_end + newline_len).unwrap_or_default(),
        );
        self.edits.push((range, String::new()));
    }
}

/// The line ending of the line holding `at`: `\r\n`, `\r` or `\n` (`\n` on the last line).
fn newline_at(source: &str, at: usize) -> &'static str {
    let rest = &source[at..];
    match rest.find(['\n', '\r']) {
        Some(i) if rest[i..].starts_with("\r\n") => "\r\n",
        Some(i) if rest[i..].starts_with('\r') => "\r",
        _ => "\n",
    }
}

#[cfg(test)]
mod tests;
