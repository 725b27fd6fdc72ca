//! Every `pytest.mark.NAME` written in a module and what it decorates, for `fanout check`:
//! pytest checks a mark's name when the module is imported, wherever the mark is written.

use crate::marks::Bindings;
use crate::namespace::Namespace;
use crate::source::LineIndex;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Decorator, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use std::collections::HashSet;

/// One mark as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkUse {
    pub name: String,
    /// 1-based line and column of the mark's name (`group` in `pytest.mark.group(1)`).
    pub line: u32,
    pub column: u32,
    pub source_line: String,
    pub target: MarkTarget,
    /// A decorator naming a module-level alias (`@slow` after `slow = pytest.mark.slow`): the
    /// name is written, and reported, at the alias.
    pub via_alias: bool,
}

/// What a mark applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MarkTarget {
    /// A decorator of a function defined at module or class level; `line` is the line of the
    /// function's name, as in [`fanout_core::TestItem::line`].
    Function { name: String, line: u32 },
    /// A class decorator, or `pytestmark` in a class body.
    Class { name: String },
    /// `pytestmark` at module level.
    Module,
    /// Anywhere else: parameters' `marks=`, aliases, function bodies.
    Other,
}

/// The marks of a module's source, in source order; `None` when it does not parse (collection
/// reports that). Runs on a big stack ([`crate::source::with_parse_stack`]).
pub fn mark_uses(source: &str) -> Option<Vec<MarkUse>> {
    crate::source::with_parse_stack(|| mark_uses_here(source)).flatten()
}

fn mark_uses_here(source: &str) -> Option<Vec<MarkUse>> {
    let parsed = crate::source::parse(source).ok()?;
    let body = &parsed.syntax().body;
    let module = Namespace::of_body(body);
    let bindings = Bindings::new(body, &module);
    let index = LineIndex::new(source);
    let mut regions = Vec::new();
    targets(body, None, &index, &mut regions);
    // Disjoint, so sorted by start the one holding a range is the last starting before it.
    regions.sort_by_key(|r| r.range.start());
    let mut finder = Finder {
        bindings: &bindings,
        found: Vec::new(),
    };
    finder.visit_body(body);
    let at = |range: TextRange| {
        let (line, column) = index.position(range.start());
        (line, column, index.line_text(line).to_owned())
    };
    let target_of = |range: TextRange| {
        let after = regions.partition_point(|r| r.range.start() <= range.start());
        after
            .checked_sub(1)
            .and_then(|i| regions.get(i))
            .filter(|r| r.range.contains_range(range))
            .map_or(MarkTarget::Other, |r| r.target.clone())
    };
    let mut uses: Vec<MarkUse> = finder
        .found
        .into_iter()
        .map(|(name, range)| {
            let (line, column, source_line) = at(range);
            MarkUse {
                name,
                line,
                column,
                source_line,
                target: target_of(range),
                via_alias: false,
            }
        })
        .collect();
    // Decorators that are aliases of marks: `@slow`, `@group1`, `@group1(...)`.
    let written: HashSet<MarkTarget> = uses.iter().map(|u| u.target.clone()).collect();
    for region in &regions {
        if written.contains(&region.target) {
            continue;
        }
        let Some((expr, mark)) = region
            .decorator
            .and_then(|expr| Some((expr, bindings.mark(expr)?)))
        else {
            continue;
        };
        // At the decorator, not at the alias's definition where `mark.range` points.
        let (line, column, source_line) = at(expr.range());
        uses.push(MarkUse {
            name: mark.name.to_owned(),
            line,
            column,
            source_line,
            target: region.target.clone(),
            via_alias: true,
        });
    }
    uses.sort_by_key(|u| (u.line, u.column));
    Some(uses)
}

struct Finder<'a, 'b> {
    bindings: &'b Bindings<'a>,
    found: Vec<(String, TextRange)>,
}

impl<'a> Visitor<'a> for Finder<'a, '_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Attribute(a) = expr {
            if self.bindings.mark(expr).is_some() {
                self.found.push((a.attr.to_string(), a.attr.range()));
            }
        }
        visitor::walk_expr(self, expr);
    }
}

/// Where marks apply to a function, a class or the module: a decorator expression or a
/// `pytestmark` value.
struct Region<'a> {
    range: TextRange,
    target: MarkTarget,
    decorator: Option<&'a Expr>,
}

/// The regions of a body, in source order.
fn targets<'a>(
    body: &'a [Stmt],
    class: Option<&str>,
    index: &LineIndex<'_>,
    out: &mut Vec<Region<'a>>,
) {
    let decorators = |list: &'a [Decorator], target: MarkTarget| {
        list.iter().map(move |d| Region {
            range: d.expression.range(),
            target: target.clone(),
            decorator: Some(&d.expression),
        })
    };
    for stmt in body {
        match stmt {
            Stmt::FunctionDef(def) => {
                let (line, _) = index.position(def.name.range().start());
                let name = def.name.to_string();
                out.extend(decorators(
                    &def.decorator_list,
                    MarkTarget::Function { name, line },
                ));
            }
            Stmt::ClassDef(def) => {
                let name = def.name.to_string();
                out.extend(decorators(&def.decorator_list, MarkTarget::Class { name }));
                targets(&def.body, Some(def.name.as_str()), index, out);
            }
            Stmt::Assign(assign) => {
                let is_pytestmark = assign
                    .targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "pytestmark"));
                if is_pytestmark {
                    let target = class.map_or(MarkTarget::Module, |name| MarkTarget::Class {
                        name: name.to_owned(),
                    });
                    out.push(Region {
                        range: assign.value.range(),
                        target,
                        decorator: None,
                    });
                }
            }
            Stmt::If(s) => {
                targets(&s.body, class, index, out);
                for clause in &s.elif_else_clauses {
                    targets(&clause.body, class, index, out);
                }
            }
            Stmt::Try(s) => {
                targets(&s.body, class, index, out);
                targets(&s.orelse, class, index, out);
            }
            Stmt::With(s) => targets(&s.body, class, index, out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uses(source: &str) -> Vec<(String, u32, MarkTarget, bool)> {
        mark_uses(source)
            .expect("parses")
            .into_iter()
            .map(|u| (u.name, u.line, u.target, u.via_alias))
            .collect()
    }

    fn function(name: &str, line: u32) -> MarkTarget {
        MarkTarget::Function {
            name: name.into(),
            line,
        }
    }

    #[test]
    fn every_mark_with_what_it_decorates() {
        let src = "\
import pytest
from pytest import mark
pytestmark = pytest.mark.slow
slow = mark.slower

@pytest.mark.group(1)
@pytest.mark.abort_on_fail
async def verify_endpoints():
    pytest.mark.inbody

@pytest.mark.gruop(2)
class TestX:
    pytestmark = [pytest.mark.cls]

    @slow
    def test_a(self):
        pass

@pytest.mark.parametrize('x', [pytest.param(1, marks=pytest.mark.p)])
def test_b(x):
    pass
";
        let got = uses(src);
        let want = vec![
            ("slow".into(), 3, MarkTarget::Module, false),
            ("slower".into(), 4, MarkTarget::Other, false),
            ("group".into(), 6, function("verify_endpoints", 8), false),
            (
                "abort_on_fail".into(),
                7,
                function("verify_endpoints", 8),
                false,
            ),
            ("inbody".into(), 9, MarkTarget::Other, false),
            (
                "gruop".into(),
                11,
                MarkTarget::Class {
                    name: "TestX".into(),
                },
                false,
            ),
            (
                "cls".into(),
                13,
                MarkTarget::Class {
                    name: "TestX".into(),
                },
                false,
            ),
            ("slower".into(), 15, function("test_a", 16), true),
            ("parametrize".into(), 19, function("test_b", 20), false),
            ("p".into(), 19, function("test_b", 20), false),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn columns_point_at_the_name_and_bad_syntax_is_none() {
        let u = mark_uses("import pytest\n@pytest.mark.gruop(1)\ndef test_a(): pass\n").unwrap();
        assert_eq!((u[0].line, u[0].column), (2, 14));
        assert_eq!(u[0].source_line, "@pytest.mark.gruop(1)");
        assert!(mark_uses("def (:").is_none());
        assert!(mark_uses("import os\n@os.mark.x\ndef f(): pass\n")
            .unwrap()
            .is_empty());
    }
}
