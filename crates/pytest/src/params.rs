//! Marks inside `parametrize` values found in the syntax, for parameters the evaluator
//! cannot know: a group mark there is reported, other marks make `-m` keep the test.

use crate::marks::{Bindings, MarkRef};
use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::Expr;
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHashSet as HashSet;

/// The parameter values of a `parametrize` mark: its second argument or `argvalues=`.
pub(crate) fn argvalues<'a>(mark: &MarkRef<'a>) -> Option<&'a Expr> {
    let arguments = mark.arguments?;
    arguments.args.get(1).or_else(|| {
        arguments
            .keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "argvalues"))
            .map(|k| &k.value)
    })
}

/// The names a `parametrize` mark gives values to (its first argument or `argnames=`), as
/// far as they are literal: `"a, b"`, `["a", "b"]`; none otherwise.
pub(crate) fn argnames(mark: &MarkRef<'_>) -> Vec<String> {
    let Some(arguments) = mark.arguments else {
        return Vec::new();
    };
    let names = arguments.args.first().or_else(|| {
        arguments
            .keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "argnames"))
            .map(|k| &k.value)
    });
    let literal = |e: &Expr| match e {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_owned()),
        _ => None,
    };
    match names {
        Some(Expr::StringLiteral(s)) => s
            .value
            .to_str()
            .split(',')
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .collect(),
        Some(Expr::List(l)) => l.elts.iter().filter_map(literal).collect(),
        Some(Expr::Tuple(t)) => t.elts.iter().filter_map(literal).collect(),
        _ => Vec::new(),
    }
}

pub(crate) fn is_pytest_param(func: &Expr) -> bool {
    match func {
        Expr::Attribute(a) => a.attr.as_str() == "param",
        Expr::Name(n) => n.id.as_str() == "param",
        _ => false,
    }
}

/// Where the id of the first group mark inside `expr` is, following module constants.
pub fn first_group_mark<'a>(expr: &'a Expr, b: &Bindings<'a>) -> Option<TextRange> {
    let mut finder = GroupFinder {
        b,
        found: None,
        followed: HashSet::default(),
    };
    finder.visit_expr(expr);
    finder.found
}

struct GroupFinder<'b, 'a> {
    b: &'b Bindings<'a>,
    found: Option<TextRange>,
    followed: HashSet<&'a str>,
}

impl<'a> Visitor<'a> for GroupFinder<'_, 'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found.is_some() {
            return;
        }
        if let Expr::Call(call) = expr {
            let callee = self.b.mark(&call.func);
            if callee.is_some_and(|m| m.name == "group" && m.arguments.is_none()) {
                let id = call.arguments.args.first().map(Ranged::range);
                let kw = call.arguments.keywords.first().map(|k| k.value.range());
                self.found = Some(id.or(kw).unwrap_or(expr.range()));
                return;
            }
        }
        if let Expr::Name(n) = expr {
            let id = n.id.as_str();
            if let Some(value) = self.b.module.constant(id) {
                if self.followed.insert(id) {
                    self.visit_expr(value);
                }
            }
            return;
        }
        walk_expr(self, expr);
    }
}

/// Whether a `parametrize` mark's values hold a `pytest.param(..., marks=...)` anywhere.
pub fn has_param_marks(mark: &MarkRef<'_>) -> bool {
    argvalues(mark).is_some_and(holds_param_marks)
}

/// Whether `expr` holds a `pytest.param(..., marks=...)` anywhere.
fn holds_param_marks(expr: &Expr) -> bool {
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.0 {
                return;
            }
            if let Expr::Call(call) = expr {
                if is_pytest_param(&call.func)
                    && call
                        .arguments
                        .keywords
                        .iter()
                        .any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "marks"))
                {
                    self.0 = true;
                    return;
                }
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder(false);
    finder.visit_expr(expr);
    finder.0
}
