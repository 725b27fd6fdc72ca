//! Marks on single parameters (`pytest.param(2, marks=pytest.mark.slow)`), for `-m`: pytest
//! selects parametrized items one by one, so a function stays when any of its parameter
//! combinations matches.

use crate::marks::{Bindings, MarkRef};
use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::Expr;

/// Parameter combinations of one function past this many are not enumerated.
const MAX_COMBINATIONS: usize = 4096;

pub enum ParamMarkRefs<'a> {
    /// No parameter carries a mark.
    None,
    /// The extra marks of each parameter combination.
    Combinations(Vec<Vec<MarkRef<'a>>>),
    /// Parameters with marks are built at run time, or too many to list.
    Unknown,
}

pub fn param_marks<'a>(function_marks: &[MarkRef<'a>], b: &Bindings<'a>) -> ParamMarkRefs<'a> {
    let mut combinations: Vec<Vec<MarkRef<'a>>> = vec![Vec::new()];
    let mut any = false;
    for mark in function_marks.iter().filter(|m| m.name == "parametrize") {
        let Some(argvalues) = crate::params::argvalues(mark) else {
            continue;
        };
        let Some(per_param) = literal(argvalues, b) else {
            if has_param_marks(argvalues) {
                return ParamMarkRefs::Unknown;
            }
            continue;
        };
        if per_param.iter().all(Vec::is_empty) {
            continue;
        }
        any = true;
        if combinations.len() * per_param.len() > MAX_COMBINATIONS {
            return ParamMarkRefs::Unknown;
        }
        combinations = combinations
            .iter()
            .flat_map(|before| {
                per_param.iter().map(move |extra| {
                    let mut all = before.clone();
                    all.extend(extra.iter().cloned());
                    all
                })
            })
            .collect();
    }
    if any {
        ParamMarkRefs::Combinations(combinations)
    } else {
        ParamMarkRefs::None
    }
}

/// The marks of each parameter of a literal list or tuple (behind a module constant too);
/// `None` when the values are built at run time.
fn literal<'a>(argvalues: &'a Expr, b: &Bindings<'a>) -> Option<Vec<Vec<MarkRef<'a>>>> {
    let elements = match crate::values::resolve_name(argvalues, b) {
        Expr::List(l) => &l.elts,
        Expr::Tuple(t) => &t.elts,
        _ => return None,
    };
    let mut out = Vec::with_capacity(elements.len());
    for element in elements {
        let mut marks = Vec::new();
        if let Expr::Call(call) = element {
            if crate::params::is_pytest_param(&call.func) {
                for kw in &call.arguments.keywords {
                    if kw.arg.as_ref().is_some_and(|a| a.as_str() == "marks") {
                        marks.extend(b.mark_list(&kw.value));
                    }
                }
            }
        }
        out.push(marks);
    }
    Some(out)
}

/// Whether `expr` holds a `pytest.param(..., marks=...)` anywhere.
fn has_param_marks(expr: &Expr) -> bool {
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.0 {
                return;
            }
            if let Expr::Call(call) = expr {
                if crate::params::is_pytest_param(&call.func)
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
