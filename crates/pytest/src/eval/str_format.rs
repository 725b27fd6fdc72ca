//! `str.format(*args, **kwargs)` with `{}`, `{0}`, `{name}` fields, `!r`/`!s`/`!a`
//! conversions and format specs.

use super::format::{convert, format_value};
use super::{Evaluator, Outcome, Value};
use ruff_python_ast::ConversionFlag;
use std::rc::Rc;

impl Evaluator<'_, '_> {
    pub(super) fn str_format(
        &mut self,
        template: &str,
        args: &[Value],
        kwargs: &[(Rc<str>, Value)],
    ) -> Outcome {
        let mut out = String::new();
        let mut auto = 0usize;
        let mut rest = template;
        while let Some(at) = rest.find(['{', '}']) {
            let (literal, tail) = rest.split_at(at);
            out.push_str(literal);
            if let Some(after) = tail.strip_prefix("{{") {
                out.push('{');
                rest = after;
                continue;
            }
            if let Some(after) = tail.strip_prefix("}}") {
                out.push('}');
                rest = after;
                continue;
            }
            if tail.starts_with('}') {
                return Err("a single `}` in a format string (ValueError)".into());
            }
            let Some(end) = tail.find('}') else {
                return Err("a `{` without `}` in a format string (ValueError)".into());
            };
            let field = tail.get(1..end).unwrap_or_default();
            rest = tail.get(end + 1..).unwrap_or_default();
            if field.contains('{') {
                return Err("a nested field in a format spec".into());
            }
            let (field, spec) = field.split_once(':').unwrap_or((field, ""));
            let (name, conversion) = match field.split_once('!') {
                Some((name, "r")) => (name, ConversionFlag::Repr),
                Some((name, "s")) => (name, ConversionFlag::Str),
                Some((name, "a")) => (name, ConversionFlag::Ascii),
                Some(_) => return Err("an unknown conversion in a format string".into()),
                None => (field, ConversionFlag::None),
            };
            let value = if name.is_empty() {
                auto += 1;
                args.get(auto - 1)
            } else if let Ok(index) = name.parse::<usize>() {
                args.get(index)
            } else if name.contains(['.', '[']) {
                return Err(format!(
                    "the format field `{{{name}}}` (attribute or index)"
                ));
            } else {
                kwargs.iter().find(|(k, _)| &**k == name).map(|(_, v)| v)
            };
            let value = value.ok_or_else(|| {
                format!("the format field `{{{name}}}` has no argument (IndexError or KeyError)")
            })?;
            if let Value::Opaque(_) = value {
                return Ok(value.clone());
            }
            let converted = convert(value, conversion)?;
            out.push_str(&format_value(&converted, spec)?);
            self.text(out.len())?;
        }
        out.push_str(rest);
        self.text(out.len())?;
        Ok(Value::Str(Rc::from(out)))
    }
}
