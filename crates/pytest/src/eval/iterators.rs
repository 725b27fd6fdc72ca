//! `range()`, `zip()`, generator expressions and the like evaluate to a list of their items,
//! which is what pytest sees when it iterates them. Their repr and equality are not a list's
//! (`range(0, 3)`, `<zip object at 0x...>`), so where those matter the expression is checked.

use super::calls::Callee;
use super::Evaluator;
use ruff_python_ast::Expr;

/// How many module constants are followed to find the expression behind a name.
const MAX_ALIAS_DEPTH: usize = 8;

/// Calls that return an iterator or a range rather than a list.
const ITERATOR_FUNCTIONS: &[&str] = &[
    "range",
    "zip",
    "enumerate",
    "reversed",
    "itertools.product",
    "itertools.chain",
];

impl<'a> Evaluator<'_, 'a> {
    /// Why the text or identity of `expr`'s value is not the list fanout holds, if so.
    pub(super) fn iterator_object(&self, expr: &'a Expr) -> Option<String> {
        let mut current = expr;
        for _ in 0..MAX_ALIAS_DEPTH {
            match current {
                Expr::Generator(_) => return Some("the text of a generator object".into()),
                Expr::Call(call) => {
                    return match self.callee(&call.func) {
                        Ok(Callee::Function(name)) if ITERATOR_FUNCTIONS.contains(&name) => {
                            Some(format!("the text or identity of a `{name}()` object"))
                        }
                        _ => None,
                    }
                }
                Expr::Name(n) if !self.is_local(n.id.as_str()) => {
                    current = self.bindings.module.constant(n.id.as_str())?;
                }
                _ => return None,
            }
        }
        None
    }
}
