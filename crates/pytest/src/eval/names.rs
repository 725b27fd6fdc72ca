//! Names and attributes: comprehension variables, module constants, functions and classes,
//! builtins, enum members and pytest marks.

use super::{Evaluator, MarkCall, Outcome, Value};
use crate::marks::{Bindings, MarkRef};
use crate::namespace::Binding;
use ruff_python_ast::{Expr, ExprAttribute, ExprName};
use std::rc::Rc;

/// Builtins whose bare name is a value pytest ids by `__name__` (e.g. `ids=str`).
pub(super) const BUILTIN_NAMES: &[&str] = &[
    "abs",
    "all",
    "any",
    "bool",
    "bytes",
    "dict",
    "enumerate",
    "filter",
    "float",
    "frozenset",
    "int",
    "len",
    "list",
    "map",
    "max",
    "min",
    "object",
    "range",
    "repr",
    "reversed",
    "set",
    "sorted",
    "str",
    "sum",
    "tuple",
    "type",
    "zip",
];

impl<'b, 'a: 'b> Evaluator<'b, 'a> {
    pub(super) fn name(&mut self, name: &'a ExprName) -> Outcome {
        let id = name.id.as_str();
        if let Some((_, value)) = self.locals.iter().rev().find(|(n, _)| *n == id) {
            return Ok(value.clone());
        }
        self.module_name(id)
    }

    pub(super) fn is_local(&self, id: &str) -> bool {
        self.locals.iter().any(|(n, _)| *n == id)
    }

    fn module_name(&mut self, id: &'a str) -> Outcome {
        let module = self.bindings.module;
        if !module.contains(id) {
            if BUILTIN_NAMES.contains(&id) {
                return Ok(Value::Named(Rc::from(id)));
            }
            return Err(format!("`{id}` is not bound at module level"));
        }
        if let Some(value) = module.constant(id) {
            if self.resolving.contains(&id) {
                return Err(format!("`{id}` is defined in terms of itself"));
            }
            // The constant is evaluated in the module scope, not among the caller's
            // comprehension variables.
            let locals = std::mem::take(&mut self.locals);
            self.resolving.push(id);
            let value = self.eval(value);
            self.resolving.pop();
            self.locals = locals;
            return Ok(value);
        }
        if module.bound_once(id) {
            if let Some(Binding::Function(_) | Binding::Class(_)) = module.get(id) {
                return Ok(Value::Named(Rc::from(id)));
            }
            if let Some((expr, module)) = self
                .imports
                .and_then(|imports| imports.constant(self.bindings, id))
            {
                return Ok(self.in_module(module, expr));
            }
            if let Some((from, name)) = self.bindings.import_of(id) {
                return Err(match name {
                    Some(name) => format!("`{id}` is imported from `{from}` (`{name}`), which fanout does not evaluate"),
                    None => format!("`{id}` is the module `{from}`, whose attributes are only known at run time"),
                });
            }
        }
        Err(format!(
            "`{id}` is bound more than once or by an import or loop, so its value is only known at run time"
        ))
    }

    /// `expr` evaluated where it is written: another module's names, enums and cycle guard.
    fn in_module(&mut self, module: &'b Bindings<'a>, expr: &'a Expr) -> Value {
        let bindings = std::mem::replace(&mut self.bindings, module);
        let locals = std::mem::take(&mut self.locals);
        let resolving = std::mem::take(&mut self.resolving);
        let enums = std::mem::take(&mut self.enums);
        let value = self.eval(expr);
        self.bindings = bindings;
        self.locals = locals;
        self.resolving = resolving;
        self.enums = enums;
        value
    }

    pub(super) fn attribute(&mut self, a: &'a ExprAttribute, expr: &'a Expr) -> Outcome {
        if let Some(mark) = self.bindings.mark(expr) {
            return Ok(self.mark_value(mark));
        }
        let attr = a.attr.as_str();
        if let Expr::Name(class) = &*a.value {
            let class = class.id.as_str();
            if !self.is_local(class) {
                if let Some(member) = self.enum_member(class, attr) {
                    return member;
                }
            }
        }
        let value = self.eval(&a.value);
        match (&value, attr) {
            (Value::EnumMember(e), "value") => Ok(e.value.clone()),
            (Value::EnumMember(e), "name") => Ok(Value::Str(e.member.clone())),
            (Value::Opaque(_), _) => Ok(value),
            _ => Err(format!("the attribute `.{attr}` of {}", value.type_name())),
        }
    }

    /// `pytest.mark.NAME` or `pytest.mark.NAME(...)` with its arguments evaluated.
    pub(super) fn mark_value(&mut self, mark: MarkRef<'a>) -> Value {
        let (args, kwargs) = match mark.arguments {
            None => (None, Vec::new()),
            Some(arguments) => match self.arguments(arguments) {
                Ok((args, kwargs)) => (Some(args), kwargs),
                Err(reason) => return Value::opaque(mark.range, reason),
            },
        };
        Value::Mark(Rc::new(MarkCall {
            name: Rc::from(mark.name),
            args,
            kwargs,
            range: mark.range,
        }))
    }
}
