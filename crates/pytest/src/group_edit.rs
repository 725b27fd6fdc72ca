//! `fanout plan --write`: set, renumber or remove the `@pytest.mark.group(N)` decorator of test
//! functions, byte for byte: every other character of the file (comments, layout, line
//! endings) stays as it was, and a second run with the same groups changes nothing.
//!
//! Only a function's own decorator is edited. A group given by the class, by module
//! `pytestmark` or by a parameter's `marks=` is reported and left alone: moving it would
//! change more than the plan says.

use ruff_python_ast::{Decorator, Expr, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};
use std::collections::BTreeMap;

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
    imports_pytest: bool,
    /// (range, replacement), disjoint.
    edits: Vec<(TextRange, String)>,
    skipped: Vec<Skipped>,
}

fn edit_here(source: &str, assignments: &Assignments) -> Result<Edited, String> {
    let parsed = crate::source::parse(source).map_err(|e| e.to_string())?;
    let body = &parsed.syntax().body;
    let imports_pytest = body.iter().any(|s| match s {
        Stmt::Import(import) => import
            .names
            .iter()
            .any(|a| a.name.as_str() == "pytest" && a.asname.is_none()),
        _ => false,
    });
    let mut editor = Editor {
        source,
        assignments,
        imports_pytest,
        edits: Vec::new(),
        skipped: Vec::new(),
    };
    let outer = body.iter().find_map(|s| pytestmark_group(s, source));
    editor.body(body, "", outer.map(|()| "module `pytestmark`"));
    let mut text = source.to_owned();
    let mut edits = editor.edits;
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start()));
    for (range, replacement) in edits {
        text.replace_range(std::ops::Range::<usize>::from(range), &replacement);
    }
    Ok(Edited {
        text,
        skipped: editor.skipped,
    })
}

impl Editor<'_> {
    fn body(&mut self, body: &[Stmt], prefix: &str, outer: Option<&'static str>) {
        for stmt in body {
            match stmt {
                Stmt::FunctionDef(def) => self.function(def, prefix, outer),
                Stmt::ClassDef(class) => self.class(class, prefix, outer),
                _ => {}
            }
        }
    }

    fn class(&mut self, class: &StmtClassDef, prefix: &str, outer: Option<&'static str>) {
        let marked = class
            .decorator_list
            .iter()
            .any(|d| is_group_mark(&d.expression))
            || class
                .body
                .iter()
                .any(|s| pytestmark_group(s, self.source).is_some());
        let outer = outer.or(marked.then_some("class"));
        self.body(&class.body, &format!("{prefix}{}::", class.name), outer);
    }

    fn function(&mut self, def: &StmtFunctionDef, prefix: &str, outer: Option<&'static str>) {
        let name = format!("{prefix}{}", def.name);
        let Some(&group) = self.assignments.get(&name) else {
            return;
        };
        let skip = |reason: String| Skipped {
            line: line_of(self.source, def.range().start().to_usize()),
            function: name.clone(),
            reason,
        };
        if let Some(level) = outer {
            let reason = format!("its group comes from the {level} group mark: not rewritten");
            self.skipped.push(skip(reason));
            return;
        }
        let marks: Vec<&Decorator> = def
            .decorator_list
            .iter()
            .filter(|d| is_group_mark(&d.expression))
            .collect();
        let in_params = def.decorator_list.iter().any(|d| {
            !is_group_mark(&d.expression) && self.source[d.range()].contains("mark.group")
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

    fn insert(&mut self, def: &StmtFunctionDef, n: i64, skip: impl Fn(String) -> Skipped) {
        if !self.imports_pytest {
            self.skipped.push(skip(
                "the module has no `import pytest` for the mark: add it, then plan again"
                    .to_owned(),
            ));
            return;
        }
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
            format!("@pytest.mark.group({n}){newline}{indent}"),
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

/// `pytest.mark.group(...)`, `pytest.mark.group` or `mark.group(...)` (after `from pytest import
/// mark`).
fn is_group_mark(expr: &Expr) -> bool {
    let expr = match expr {
        Expr::Call(call) => &*call.func,
        other => other,
    };
    let Expr::Attribute(group) = expr else {
        return false;
    };
    if group.attr.as_str() != "group" {
        return false;
    }
    match &*group.value {
        Expr::Attribute(mark) => {
            mark.attr.as_str() == "mark"
                && matches!(&*mark.value, Expr::Name(n) if n.id.as_str() == "pytest")
        }
        Expr::Name(mark) => mark.id.as_str() == "mark",
        _ => false,
    }
}

/// `Some` when `stmt` assigns a `pytestmark` that holds a group mark.
fn pytestmark_group(stmt: &Stmt, source: &str) -> Option<()> {
    let (targets, value): (Vec<&Expr>, &Expr) = match stmt {
        Stmt::Assign(a) => (a.targets.iter().collect(), &a.value),
        Stmt::AnnAssign(a) => (vec![&*a.target], a.value.as_deref()?),
        _ => return None,
    };
    let named = targets
        .iter()
        .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "pytestmark"));
    (named && source[value.range()].contains("mark.group")).then_some(())
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

fn line_of(source: &str, offset: usize) -> u32 {
    let lines = crate::source::line_starts(source.as_bytes())
        .take_while(|&start| start <= offset)
        .count();
    u32::try_from(lines + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
