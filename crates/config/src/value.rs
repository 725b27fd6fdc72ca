//! Config values as pytest holds them: from ini files always strings; from TOML the native types,
//! each with the place it was written.

use std::collections::BTreeMap;

use crate::error::Location;
use crate::python::{float_repr, str_repr};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Str(String),
    /// Decimal digits.
    Int(String),
    Float(f64),
    Bool(bool),
    /// As Python's `str(datetime)` writes it.
    Datetime(String),
    Array(Vec<Value>),
    Table(Vec<(String, Value)>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Value {
    pub kind: Kind,
    pub at: Location,
}

impl Value {
    pub(crate) fn str(s: impl Into<String>, at: Location) -> Self {
        Self {
            kind: Kind::Str(s.into()),
            at,
        }
    }

    /// Python's type name, as pytest's messages use it.
    pub(crate) fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Str(_) => "str",
            Kind::Int(_) => "int",
            Kind::Float(_) => "float",
            Kind::Bool(_) => "bool",
            Kind::Datetime(_) => "datetime",
            Kind::Array(_) => "list",
            Kind::Table(_) => "dict",
        }
    }

    /// Python's `str(value)`.
    pub(crate) fn py_str(&self) -> String {
        match &self.kind {
            Kind::Str(s) => s.clone(),
            _ => self.py_repr(),
        }
    }

    /// Python's `repr(value)`.
    pub(crate) fn py_repr(&self) -> String {
        match &self.kind {
            Kind::Str(s) => str_repr(s),
            Kind::Int(s) | Kind::Datetime(s) => s.clone(),
            Kind::Float(f) => float_repr(*f),
            Kind::Bool(true) => "True".into(),
            Kind::Bool(false) => "False".into(),
            Kind::Array(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(Value::py_repr)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Kind::Table(entries) => {
                let inner: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", str_repr(k), v.py_repr()))
                    .collect();
                format!("{{{}}}", inner.join(", "))
            }
        }
    }

    pub(crate) fn as_table(&self) -> Option<&[(String, Value)]> {
        match &self.kind {
            Kind::Table(entries) => Some(entries),
            _ => None,
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        self.as_table()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
}

/// How pytest reads a value: `ini` values are `str` or `list[str]` coerced per option type; `toml`
/// values keep their native types and must match the option type exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Ini,
    Toml,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConfigValue {
    pub value: Value,
    pub mode: Mode,
}

/// pytest's `ConfigDict`: option name to value.
pub(crate) type ConfigDict = BTreeMap<String, ConfigValue>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn python_str_of_values() {
        let at = Location::file(Path::new("p.toml"));
        let v = |kind| Value {
            kind,
            at: at.clone(),
        };
        assert_eq!(v(Kind::Bool(true)).py_str(), "True");
        assert_eq!(v(Kind::Float(2.0)).py_str(), "2.0");
        assert_eq!(v(Kind::Int("3".into())).py_str(), "3");
        let arr = v(Kind::Array(vec![
            v(Kind::Str("a".into())),
            v(Kind::Int("1".into())),
        ]));
        assert_eq!(arr.py_str(), "['a', 1]");
        let table = v(Kind::Table(vec![("k".into(), v(Kind::Bool(false)))]));
        assert_eq!(table.py_str(), "{'k': False}");
        assert_eq!(table.get("k").unwrap().type_name(), "bool");
    }
}
