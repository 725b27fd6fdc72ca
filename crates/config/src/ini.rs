//! A port of `iniconfig` (the parser pytest uses for `pytest.ini`, `tox.ini` and `setup.cfg`), as
//! pytest calls it: `IniConfig(path)`, so inline comments stay part of values.

use std::path::Path;

use crate::error::{ConfigError, Location};
use crate::python::{is_space, rstrip, splitlines, str_repr, strip};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IniEntry {
    pub key: String,
    /// Continuation lines joined with `\n`.
    pub value: String,
    /// 1-based line of the key.
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IniSection {
    pub name: String,
    pub entries: Vec<IniEntry>,
}

#[derive(Debug, Default)]
pub(crate) struct IniDoc {
    pub sections: Vec<IniSection>,
}

impl IniDoc {
    pub(crate) fn section(&self, name: &str) -> Option<&IniSection> {
        self.sections.iter().find(|s| s.name == name)
    }
}

enum Line {
    Section(String),
    Value(String, String),
    Continuation(String),
}

/// One token per meaningful line, like iniconfig's `parse_lines`.
struct Token {
    line: u32,
    section: Option<String>,
    key: Option<String>,
    value: Vec<String>,
}

pub(crate) fn parse(path: &Path, text: &str) -> Result<IniDoc, ConfigError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let err = |line: u32, message: String| ConfigError::Ini {
        at: Location::at(path, line, None),
        message,
    };
    let mut tokens: Vec<Token> = Vec::new();
    let mut section: Option<String> = None;
    for (lineno, raw) in splitlines(text).into_iter().enumerate() {
        let line = u32::try_from(lineno + 1).unwrap_or(u32::MAX);
        match parse_line(raw).map_err(|m| err(line, m))? {
            None => {}
            Some(Line::Value(key, value)) => {
                let value = if value.is_empty() {
                    vec![]
                } else {
                    vec![value]
                };
                tokens.push(Token {
                    line,
                    section: section.clone(),
                    key: Some(key),
                    value,
                });
            }
            Some(Line::Section(name)) => {
                if name.is_empty() {
                    return Err(err(line, "empty section name".into()));
                }
                section = Some(name.clone());
                tokens.push(Token {
                    line,
                    section: Some(name),
                    key: None,
                    value: vec![],
                });
            }
            Some(Line::Continuation(data)) => match tokens.last_mut() {
                Some(token) if token.key.is_some() => token.value.push(data),
                _ => return Err(err(line, "unexpected value continuation".into())),
            },
        }
    }
    let mut doc = IniDoc::default();
    for token in tokens {
        let Some(section) = token.section else {
            return Err(err(token.line, "no section header defined".into()));
        };
        match token.key {
            None if doc.section(&section).is_some() => {
                return Err(err(
                    token.line,
                    format!("duplicate section {}", str_repr(&section)),
                ));
            }
            None => doc.sections.push(IniSection {
                name: section,
                entries: vec![],
            }),
            Some(key) => {
                let Some(current) = doc.sections.iter_mut().find(|s| s.name == section) else {
                    return Err(err(token.line, "no section header defined".into()));
                };
                if current.entries.iter().any(|e| e.key == key) {
                    return Err(err(
                        token.line,
                        format!("duplicate name {}", str_repr(&key)),
                    ));
                }
                current.entries.push(IniEntry {
                    key,
                    value: token.value.join("\n"),
                    line: token.line,
                });
            }
        }
    }
    Ok(doc)
}

/// One line as iniconfig's `_parseline` (with `strip_inline_comments=False`) reads it. This
/// is the one INI line reader: config loading and `fanout check --fix` both use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IniLine<'a> {
    /// Empty, or a `#`/`;` comment.
    Blank,
    Section(&'a str),
    Key(&'a str, &'a str),
    Continuation(&'a str),
    /// Neither of the above: iniconfig rejects the file.
    Unexpected(&'a str),
}

pub fn classify(raw: &str) -> IniLine<'_> {
    let first = raw.trim_start_matches(is_space).chars().next();
    if matches!(first, None | Some('#' | ';')) {
        return IniLine::Blank;
    }
    let line = rstrip(raw);
    if line.starts_with('[') {
        let mut head = line;
        for c in ['#', ';'] {
            head = rstrip(head.split(c).next().unwrap_or(""));
        }
        if head.len() >= 2 && head.ends_with(']') {
            return IniLine::Section(&head[1..head.len() - 1]);
        }
        return IniLine::Continuation(strip(line));
    }
    if line.starts_with(is_space) {
        return IniLine::Continuation(strip(line));
    }
    let split = match line.split_once('=') {
        Some((name, value)) if !name.contains(':') => Some((name, value)),
        _ => line.split_once(':'),
    };
    match split {
        Some((name, value)) => IniLine::Key(strip(name), strip(value)),
        None => IniLine::Unexpected(line),
    }
}

fn parse_line(raw: &str) -> Result<Option<Line>, String> {
    Ok(Some(match classify(raw) {
        IniLine::Blank => return Ok(None),
        IniLine::Section(name) => Line::Section(name.to_owned()),
        IniLine::Key(key, value) => Line::Value(key.to_owned(), value.to_owned()),
        IniLine::Continuation(data) => Line::Continuation(data.to_owned()),
        IniLine::Unexpected(line) => return Err(format!("unexpected line: {}", str_repr(line))),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<IniDoc, ConfigError> {
        parse(Path::new("tox.ini"), text)
    }

    fn value(doc: &IniDoc, section: &str, key: &str) -> String {
        let s = doc.section(section).unwrap();
        s.entries
            .iter()
            .find(|e| e.key == key)
            .unwrap()
            .value
            .clone()
    }

    #[test]
    fn continuation_lines_and_comments() {
        let doc = p("# top\n[pytest]\ntestpaths =\n    tests\n  # skipped comment\n\n    integration\naddopts = -v # kept\nmarkers: slow: x\n").unwrap();
        assert_eq!(value(&doc, "pytest", "testpaths"), "tests\nintegration");
        assert_eq!(value(&doc, "pytest", "addopts"), "-v # kept");
        assert_eq!(value(&doc, "pytest", "markers"), "slow: x");
        assert_eq!(doc.section("pytest").unwrap().entries[0].line, 3);
    }

    #[test]
    fn section_headers_drop_comments_and_colon_keys_win_over_equals() {
        let doc = p("[tool:pytest] ; comment\nurl: http://x=y\n").unwrap();
        assert_eq!(value(&doc, "tool:pytest", "url"), "http://x=y");
    }

    #[test]
    fn errors_name_the_line() {
        let e = p("[a]\nx = 1\n[a]\n").unwrap_err();
        assert_eq!(e.line(), Some(3));
        assert!(e.to_string().contains("duplicate section 'a'"), "{e}");
        let e = p("[a]\nx = 1\nx = 2\n").unwrap_err();
        assert!(e.to_string().contains("duplicate name 'x'"));
        assert!(p("x = 1\n")
            .unwrap_err()
            .to_string()
            .contains("no section header defined"));
        assert!(p("  cont\n")
            .unwrap_err()
            .to_string()
            .contains("unexpected value continuation"));
        assert!(p("[a]\n  cont\n")
            .unwrap_err()
            .to_string()
            .contains("unexpected value continuation"));
        assert!(p("[]\n")
            .unwrap_err()
            .to_string()
            .contains("empty section name"));
        let e = p("[a]\njunk\n").unwrap_err();
        assert_eq!(e.to_string(), "tox.ini:2: unexpected line: 'junk'; pytest's ini parser (iniconfig) rejects this, fix or remove the line");
    }

    #[test]
    fn line_errors_win_over_earlier_structure_errors() {
        // iniconfig tokenizes the whole file before checking for sections and duplicates.
        let e = p("x = 1\n[a]\njunk\n").unwrap_err();
        assert_eq!(e.line(), Some(3));
    }

    #[test]
    fn bom_and_crlf_and_odd_brackets() {
        let doc = p("\u{feff}[pytest]\r\nx = 1\r\n").unwrap();
        assert_eq!(value(&doc, "pytest", "x"), "1");
        // "[" without "]" is a continuation line, not a section.
        let doc = p("[a]\nx = 1\n[b\n").unwrap();
        assert_eq!(value(&doc, "a", "x"), "1\n[b");
        let doc = p("[a]\nx =\n").unwrap();
        assert_eq!(value(&doc, "a", "x"), "");
    }
}
