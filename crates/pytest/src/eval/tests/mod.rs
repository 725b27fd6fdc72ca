//! Evaluator tests: expected reprs, comparison with a real CPython, and hostile inputs.

mod cases;
mod cpython;
mod hostile;

use super::{Evaluator, Limits, Value};
use crate::marks::Bindings;
use crate::namespace::Namespace;
use ruff_python_ast::Stmt;

/// What a test looks at in an evaluated value (values hold `Rc`s and stay on their thread).
#[derive(Debug)]
pub(super) struct Seen {
    pub repr: Option<String>,
    pub unknown: Option<String>,
    /// A readable rendering of params and marks, which have no repr.
    pub shape: String,
}

/// Evaluates the last line of `source` (an expression) with the lines before as the module.
pub(super) fn eval_last(source: &str) -> Seen {
    eval_last_with(source, Limits::default())
}

pub(super) fn eval_last_with(source: &str, limits: Limits) -> Seen {
    let source = source.to_owned();
    crate::source::with_parse_stack(move || {
        let parsed = crate::source::parse(&source).expect("test source parses");
        let body = &parsed.syntax().body;
        let module = Namespace::of_body(body);
        let bindings = Bindings::new(body, &module);
        let Some(Stmt::Expr(last)) = body.last() else {
            panic!("the last line of a test source is an expression");
        };
        let mut evaluator = Evaluator::with_limits(&bindings, limits);
        let value = evaluator.eval(&last.value);
        Seen {
            repr: value.repr(),
            unknown: value.first_unknown().map(|u| u.reason.clone()),
            shape: shape(&value),
        }
    })
    .expect("evaluation thread runs")
}

/// A debugging rendering that shows params and marks.
fn shape(value: &Value) -> String {
    let list = |items: &[Value]| items.iter().map(shape).collect::<Vec<_>>().join(", ");
    match value {
        Value::Param(p) => format!(
            "param({}; id={}; marks=[{}])",
            list(&p.values),
            p.id.as_ref().map_or("-".into(), shape),
            list(&p.marks)
        ),
        Value::Mark(m) => {
            let args = m.args.as_ref().map(|a| format!("({})", list(a)));
            let kwargs: Vec<String> = m
                .kwargs
                .iter()
                .map(|(k, v)| format!("{k}={}", shape(v)))
                .collect();
            format!(
                "mark.{}{}{}",
                m.name,
                args.unwrap_or_default(),
                if kwargs.is_empty() {
                    String::new()
                } else {
                    format!("[{}]", kwargs.join(", "))
                }
            )
        }
        Value::List(items) => format!("[{}]", list(items)),
        Value::Tuple(items) => format!("({})", list(items)),
        Value::Dict(pairs) => format!(
            "{{{}}}",
            pairs
                .iter()
                .map(|(k, v)| format!("{}: {}", shape(k), shape(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Named(n) => format!("<{n}>"),
        Value::Opaque(u) => format!("?({})", u.reason),
        other => other.repr().unwrap_or_else(|| "?".into()),
    }
}
