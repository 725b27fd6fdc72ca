//! Members of module-level `enum.Enum` subclasses: `Color.RED`, `list(Color)`.

use super::{EnumMember, EnumMixin, Evaluator, Outcome, Value};
use crate::namespace::{Binding, Namespace};
use ruff_python_ast::{Expr, Stmt, StmtClassDef};
use std::rc::Rc;

/// How many module-level base classes are followed to find `Enum`.
const MAX_BASE_DEPTH: usize = 8;

/// The members of one enum class, evaluated once.
pub(super) struct EnumTable<'a> {
    /// Canonical members in definition order (what iterating the class gives).
    members: Vec<Rc<EnumMember>>,
    /// Every member name, aliases included, with the index of its canonical member.
    names: Vec<(&'a str, usize)>,
}

impl<'a> Evaluator<'_, 'a> {
    /// `Class.member` when `Class` is a module-level enum; None when it is not an enum.
    pub(super) fn enum_member(&mut self, class: &'a str, member: &str) -> Option<Outcome> {
        let table = match self.enum_table(class)? {
            Ok(table) => table,
            Err(reason) => return Some(Err(reason)),
        };
        let found = table
            .names
            .iter()
            .find(|(name, _)| *name == member)
            .and_then(|&(_, i)| table.members.get(i));
        Some(match found {
            Some(m) => Ok(Value::EnumMember(m.clone())),
            None => Err(format!("`{class}.{member}` is not a member fanout can see")),
        })
    }

    /// The members of iterating an enum class; None when `class` is not one.
    pub(super) fn enum_members(&mut self, class: &str) -> Option<Result<Vec<Value>, String>> {
        let class = self.bindings.module.iter().find(|(n, _)| *n == class)?.0;
        let table = self.enum_table(class)?;
        Some(table.map(|t| t.members.iter().cloned().map(Value::EnumMember).collect()))
    }

    fn enum_table(&mut self, class: &'a str) -> Option<Result<Rc<EnumTable<'a>>, String>> {
        if let Some(cached) = self.enums.get(class) {
            return Some(cached.clone());
        }
        let def = self.module_class(class)?;
        let mixin = self.enum_mixin(def, 0)?;
        let table = self.evaluate_members(def, mixin).map(Rc::new);
        self.enums.insert(class, table.clone());
        Some(table)
    }

    fn module_class(&self, name: &str) -> Option<&'a StmtClassDef> {
        let module = self.bindings.module;
        match module.get(name) {
            Some(Binding::Class(def)) if module.bound_once(name) => Some(def),
            _ => None,
        }
    }

    /// The mixed-in data type when the class derives from an `enum` base; None when it
    /// is not an enum.
    fn enum_mixin(&self, def: &'a StmtClassDef, depth: usize) -> Option<EnumMixin> {
        if depth > MAX_BASE_DEPTH {
            return None;
        }
        let mut is_enum = false;
        let mut mixin = EnumMixin::None;
        let mut mix = |m: EnumMixin| {
            if mixin == EnumMixin::None {
                mixin = m;
            }
        };
        for base in def.bases() {
            let enum_name = match base {
                Expr::Name(n) => match self.bindings.import_of(n.id.as_str()) {
                    Some(("enum", Some(name))) => Some(name),
                    _ => None,
                },
                Expr::Attribute(a) => match &*a.value {
                    Expr::Name(m)
                        if self.bindings.import_of(m.id.as_str()) == Some(("enum", None)) =>
                    {
                        Some(a.attr.as_str())
                    }
                    _ => None,
                },
                _ => None,
            };
            match enum_name {
                Some("Enum" | "Flag") => is_enum = true,
                Some("IntEnum" | "IntFlag") => {
                    is_enum = true;
                    mix(EnumMixin::Int);
                }
                Some("StrEnum") => {
                    is_enum = true;
                    mix(EnumMixin::Str);
                }
                Some(_) => mix(EnumMixin::Other),
                None => match base {
                    Expr::Name(n)
                        if n.id.as_str() == "str" && !self.bindings.module.contains("str") =>
                    {
                        mix(EnumMixin::Str);
                    }
                    Expr::Name(n)
                        if n.id.as_str() == "int" && !self.bindings.module.contains("int") =>
                    {
                        mix(EnumMixin::Int);
                    }
                    Expr::Name(n) => match self
                        .module_class(n.id.as_str())
                        .and_then(|base| self.enum_mixin(base, depth + 1))
                    {
                        Some(inherited) => {
                            is_enum = true;
                            mix(inherited);
                        }
                        None => mix(EnumMixin::Other),
                    },
                    _ => mix(EnumMixin::Other),
                },
            }
        }
        is_enum.then_some(mixin)
    }

    fn evaluate_members(
        &mut self,
        def: &'a StmtClassDef,
        mixin: EnumMixin,
    ) -> Result<EnumTable<'a>, String> {
        let class: Rc<str> = Rc::from(def.name.as_str());
        let body = Namespace::of_body(&def.body);
        // A member's value is evaluated in the module scope, except that names of the class
        // body (other members, helpers) are not known there.
        let shadowed: Vec<(&'a str, Value)> = body
            .iter()
            .map(|(name, _)| {
                let reason = format!("`{name}` in the body of class `{class}`");
                (name, Value::opaque(def.range, reason))
            })
            .collect();
        let mut table = EnumTable {
            members: Vec::new(),
            names: Vec::new(),
        };
        let saved = std::mem::replace(&mut self.locals, shadowed);
        for stmt in &def.body {
            let Stmt::Assign(assign) = stmt else { continue };
            let [Expr::Name(target)] = &assign.targets[..] else {
                continue;
            };
            let name = target.id.as_str();
            if name.starts_with('_') || !body.bound_once(name) {
                continue;
            }
            let value = self.eval(&assign.value);
            // A member whose value equals an earlier one's is an alias of it.
            let canonical = table
                .members
                .iter()
                .position(|m| m.value.py_eq(&value) == Some(true));
            match canonical {
                Some(i) => table.names.push((name, i)),
                None => {
                    table.names.push((name, table.members.len()));
                    table.members.push(Rc::new(EnumMember {
                        class: class.clone(),
                        member: Rc::from(name),
                        value,
                        mixin,
                    }));
                }
            }
        }
        self.locals = saved;
        Ok(table)
    }
}
