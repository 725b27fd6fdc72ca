//! Calls: `pytest.param`, pytest marks, builtins, `itertools`, and methods of known values.
//! Calls to project code are opaque: they only run at run time.

use super::{Evaluator, Outcome, Param, Value};
use ruff_python_ast::{Arguments, Expr, ExprCall};
use std::rc::Rc;

/// Positional and keyword arguments, evaluated, with `*` and `**` unpacked.
pub(super) type Args = (Vec<Value>, Vec<(Rc<str>, Value)>);

/// What a call's callee is.
pub(super) enum Callee<'a> {
    PytestParam,
    /// A builtin or a supported standard library function, by qualified name
    /// (`len`, `itertools.product`).
    Function(&'static str),
    Method(&'a Expr, &'a str),
}

/// Standard library functions fanout evaluates, as `module.name`.
const LIBRARY_FUNCTIONS: &[&str] = &["itertools.product", "itertools.chain"];

impl<'a> Evaluator<'_, 'a> {
    pub(super) fn call(&mut self, call: &'a ExprCall, expr: &'a Expr) -> Outcome {
        if let Some(mark) = self.bindings.mark(expr) {
            return Ok(self.mark_value(mark));
        }
        let callee = self.callee(&call.func)?;
        if let Callee::Function("str" | "repr") = callee {
            if let Some(reason) = call
                .arguments
                .args
                .iter()
                .find_map(|a| self.iterator_object(a))
            {
                return Err(reason);
            }
        }
        let (args, kwargs) = self.arguments(&call.arguments)?;
        match callee {
            Callee::PytestParam => param(args, kwargs),
            Callee::Function(name) => self.builtin(name, args, &kwargs),
            Callee::Method(receiver, method) => {
                let receiver = self.eval(receiver);
                if let Value::Opaque(_) = receiver {
                    return Ok(receiver);
                }
                self.method(&receiver, method, args, &kwargs)
            }
        }
    }

    pub(super) fn callee(&self, func: &'a Expr) -> Result<Callee<'a>, String> {
        match func {
            Expr::Name(n) => {
                let id = n.id.as_str();
                if self.is_local(id) {
                    return Err(format!("a call to `{id}`, a comprehension variable"));
                }
                if !self.bindings.module.contains(id) {
                    return super::builtins::BUILTINS
                        .iter()
                        .find(|&&b| b == id)
                        .map(|&b| Callee::Function(b))
                        .ok_or_else(|| {
                            format!("a call to `{id}`, which is not defined at module level")
                        });
                }
                match self.bindings.import_of(id) {
                    Some(("pytest", Some("param"))) => Ok(Callee::PytestParam),
                    Some((module, Some(name))) => library(module, name).ok_or_else(|| {
                        format!(
                            "a call to `{id}` (imported from `{module}`) is only known at run time"
                        )
                    }),
                    _ => Err(format!(
                        "a call to `{id}` (project code) is only known at run time"
                    )),
                }
            }
            Expr::Attribute(a) => {
                let attr = a.attr.as_str();
                if let Expr::Name(m) = &*a.value {
                    let id = m.id.as_str();
                    if !self.is_local(id) {
                        if self.bindings.is_pytest(&a.value) {
                            return match attr {
                                "param" => Ok(Callee::PytestParam),
                                _ => Err(format!("a call to `pytest.{attr}`")),
                            };
                        }
                        if let Some((module, None)) = self.bindings.import_of(id) {
                            return library(module, attr).ok_or_else(|| {
                                format!("a call to `{id}.{attr}` (the module `{module}`) is only known at run time")
                            });
                        }
                    }
                }
                Ok(Callee::Method(&a.value, attr))
            }
            _ => Err("a call of a computed function".into()),
        }
    }

    pub(super) fn arguments(&mut self, arguments: &'a Arguments) -> Result<Args, String> {
        let args = self.items(&arguments.args)?;
        let mut kwargs = Vec::new();
        for keyword in &arguments.keywords {
            let value = self.eval(&keyword.value);
            match &keyword.arg {
                Some(name) => kwargs.push((Rc::from(name.as_str()), value)),
                None => match value {
                    Value::Dict(pairs) => {
                        for (k, v) in pairs.iter() {
                            let Value::Str(k) = k else {
                                return Err("`**` unpacks a dict whose keys are not all str".into());
                            };
                            kwargs.push((k.clone(), v.clone()));
                        }
                    }
                    Value::Opaque(u) => return Err(u.reason.clone()),
                    _ => return Err("`**` unpacks something that is not a dict".into()),
                },
            }
        }
        Ok((args, kwargs))
    }
}

fn library(module: &str, name: &str) -> Option<Callee<'static>> {
    LIBRARY_FUNCTIONS
        .iter()
        .find(|f| f.split_once('.') == Some((module, name)))
        .map(|&f| Callee::Function(f))
}

/// `pytest.param(*values, id=..., marks=...)`.
fn param(values: Vec<Value>, kwargs: Vec<(Rc<str>, Value)>) -> Outcome {
    let mut id = None;
    let mut marks = Vec::new();
    for (name, value) in kwargs {
        match &*name {
            "id" => id = Some(value),
            "marks" => match value {
                Value::List(items) | Value::Tuple(items) => marks.extend(items.iter().cloned()),
                other => marks.push(other),
            },
            other => return Err(format!("`pytest.param` has no argument `{other}`")),
        }
    }
    Ok(Value::Param(Rc::new(Param { values, id, marks })))
}
