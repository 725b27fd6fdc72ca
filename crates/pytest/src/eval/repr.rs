//! Python's `str()` and `repr()` of known values, character for character.

use super::value::{EnumMixin, Value};
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

/// `repr(float)`: the shortest digits that round-trip, positional from 1e-4 up to 1e16.
pub(crate) fn float_repr(f: f64) -> String {
    let mut s = float_repr_no_point(f);
    if f.is_finite() && !s.contains(['.', 'e']) {
        s.push_str(".0");
    }
    s
}

/// The float part of a complex repr: like `repr(float)` without the `.0` of integral values.
fn float_repr_no_point(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let (negative, digits, exponent) = shortest_digits(f);
    let sign = if negative { "-" } else { "" };
    // `exponent` is the power of ten of the first digit.
    if (-4..16).contains(&exponent) {
        let body = positional(&digits, exponent);
        format!("{sign}{body}")
    } else {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        let esign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{sign}{first}{dot}{rest}e{esign}{:02}",
            exponent.unsigned_abs()
        )
    }
}

/// Sign, significant digits and decimal exponent of the shortest round-tripping form.
fn shortest_digits(f: f64) -> (bool, String, i32) {
    // Rust's `{:e}` prints the shortest round-tripping digits, as Python's repr.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent = exponent.parse().unwrap_or(0);
    (f.is_sign_negative(), digits, exponent)
}

fn positional(digits: &str, exponent: i32) -> String {
    let len = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    if exponent < 0 {
        let zeros = "0".repeat(exponent.unsigned_abs() as usize - 1);
        format!("0.{zeros}{digits}")
    } else if exponent + 1 >= len {
        let zeros = "0".repeat((exponent + 1 - len) as usize);
        format!("{digits}{zeros}")
    } else {
        let (int, frac) = digits.split_at((exponent + 1) as usize);
        format!("{int}.{frac}")
    }
}

pub(crate) fn complex_repr(real: f64, imag: f64) -> String {
    if real == 0.0 && real.is_sign_positive() {
        return format!("{}j", float_repr_no_point(imag));
    }
    let im = float_repr_no_point(imag);
    let sign = if im.starts_with('-') { "" } else { "+" };
    format!("({}{sign}{im}j)", float_repr_no_point(real))
}

/// `repr(str)`: single quotes unless the text has a `'` and no `"`; escapes as CPython.
pub(crate) fn str_repr(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c => {
                let code = u32::from(c);
                let _ = match code {
                    0..=0xff => write!(out, "\\x{code:02x}"),
                    0x100..=0xffff => write!(out, "\\u{code:04x}"),
                    _ => write!(out, "\\U{code:08x}"),
                };
            }
        }
    }
    out.push(quote);
}

/// Python's `str.isprintable` for one character. Rust's debug escaping uses the same
/// definition (not in categories Cc, Cf, Cs, Co, Cn, Zl, Zp, or Zs other than space), except
/// that it also escapes a combining mark at the start of a string.
fn is_printable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    let mut probe = String::from("a");
    probe.push(c);
    probe.escape_debug().eq(probe.chars())
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
