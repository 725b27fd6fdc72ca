//! Python's `str()` and `repr()` of known values, character for character.

use super::value::{EnumMixin, Value};
use fanout_core::pyrepr::{complex_repr, float_repr, write_str_repr as str_repr};
use std::fmt::Write as _;

/// Past this nesting a repr is not attempted: CPython itself stops near there.
const MAX_REPR_DEPTH: usize = 500;

/// Past this length a repr is given up: nothing that long is an id anyone reads.
pub(crate) const MAX_REPR_LEN: usize = 1 << 20;

impl Value {
    /// Python's `repr(value)`; `None` when the value, or a part of it, is not known or its
    /// repr depends on run time (a function's address, a set's order).
    pub fn repr(&self) -> Option<String> {
        let mut out = String::new();
        write_repr(self, &mut out, 0)?;
        Some(out)
    }

    /// Python's `str(value)`; `None` when not known.
    pub fn str(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.to_string()),
            Value::EnumMember(e) => match e.mixin {
                EnumMixin::None => Some(format!("{}.{}", e.class, e.member)),
                // `str()` of a member with a data type mixed in changed across Python versions
                // (and differs between `StrEnum` and `class C(str, Enum)`).
                EnumMixin::Str | EnumMixin::Int | EnumMixin::Other => None,
            },
            other => other.repr(),
        }
    }
}

fn write_repr(value: &Value, out: &mut String, depth: usize) -> Option<()> {
    if depth > MAX_REPR_DEPTH || out.len() > MAX_REPR_LEN {
        return None;
    }
    match value {
        Value::None => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&float_repr(*f)),
        Value::Complex { real, imag } => out.push_str(&complex_repr(*real, *imag)),
        Value::Str(s) => str_repr(s, out),
        Value::Bytes(b) => bytes_repr(b, out),
        Value::Tuple(items) => {
            out.push('(');
            write_items(items, out, depth)?;
            if items.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Value::List(items) => {
            out.push('[');
            write_items(items, out, depth)?;
            out.push(']');
        }
        Value::Set(items) => match &items[..] {
            [] => out.push_str("set()"),
            [one] => {
                out.push('{');
                write_repr(one, out, depth + 1)?;
                out.push('}');
            }
            // The order of a bigger set's repr comes from hashing.
            _ => return None,
        },
        Value::Dict(pairs) => {
            out.push('{');
            for (i, (k, v)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(k, out, depth + 1)?;
                out.push_str(": ");
                write_repr(v, out, depth + 1)?;
            }
            out.push('}');
        }
        Value::EnumMember(e) => {
            let _ = write!(out, "<{}.{}: ", e.class, e.member);
            write_repr(&e.value, out, depth + 1)?;
            out.push('>');
        }
        // Addresses, module paths and pytest's own reprs are not worth predicting.
        Value::Named(_) | Value::Param(_) | Value::Mark(_) | Value::Opaque(_) => return None,
    }
    (out.len() <= MAX_REPR_LEN).then_some(())
}

fn write_items(items: &[Value], out: &mut String, depth: usize) -> Option<()> {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_repr(item, out, depth + 1)?;
    }
    Some(())
}

fn bytes_repr(bytes: &[u8], out: &mut String) {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    out.push('b');
    out.push(quote);
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b if char::from(b) == quote => {
                out.push('\\');
                out.push(quote);
            }
            0x20..=0x7e => out.push(char::from(b)),
            b => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out.push(quote);
}
