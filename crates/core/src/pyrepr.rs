//! Python's `repr()` of floats, complex numbers and strings, character for character:
//! messages quote config values as pytest would, and parametrize ids print numbers as
//! Python does.

use std::fmt::Write as _;

/// `repr(float)`: the shortest digits that round-trip, positional from 1e-4 up to 1e16.
pub fn float_repr(f: f64) -> String {
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

pub fn complex_repr(real: f64, imag: f64) -> String {
    if real == 0.0 && real.is_sign_positive() {
        return format!("{}j", float_repr_no_point(imag));
    }
    let im = float_repr_no_point(imag);
    let sign = if im.starts_with('-') { "" } else { "+" };
    format!("({}{sign}{im}j)", float_repr_no_point(real))
}

/// `repr(str)`: single quotes unless the text has a `'` and no `"`; escapes as CPython.
pub fn write_str_repr(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        if c == quote {
            out.push('\\');
            out.push(c);
        } else {
            push_escaped(c, is_printable(c), out);
        }
    }
    out.push(quote);
}

/// Python's `unicode_escape` codec (what pytest's ids use): printable ASCII kept, the rest
/// escaped.
pub fn unicode_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_escaped(c, (' '..='~').contains(&c), &mut out);
    }
    out
}

/// One character as Python's codecs write it: a backslash and `\t \n \r` escaped always,
/// other characters kept when `keep`, else `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
fn push_escaped(c: char, keep: bool, out: &mut String) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        c if keep => out.push(c),
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

/// `repr(str)`.
pub fn str_repr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_str_repr(s, &mut out);
    out
}
