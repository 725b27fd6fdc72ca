//! Python values fanout can know without running code.
//!
//! A value the evaluator cannot know is [`Value::Opaque`], kept in place inside containers:
//! `[Foo(1), Foo(2)]` is a list of two opaque objects, which is enough to count parameters,
//! while `pytest.param(Foo(), id="a")` still has a known id.

use ruff_text_size::TextRange;
use std::rc::Rc;

#[derive(Clone, Debug)]
pub enum Value {
    None,
    Bool(bool),
    /// Python ints are unbounded; one that does not fit is opaque.
    Int(i64),
    Float(f64),
    Complex {
        real: f64,
        imag: f64,
    },
    Str(Rc<str>),
    Bytes(Rc<[u8]>),
    Tuple(Rc<[Value]>),
    List(Rc<[Value]>),
    /// A set's iteration order depends on hashing: its elements are known, their order is not.
    Set(Rc<[Value]>),
    /// Insertion-ordered, as Python's dict.
    Dict(Rc<[(Value, Value)]>),
    /// `pytest.param(*values, id=..., marks=...)`.
    Param(Rc<Param>),
    /// `pytest.mark.NAME` or `pytest.mark.NAME(...)`.
    Mark(Rc<MarkCall>),
    /// A function or class defined in the project: pytest's ids use its `__name__`.
    Named(Rc<str>),
    /// A member of an `enum.Enum` subclass defined in the project.
    EnumMember(Rc<EnumMember>),
    /// An object fanout cannot evaluate (a call to project code, the environment, ...).
    Opaque(Rc<Unknown>),
}

/// `pytest.param(...)`.
#[derive(Clone, Debug)]
pub struct Param {
    pub values: Vec<Value>,
    /// `id=`: a str, `None` (as if not given), or opaque.
    pub id: Option<Value>,
    /// `marks=`: each a [`Value::Mark`] when known.
    pub marks: Vec<Value>,
}

#[derive(Clone, Debug)]
pub struct MarkCall {
    pub name: Rc<str>,
    /// `None` for a bare `pytest.mark.NAME` that was never called.
    pub args: Option<Vec<Value>>,
    pub kwargs: Vec<(Rc<str>, Value)>,
    /// Where the mark is written, for diagnostics.
    pub range: TextRange,
}

#[derive(Clone, Debug)]
pub struct EnumMember {
    pub class: Rc<str>,
    pub member: Rc<str>,
    pub value: Value,
    /// The data type mixed in before `Enum` (`class Color(str, Enum)`, `StrEnum`, `IntEnum`):
    /// it decides what `str(member)` prints.
    pub mixin: EnumMixin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnumMixin {
    /// `class C(Enum)`: `str(C.A)` is `"C.A"`.
    None,
    /// `str` mixed in (`StrEnum`): an `isinstance(x, str)` check sees the value.
    Str,
    /// `int` mixed in (`IntEnum`, `IntFlag`): `str()` changed across Python versions.
    Int,
    /// Anything else mixed in.
    Other,
}

/// Why a value is not known, and where.
#[derive(Clone, Debug)]
pub struct Unknown {
    pub range: TextRange,
    pub reason: String,
}

impl Value {
    /// How a value's type reads in a message: "a float", "None".
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "None",
            Value::Bool(_) => "a bool",
            Value::Int(_) => "an int",
            Value::Float(_) => "a float",
            Value::Complex { .. } => "a complex",
            Value::Str(_) => "a str",
            Value::Bytes(_) => "a bytes",
            Value::Tuple(_) => "a tuple",
            Value::List(_) => "a list",
            Value::Set(_) => "a set",
            Value::Dict(_) => "a dict",
            Value::Param(_) => "a pytest.param",
            Value::Mark(_) => "a pytest mark",
            Value::Named(_) => "a function or class",
            Value::EnumMember(_) => "an enum member",
            Value::Opaque(_) => "an unknown value",
        }
    }

    pub fn opaque(range: TextRange, reason: impl Into<String>) -> Value {
        Value::Opaque(Rc::new(Unknown {
            range,
            reason: reason.into(),
        }))
    }

    /// The first opaque part of this value, searching containers, params and marks.
    pub fn first_unknown(&self) -> Option<&Unknown> {
        match self {
            Value::Opaque(unknown) => Some(unknown),
            Value::Tuple(items) | Value::List(items) | Value::Set(items) => {
                items.iter().find_map(Value::first_unknown)
            }
            Value::Dict(pairs) => pairs
                .iter()
                .find_map(|(k, v)| k.first_unknown().or_else(|| v.first_unknown())),
            Value::Param(p) => p
                .values
                .iter()
                .chain(&p.id)
                .chain(&p.marks)
                .find_map(Value::first_unknown),
            Value::Mark(m) => m
                .args
                .iter()
                .flatten()
                .chain(m.kwargs.iter().map(|(_, v)| v))
                .find_map(Value::first_unknown),
            Value::EnumMember(e) => e.value.first_unknown(),
            _ => None,
        }
    }
}
