//! `"..." % args`: printf-style formatting of str with `%s %r %a %d %i %f %x %%`.

use super::format::{format_value, Spec};
use super::{Evaluator, Outcome, Value};
use std::rc::Rc;

impl Evaluator<'_, '_> {
    pub(super) fn percent_format(&mut self, format: &str, args: &Value) -> Outcome {
        if let Value::Opaque(_) = args {
            return Ok(args.clone());
        }
        // A tuple is the argument list; anything else is the one argument.
        let args: Vec<Value> = match args {
            Value::Tuple(items) => items.to_vec(),
            Value::Dict(_) => return Err("`%` formatting with a mapping".into()),
            other => vec![other.clone()],
        };
        if let Some(Value::Opaque(u)) = args.iter().find(|a| matches!(a, Value::Opaque(_))) {
            return Ok(Value::Opaque(u.clone()));
        }
        let mut args = args.into_iter();
        let mut out = String::new();
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut spec = Spec::default();
            // Flags, then width, then precision, then the conversion character.
            while let Some(&flag @ ('-' | '+' | ' ' | '0' | '#')) = chars.peek() {
                match flag {
                    '-' => spec.align = Some('<'),
                    '+' => spec.sign = Some('+'),
                    ' ' => spec.sign = spec.sign.or(Some(' ')),
                    '0' => spec.zero = true,
                    _ => return Err("the `#` flag in `%` formatting".into()),
                }
                chars.next();
            }
            let number = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
                let mut n: Option<usize> = None;
                while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                    n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d as usize));
                    chars.next();
                }
                n
            };
            spec.width = number(&mut chars).unwrap_or(0);
            if chars.peek() == Some(&'.') {
                chars.next();
                spec.precision = Some(number(&mut chars).unwrap_or(0));
            }
            if spec.width > super::repr::MAX_REPR_LEN {
                return Err("a `%` width over fanout's string limit".into());
            }
            if spec.align == Some('<') {
                spec.zero = false;
            }
            let Some(conversion) = chars.next() else {
                return Err("an incomplete `%` format (ValueError)".into());
            };
            if conversion == '%' {
                out.push('%');
                continue;
            }
            let arg = args
                .next()
                .ok_or("not enough arguments for the `%` format (TypeError)")?;
            out.push_str(&percent_one(&arg, conversion, spec)?);
            self.text(out.len())?;
        }
        if args.next().is_some() {
            return Err("not all arguments converted during `%` formatting (TypeError)".into());
        }
        Ok(Value::Str(Rc::from(out)))
    }
}

fn percent_one(arg: &Value, conversion: char, mut spec: Spec) -> Result<String, String> {
    let unknown = || "the text of a value fanout cannot know".to_owned();
    // `%` right-aligns text unless the `-` flag is given.
    let text_spec = |spec: Spec| Spec {
        zero: false,
        sign: None,
        align: spec.align.or(Some('>')),
        ..spec
    };
    let render = |value: &Value, spec: Spec| -> Result<String, String> {
        let text = render_spec(&spec);
        format_value(value, &text)
    };
    match conversion {
        's' | 'r' | 'a' => {
            let text = match conversion {
                's' => arg.str(),
                'r' => arg.repr(),
                _ => super::format::convert(arg, ruff_python_ast::ConversionFlag::Ascii)
                    .ok()
                    .and_then(|v| v.str()),
            }
            .ok_or_else(unknown)?;
            render(&Value::Str(Rc::from(text)), text_spec(spec))
        }
        'd' | 'i' | 'x' | 'X' | 'o' => {
            let int = match arg {
                Value::Int(_) | Value::Bool(_) => arg.clone(),
                Value::Float(f) if conversion == 'd' || conversion == 'i' => {
                    if !f.is_finite() || f.abs() >= 9.2e18 {
                        return Err("`%d` of a float too large or not finite".into());
                    }
                    #[allow(clippy::cast_possible_truncation)]
                    Value::Int(f.trunc() as i64)
                }
                _ => return Err(format!("`%{conversion}` of {}", arg.type_name())),
            };
            // `%.3d` pads digits with zeros; rare, and different from format(): opaque.
            if spec.precision.is_some() {
                return Err("a precision on `%d`".into());
            }
            spec.kind = Some(match conversion {
                'i' => 'd',
                c => c,
            });
            render(&int, spec)
        }
        'f' | 'F' => {
            let float = match arg {
                Value::Float(_) => arg.clone(),
                #[allow(clippy::cast_precision_loss)]
                Value::Int(i) => Value::Float(*i as f64),
                Value::Bool(b) => Value::Float(f64::from(u8::from(*b))),
                _ => return Err(format!("`%f` of {}", arg.type_name())),
            };
            spec.kind = Some(conversion);
            spec.precision = Some(spec.precision.unwrap_or(6));
            render(&float, spec)
        }
        other => Err(format!("the `%{other}` conversion")),
    }
}

/// The format-spec text of a parsed spec (how `%` reuses `format()`).
fn render_spec(spec: &Spec) -> String {
    let mut out = String::new();
    if let Some(align) = spec.align {
        if let Some(fill) = spec.fill {
            out.push(fill);
        }
        out.push(align);
    }
    if let Some(sign) = spec.sign {
        out.push(sign);
    }
    if spec.zero {
        out.push('0');
    }
    if spec.width > 0 {
        out.push_str(&spec.width.to_string());
    }
    if let Some(p) = spec.precision {
        out.push('.');
        out.push_str(&p.to_string());
    }
    if let Some(kind) = spec.kind {
        out.push(kind);
    }
    out
}
