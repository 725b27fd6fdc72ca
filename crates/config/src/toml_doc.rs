//! Reading a TOML file into owned [`Value`]s that remember their line and column.

use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::error::{read_text, ConfigError, LineIndex};
use crate::value::{Kind, Value};

/// Parses `path` as pytest does (`tomllib.loads` of the UTF-8 text); the result is a table.
pub(crate) fn parse_file(path: &Path) -> Result<Value, ConfigError> {
    let text = read_text(path)?;
    parse_str(path, &text)
}

pub(crate) fn parse_str(path: &Path, text: &str) -> Result<Value, ConfigError> {
    let index = LineIndex::new(text);
    if text.starts_with('\u{feff}') {
        // Python's "utf-8" codec keeps the BOM and tomllib rejects it.
        let message = "byte order mark at the start of the file".to_string();
        return Err(ConfigError::Toml {
            at: index.locate(path, 0),
            message,
        });
    }
    let doc = DeTable::parse(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        ConfigError::Toml {
            at: index.locate(path, offset),
            message: first_line(e.message()),
        }
    })?;
    let span = doc.span();
    Ok(Value {
        kind: table(path, &index, doc.get_ref()),
        at: index.locate(path, span.start),
    })
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

fn table(path: &Path, index: &LineIndex<'_>, t: &DeTable<'_>) -> Kind {
    Kind::Table(
        t.iter()
            .map(|(k, v)| (k.get_ref().to_string(), convert(path, index, v)))
            .collect(),
    )
}

fn convert(path: &Path, index: &LineIndex<'_>, v: &Spanned<DeValue<'_>>) -> Value {
    let kind = match v.get_ref() {
        DeValue::String(s) => Kind::Str(s.to_string()),
        DeValue::Integer(i) => Kind::Int(
            i128::from_str_radix(i.as_str(), i.radix())
                .map_or_else(|_| i.as_str().to_string(), |n| n.to_string()),
        ),
        DeValue::Float(f) => Kind::Float(float(f.as_str())),
        DeValue::Boolean(b) => Kind::Bool(*b),
        DeValue::Datetime(d) => {
            Kind::Datetime(d.to_string().replace('T', " ").replace('Z', "+00:00"))
        }
        DeValue::Array(items) => Kind::Array(
            items
                .iter()
                .map(|item| convert(path, index, item))
                .collect(),
        ),
        DeValue::Table(t) => table(path, index, t),
    };
    Value {
        kind,
        at: index.locate(path, v.span().start),
    }
}

fn float(s: &str) -> f64 {
    let clean = s.replace('_', "");
    match clean.trim_start_matches(['+', '-']) {
        "nan" => f64::NAN,
        "inf" if clean.starts_with('-') => f64::NEG_INFINITY,
        "inf" => f64::INFINITY,
        _ => clean.parse().unwrap_or(f64::NAN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_types_and_positions() {
        let text =
            "[tool.pytest]\ntestpaths = [\"a\", 2]\nx = 0x10\ny = 1e3\nz = 1979-05-27T07:32:00Z\n";
        let doc = parse_str(Path::new("pyproject.toml"), text).unwrap();
        let tp = doc.get("tool").unwrap().get("pytest").unwrap();
        let testpaths = tp.get("testpaths").unwrap();
        assert_eq!(testpaths.at.to_string(), "pyproject.toml:2:13");
        let Kind::Array(items) = &testpaths.kind else {
            panic!()
        };
        assert_eq!(items[1].at.to_string(), "pyproject.toml:2:19");
        assert_eq!(tp.get("x").unwrap().py_str(), "16");
        assert_eq!(tp.get("y").unwrap().py_str(), "1000.0");
        assert_eq!(tp.get("z").unwrap().py_str(), "1979-05-27 07:32:00+00:00");
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let e = parse_str(Path::new("pytest.toml"), "[pytest]\nx = = 1\n").unwrap_err();
        assert!(matches!(e, ConfigError::Toml { .. }));
        assert_eq!(e.line(), Some(2));
        assert!(e.column().is_some());
        let e = parse_str(Path::new("p.toml"), "\u{feff}[pytest]\n").unwrap_err();
        assert_eq!(e.line(), Some(1));
    }
}
