//! f-strings and the format-spec mini-language (`format(value, spec)`) for the specs that
//! ids use: fill, align, sign, `0`, width, precision, and the types `s d f F x X o b`.

use super::{EnumMixin, Evaluator, Outcome, Value};
use fanout_core::pyrepr::float_repr;
use ruff_python_ast::{
    ConversionFlag, ExprFString, FStringPart, InterpolatedElement, InterpolatedStringElement,
    InterpolatedStringElements,
};
use std::rc::Rc;

/// A parsed format spec.
#[derive(Default, Clone, Copy)]
pub(super) struct Spec {
    pub fill: Option<char>,
    /// One of `<`, `>`, `^`, `=`.
    pub align: Option<char>,
    /// One of `+`, `-`, ` `.
    pub sign: Option<char>,
    pub zero: bool,
    pub width: usize,
    pub precision: Option<usize>,
    pub kind: Option<char>,
}

impl Spec {
    pub(super) fn parse(spec: &str) -> Result<Spec, String> {
        let unsupported = || format!("the format spec {spec:?}, which fanout does not evaluate");
        let chars: Vec<char> = spec.chars().collect();
        let mut out = Spec::default();
        let mut i = 0;
        let is_align = |c: Option<&char>| matches!(c, Some('<' | '>' | '^' | '='));
        if is_align(chars.get(1)) {
            out.fill = chars.first().copied();
            out.align = chars.get(1).copied();
            i = 2;
        } else if is_align(chars.first()) {
            out.align = chars.first().copied();
            i = 1;
        }
        if let Some(&c @ ('+' | '-' | ' ')) = chars.get(i) {
            out.sign = Some(c);
            i += 1;
        }
        if chars.get(i) == Some(&'0') {
            out.zero = true;
            i += 1;
        }
        let digits = |i: &mut usize| -> Option<usize> {
            let start = *i;
            while chars.get(*i).is_some_and(char::is_ascii_digit) {
                *i += 1;
            }
            let text: String = chars.get(start..*i)?.iter().collect();
            text.parse().ok()
        };
        out.width = digits(&mut i).unwrap_or(0);
        if chars.get(i) == Some(&'.') {
            i += 1;
            out.precision = Some(digits(&mut i).ok_or_else(unsupported)?);
        }
        match chars.get(i..) {
            Some([]) => {}
            Some([c @ ('s' | 'd' | 'f' | 'F' | 'x' | 'X' | 'o' | 'b')]) => out.kind = Some(*c),
            _ => return Err(unsupported()),
        }
        if out.width > super::repr::MAX_REPR_LEN {
            return Err("a format width over fanout's string limit".into());
        }
        Ok(out)
    }
}

/// `format(value, spec)`.
pub(super) fn format_value(value: &Value, spec_text: &str) -> Result<String, String> {
    if spec_text.is_empty() {
        if let Value::EnumMember(e) = value {
            if e.mixin != EnumMixin::None {
                return Err(
                    "formatting an enum member with a mixed-in type changed across Python versions"
                        .into(),
                );
            }
        }
        return value
            .str()
            .ok_or_else(|| "the str() of a value fanout cannot know".into());
    }
    let spec = Spec::parse(spec_text)?;
    let type_error = || format!("the format spec {spec_text:?} for {}", value.type_name());
    let (body, numeric) = match value {
        Value::Str(s) => {
            if spec.sign.is_some() || !matches!(spec.kind, None | Some('s')) {
                return Err(type_error());
            }
            let body: String = match spec.precision {
                Some(p) => s.chars().take(p).collect(),
                None => s.to_string(),
            };
            (body, false)
        }
        Value::Int(_) | Value::Bool(_) => {
            let i = match value {
                Value::Int(i) => *i,
                Value::Bool(b) => i64::from(*b),
                _ => 0,
            };
            match spec.kind {
                Some('f' | 'F') => (fixed(i as f64, spec), true),
                _ if spec.precision.is_some() => return Err(type_error()),
                None | Some('d') => (signed(i < 0, i.unsigned_abs().to_string(), spec), true),
                Some('x') => (signed(i < 0, format!("{:x}", i.unsigned_abs()), spec), true),
                Some('X') => (signed(i < 0, format!("{:X}", i.unsigned_abs()), spec), true),
                Some('o') => (signed(i < 0, format!("{:o}", i.unsigned_abs()), spec), true),
                Some('b') => (signed(i < 0, format!("{:b}", i.unsigned_abs()), spec), true),
                _ => return Err(type_error()),
            }
        }
        Value::Float(f) => match (spec.kind, spec.precision) {
            (Some('f' | 'F'), _) => (fixed(*f, spec), true),
            (None, None) => {
                let repr = float_repr(f.abs());
                (
                    signed(f.is_sign_negative() && !f.is_nan(), repr, spec),
                    true,
                )
            }
            _ => return Err(type_error()),
        },
        _ => return Err(type_error()),
    };
    Ok(pad(body, spec, numeric))
}

#[allow(clippy::cast_precision_loss)]
fn fixed(f: f64, spec: Spec) -> String {
    let precision = spec.precision.unwrap_or(6);
    let digits = if f.is_nan() {
        "nan".to_owned()
    } else if f.is_infinite() {
        "inf".to_owned()
    } else {
        format!("{:.*}", precision, f.abs())
    };
    let digits = if spec.kind == Some('F') {
        digits.to_uppercase()
    } else {
        digits
    };
    signed(f.is_sign_negative() && !f.is_nan(), digits, spec)
}

fn signed(negative: bool, digits: String, spec: Spec) -> String {
    let sign = match (negative, spec.sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    };
    format!("{sign}{digits}")
}

/// Pads to the width: numbers right-aligned (zero-fill after the sign), text left-aligned.
fn pad(body: String, spec: Spec, numeric: bool) -> String {
    let len = body.chars().count();
    if len >= spec.width {
        return body;
    }
    let missing = spec.width - len;
    let (fill, align) = match (spec.fill, spec.align, spec.zero) {
        (Some(f), Some(a), _) => (f, a),
        (None, Some(a), true) => ('0', a),
        (None, Some(a), false) => (' ', a),
        (_, None, true) if numeric => ('0', '='),
        (_, None, true) => ('0', '<'),
        (_, None, false) => (' ', if numeric { '>' } else { '<' }),
    };
    let fill_n = |n: usize| std::iter::repeat_n(fill, n).collect::<String>();
    match align {
        '<' => format!("{body}{}", fill_n(missing)),
        '^' => format!(
            "{}{body}{}",
            fill_n(missing / 2),
            fill_n(missing - missing / 2)
        ),
        '=' => {
            let sign_len = usize::from(body.starts_with(['-', '+', ' ']));
            let (sign, digits) = body.split_at(sign_len);
            format!("{sign}{}{digits}", fill_n(missing))
        }
        _ => format!("{}{body}", fill_n(missing)),
    }
}

/// `!r`, `!s` and `!a` conversions.
pub(super) fn convert(value: &Value, conversion: ConversionFlag) -> Result<Value, String> {
    let text = match conversion {
        ConversionFlag::None => return Ok(value.clone()),
        ConversionFlag::Str => value.str(),
        ConversionFlag::Repr => value.repr(),
        ConversionFlag::Ascii => value.repr().map(|r| ascii(&r)),
    };
    text.map(|t| Value::Str(Rc::from(t)))
        .ok_or_else(|| "a conversion of a value fanout cannot know".into())
}

/// `ascii()`: the repr with non-ASCII characters escaped.
fn ascii(repr: &str) -> String {
    let mut out = String::with_capacity(repr.len());
    for c in repr.chars() {
        let code = u32::from(c);
        match code {
            0..=0x7f => out.push(c),
            0x80..=0xff => out.push_str(&format!("\\x{code:02x}")),
            0x100..=0xffff => out.push_str(&format!("\\u{code:04x}")),
            _ => out.push_str(&format!("\\U{code:08x}")),
        }
    }
    out
}

impl<'a> Evaluator<'_, 'a> {
    pub(super) fn fstring(&mut self, f: &'a ExprFString) -> Outcome {
        let mut out = String::new();
        for part in f.value.iter() {
            match part {
                FStringPart::Literal(literal) => out.push_str(&literal.value),
                FStringPart::FString(fstring) => {
                    if let Some(unknown) = self.elements(&fstring.elements, &mut out)? {
                        return Ok(unknown);
                    }
                }
            }
            self.text(out.len())?;
        }
        Ok(Value::Str(Rc::from(out)))
    }

    /// Appends the elements' text; `Some(opaque)` when an interpolated value is unknown.
    fn elements(
        &mut self,
        elements: &'a InterpolatedStringElements,
        out: &mut String,
    ) -> Result<Option<Value>, String> {
        for element in elements.iter() {
            match element {
                InterpolatedStringElement::Literal(literal) => out.push_str(&literal.value),
                InterpolatedStringElement::Interpolation(field) => {
                    if let Some(unknown) = self.interpolation(field, out)? {
                        return Ok(Some(unknown));
                    }
                }
            }
            self.text(out.len())?;
        }
        Ok(None)
    }

    fn interpolation(
        &mut self,
        field: &'a InterpolatedElement,
        out: &mut String,
    ) -> Result<Option<Value>, String> {
        if let Some(reason) = self.iterator_object(&field.expression) {
            return Err(reason);
        }
        let value = self.eval(&field.expression);
        let mut conversion = field.conversion;
        if let Some(debug) = &field.debug_text {
            // `f"{x=}"` writes the expression text, then the repr unless a spec is given.
            out.push_str(debug.leading());
            out.push_str(debug.expression());
            out.push_str(debug.trailing());
            if conversion == ConversionFlag::None && field.format_spec.is_none() {
                conversion = ConversionFlag::Repr;
            }
        }
        if let Value::Opaque(_) = value {
            return Ok(Some(value));
        }
        let mut spec = String::new();
        if let Some(format_spec) = &field.format_spec {
            if let Some(unknown) = self.elements(&format_spec.elements, &mut spec)? {
                return Ok(Some(unknown));
            }
        }
        let converted = convert(&value, conversion)?;
        out.push_str(&format_value(&converted, &spec)?);
        Ok(None)
    }
}
