//! Static evaluation of the few expressions that can be known without running code:
//! literals, and module-level constants bound once to a literal.

use crate::marks::{Bindings, MarkRef};
use fanout_core::{GroupId, MarkValue, Runner};
use ruff_python_ast::{Expr, Number, UnaryOp};
use ruff_text_size::{Ranged, TextRange};

/// Why a value cannot be used, and where.
pub struct ValueProblem {
    pub range: TextRange,
    pub message: String,
    /// True when the value is only known at run time (`dynamic-group-id`), false when it is
    /// known but wrong (`invalid-group-mark`).
    pub dynamic: bool,
}

enum Literal {
    Int(i64),
    Str(String),
    Other(&'static str),
}

const CONSTANT_DEPTH: usize = 8;

fn literal(expr: &Expr, b: &Bindings<'_>, depth: usize) -> Result<Literal, ValueProblem> {
    let dynamic = |message: String| ValueProblem {
        range: expr.range(),
        message,
        dynamic: true,
    };
    match expr {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => Ok(i
                .as_i64()
                .map_or(Literal::Other("an int too large"), Literal::Int)),
            Number::Float(_) => Ok(Literal::Other("a float")),
            Number::Complex { .. } => Ok(Literal::Other("a complex number")),
        },
        Expr::UnaryOp(u) if u.op == UnaryOp::USub => match literal(&u.operand, b, depth)? {
            Literal::Int(i) => Ok(Literal::Int(-i)),
            _ => Ok(Literal::Other("a negated non-int")),
        },
        Expr::StringLiteral(s) => Ok(Literal::Str(s.value.to_str().to_owned())),
        Expr::BooleanLiteral(_) => Ok(Literal::Other("a bool")),
        Expr::NoneLiteral(_) => Ok(Literal::Other("None")),
        Expr::BytesLiteral(_) => Ok(Literal::Other("bytes")),
        Expr::Name(name) => {
            let id = name.id.as_str();
            if depth < CONSTANT_DEPTH {
                if let Some(value) = b.module.constant(id) {
                    return literal(value, b, depth + 1);
                }
            }
            Err(dynamic(if b.module.contains(id) {
                format!("`{id}` is bound more than once or by an import or loop, so its value is only known at run time")
            } else {
                format!("`{id}` is not a module-level constant (a loop variable, parameter or builtin), so its value is only known at run time")
            }))
        }
        Expr::FString(_) => Err(dynamic("an f-string is only known at run time".into())),
        Expr::Call(call) => {
            if matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "format") {
                Err(dynamic(
                    "a `.format()` call is only known at run time".into(),
                ))
            } else {
                Err(dynamic("a function call is only known at run time".into()))
            }
        }
        _ => Err(dynamic("this expression is only known at run time".into())),
    }
}

/// The id of a `group` mark: one int or str, positional or as `id=`.
pub fn group_id(
    mark: &MarkRef<'_>,
    b: &Bindings<'_>,
) -> Result<(GroupId, TextRange), ValueProblem> {
    let invalid = |range: TextRange, message: &str| ValueProblem {
        range,
        message: message.to_owned(),
        dynamic: false,
    };
    let Some(arguments) = mark.arguments else {
        return Err(invalid(
            mark.range,
            "`group` mark without an id; write @pytest.mark.group(ID)",
        ));
    };
    let value = match (&*arguments.args, &arguments.keywords[..]) {
        ([arg], []) => arg,
        ([], [kw]) if kw.arg.as_ref().is_some_and(|a| a.as_str() == "id") => &kw.value,
        _ => {
            let unpacked = arguments.args.iter().any(Expr::is_starred_expr)
                || arguments.keywords.iter().any(|k| k.arg.is_none());
            return Err(ValueProblem {
                range: mark.range,
                message: if unpacked {
                    "`group` arguments unpacked with * or ** are only known at run time".into()
                } else {
                    "`group` takes exactly one id, positional or as `id=`".into()
                },
                dynamic: unpacked,
            });
        }
    };
    match literal(value, b, 0)? {
        Literal::Int(i) => Ok((GroupId::Int(i), value.range())),
        Literal::Str(s) => Ok((GroupId::Str(s), value.range())),
        Literal::Other(what) => Err(invalid(
            value.range(),
            &format!("a group id must be an int or a str, not {what}"),
        )),
    }
}

/// The labels of a `runner` mark: one str, or a list or tuple of str.
pub fn runner(mark: &MarkRef<'_>, b: &Bindings<'_>) -> Result<Runner, ValueProblem> {
    let invalid = |range: TextRange| ValueProblem {
        range,
        message: "`runner` takes one label or a list of labels, as string literals".into(),
        dynamic: false,
    };
    let Some(arguments) = mark.arguments else {
        return Err(invalid(mark.range));
    };
    let ([value], []) = (&*arguments.args, &arguments.keywords[..]) else {
        return Err(invalid(mark.range));
    };
    let value = resolve_name(value, b);
    let label = |e: &Expr| match literal(e, b, 0) {
        Ok(Literal::Str(s)) => Ok(s),
        Ok(_) => Err(invalid(e.range())),
        Err(problem) => Err(problem),
    };
    match value {
        Expr::List(l) => Ok(Runner::Labels(
            l.elts.iter().map(label).collect::<Result<_, _>>()?,
        )),
        Expr::Tuple(t) => Ok(Runner::Labels(
            t.elts.iter().map(label).collect::<Result<_, _>>()?,
        )),
        other => Ok(Runner::Label(label(other)?)),
    }
}

/// A literal keyword argument, for `-m 'name(kw=value)'`.
pub fn mark_value(expr: &Expr, b: &Bindings<'_>) -> MarkValue {
    match expr {
        Expr::BooleanLiteral(v) => MarkValue::Bool(v.value),
        Expr::NoneLiteral(_) => MarkValue::None,
        _ => match literal(expr, b, 0) {
            Ok(Literal::Int(i)) => MarkValue::Int(i),
            Ok(Literal::Str(s)) => MarkValue::Str(s),
            _ => MarkValue::Other,
        },
    }
}

/// Follows a name to the module-level constant it is bound to, if any.
pub fn resolve_name<'a>(expr: &'a Expr, b: &Bindings<'a>) -> &'a Expr {
    let mut current = expr;
    for _ in 0..CONSTANT_DEPTH {
        match current {
            Expr::Name(n) => match b.module.constant(n.id.as_str()) {
                Some(value) => current = value,
                None => break,
            },
            _ => break,
        }
    }
    current
}
