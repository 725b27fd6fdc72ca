//! The values of `group` and `runner` marks and of `-m` keyword arguments, through the
//! static evaluator: literals, module constants, f-strings, comprehensions over literal
//! data. What the evaluator cannot know is reported as only known at run time.

use crate::eval::{Evaluator, MarkCall, Value};
use crate::marks::MarkRef;
use fanout_core::{GroupId, MarkValue, Runner};
use ruff_python_ast::Expr;
use ruff_text_size::{Ranged, TextRange};

/// Why a value cannot be used, and where.
pub struct ValueProblem {
    pub range: TextRange,
    pub message: String,
    /// True when the value is only known at run time (`dynamic-group-id`), false when it is
    /// known but wrong (`invalid-group-mark`).
    pub dynamic: bool,
}

/// The id of a `group` mark: one int or str, positional or as `id=`.
pub fn group_id<'a>(
    mark: &MarkRef<'a>,
    evaluator: &mut Evaluator<'_, 'a>,
) -> Result<(GroupId, TextRange), ValueProblem> {
    let Some(arguments) = mark.arguments else {
        return Err(invalid(
            mark.range,
            "`group` mark without an id; write @pytest.mark.group(ID)".into(),
        ));
    };
    let expr = match (&*arguments.args, &arguments.keywords[..]) {
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
    let id = group_id_from(&evaluator.eval(expr), expr.range())?;
    Ok((id, expr.range()))
}

/// The id of an evaluated `group` mark (one given to a parameter).
pub fn group_id_of_value(mark: &MarkCall) -> Result<GroupId, ValueProblem> {
    let value = match (mark.args.as_deref(), mark.kwargs.as_slice()) {
        (None, _) => {
            return Err(invalid(
                mark.range,
                "`group` mark without an id; write pytest.mark.group(ID)".into(),
            ))
        }
        (Some([value]), []) => value,
        (Some([]), [(key, value)]) if &**key == "id" => value,
        _ => {
            return Err(invalid(
                mark.range,
                "`group` takes exactly one id, positional or as `id=`".into(),
            ))
        }
    };
    group_id_from(value, mark.range)
}

fn group_id_from(value: &Value, range: TextRange) -> Result<GroupId, ValueProblem> {
    match value {
        Value::Int(i) => Ok(GroupId::Int(*i)),
        Value::Str(s) => Ok(GroupId::Str(s.to_string())),
        Value::Opaque(unknown) => Err(ValueProblem {
            range: unknown.range,
            message: unknown.reason.clone(),
            dynamic: true,
        }),
        other => Err(invalid(
            range,
            format!(
                "a group id must be an int or a str, not {}",
                other.type_name()
            ),
        )),
    }
}

/// The labels of a `runner` mark: one str, or a list or tuple of str.
pub fn runner<'a>(
    mark: &MarkRef<'a>,
    evaluator: &mut Evaluator<'_, 'a>,
) -> Result<Runner, ValueProblem> {
    let bad = || runner_problem(mark.range);
    let Some(arguments) = mark.arguments else {
        return Err(bad());
    };
    let ([expr], []) = (&*arguments.args, &arguments.keywords[..]) else {
        return Err(bad());
    };
    runner_from(&evaluator.eval(expr), expr.range())
}

/// The labels of an evaluated `runner` mark.
pub fn runner_of_value(mark: &MarkCall) -> Result<Runner, ValueProblem> {
    let (Some([value]), []) = (mark.args.as_deref(), mark.kwargs.as_slice()) else {
        return Err(runner_problem(mark.range));
    };
    runner_from(value, mark.range)
}

fn runner_from(value: &Value, range: TextRange) -> Result<Runner, ValueProblem> {
    let label = |v: &Value| match v {
        Value::Str(s) => Ok(s.to_string()),
        Value::Opaque(unknown) => Err(ValueProblem {
            range: unknown.range,
            message: format!("runner labels must be known statically: {}", unknown.reason),
            dynamic: true,
        }),
        _ => Err(runner_problem(range)),
    };
    match value {
        Value::List(items) | Value::Tuple(items) => Ok(Runner::Labels(
            items.iter().map(label).collect::<Result<_, _>>()?,
        )),
        other => Ok(Runner::Label(label(other)?)),
    }
}

fn runner_problem(range: TextRange) -> ValueProblem {
    invalid(
        range,
        "`runner` takes one label or a list of labels, as strings".into(),
    )
}

/// A keyword argument of a mark, for `-m 'name(kw=value)'`.
pub fn mark_value<'a>(expr: &'a Expr, evaluator: &mut Evaluator<'_, 'a>) -> MarkValue {
    mark_value_of_value(&evaluator.eval(expr))
}

/// An evaluated keyword argument, for `-m 'name(kw=value)'`.
pub fn mark_value_of_value(value: &Value) -> MarkValue {
    match value {
        Value::Bool(b) => MarkValue::Bool(*b),
        Value::None => MarkValue::None,
        Value::Int(i) => MarkValue::Int(*i),
        Value::Str(s) => MarkValue::Str(s.to_string()),
        Value::List(items) | Value::Tuple(items) => {
            let strings: Option<Vec<String>> = items
                .iter()
                .map(|v| match v {
                    Value::Str(s) => Some(s.to_string()),
                    _ => None,
                })
                .collect();
            strings.map_or(MarkValue::Other, MarkValue::Strs)
        }
        _ => MarkValue::Other,
    }
}

fn invalid(range: TextRange, message: String) -> ValueProblem {
    ValueProblem {
        range,
        message,
        dynamic: false,
    }
}
