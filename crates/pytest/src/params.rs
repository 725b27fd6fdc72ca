//! Group marks on individual parameters: `pytest.param(..., marks=pytest.mark.group(1))`.

use crate::marks::{Bindings, MarkRef};
use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::Expr;
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHashSet as HashSet;

pub enum ParamGroups<'a> {
    /// No parameter carries a group mark.
    None,
    /// For each `parametrize` that has group marks, the group marks of each parameter.
    Static(Vec<Vec<Vec<MarkRef<'a>>>>),
    /// A group mark sits in parameters built at run time (a comprehension, a call):
    /// the range of its id.
    Dynamic(TextRange),
}

pub fn param_groups<'a>(function_marks: &[MarkRef<'a>], b: &Bindings<'a>) -> ParamGroups<'a> {
    let mut found = Vec::new();
    for mark in function_marks.iter().filter(|m| m.name == "parametrize") {
        let Some(argvalues) = argvalues(mark) else {
            continue;
        };
        match literal_params(argvalues, b) {
            Some(per_param) => {
                if per_param.iter().any(|groups| !groups.is_empty()) {
                    found.push(per_param);
                }
            }
            None => {
                if let Some(range) = first_group_mark(argvalues, b) {
                    return ParamGroups::Dynamic(range);
                }
            }
        }
    }
    if found.is_empty() {
        ParamGroups::None
    } else {
        ParamGroups::Static(found)
    }
}

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

/// The group marks of each parameter when the values are a literal list or tuple
/// (possibly behind a module constant); None when they are built at run time.
fn literal_params<'a>(argvalues: &'a Expr, b: &Bindings<'a>) -> Option<Vec<Vec<MarkRef<'a>>>> {
    let values = crate::values::resolve_name(argvalues, b);
    let elements = match values {
        Expr::List(l) => &l.elts,
        Expr::Tuple(t) => &t.elts,
        _ => return None,
    };
    let mut out = Vec::new();
    for element in elements {
        let mut groups = Vec::new();
        if let Expr::Call(call) = element {
            if is_pytest_param(&call.func) {
                for kw in &call.arguments.keywords {
                    if kw.arg.as_ref().is_some_and(|a| a.as_str() == "marks") {
                        groups.extend(
                            b.mark_list(&kw.value)
                                .into_iter()
                                .filter(|m| m.name == "group"),
                        );
                    }
                }
            }
        }
        if groups.is_empty() && first_group_mark(element, b).is_some() {
            // A group mark somewhere fanout does not understand inside this parameter.
            return None;
        }
        out.push(groups);
    }
    Some(out)
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
