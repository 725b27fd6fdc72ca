//! `--fix`: register the missing markers in the file pytest reads, and nothing else. TOML is
//! edited with `toml_edit` (comments, order and layout kept); ini files line by line.

use crate::config_files::{self, ini_line, IniLine};
use crate::relative;
use fanout_config::PytestConfig;

pub use fanout_core::files::FileEdit;

/// The file `--fix` writes, for messages.
pub fn target_name(config: &PytestConfig) -> String {
    match &config.inifile {
        Some(p) => relative(p, &config.rootdir),
        None => "a new pytest.ini in the rootdir".to_owned(),
    }
}

/// The line registering `name`: fanout's own markers get a description.
fn marker_line(name: &str) -> String {
    match name {
        "group" => {
            "group(id): run this test in the CI job of its (test file, group id); see fanout"
                .to_owned()
        }
        "runner" => {
            "runner(labels): the CI runner labels this test's group needs; see fanout".to_owned()
        }
        other => other.to_owned(),
    }
}

/// The edit that registers `missing`, or `None` when there is nothing to do.
pub fn plan(config: &PytestConfig, missing: &[String]) -> Result<Option<FileEdit>, String> {
    if missing.is_empty() {
        return Ok(None);
    }
    let lines: Vec<String> = missing.iter().map(|m| marker_line(m)).collect();
    let (path, before) = match &config.inifile {
        Some(p) => {
            let bytes = fanout_core::files::read(p).map_err(|e| {
                format!(
                    "{}: cannot read the config file to fix it: {e}; check that it is readable",
                    p.display()
                )
            })?;
            let text = String::from_utf8(bytes).map_err(|_| {
                format!(
                    "{}: not UTF-8, so fanout does not edit it; re-save it as UTF-8",
                    p.display()
                )
            })?;
            (p.clone(), Some(text))
        }
        None => (config.rootdir.join("pytest.ini"), None),
    };
    let text = before.as_deref().unwrap_or("");
    let after = if config_files::is_toml(&path) {
        let section = config_files::section_read(&path, text);
        add_toml(text, section, &lines).map_err(|e| format!("{}: {e}", path.display()))?
    } else {
        let section = config_files::section_read(&path, text);
        add_ini(text, section, &lines)
    };
    if before.as_deref() == Some(after.as_str()) {
        return Ok(None);
    }
    Ok(Some(FileEdit {
        rel: relative(&path, &config.rootdir),
        path,
        before,
        after,
    }))
}

fn line_ending(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// Adds `lines` to `markers` in `[section]`, creating the key or the section when missing.
pub fn add_ini(text: &str, section: &str, lines: &[String]) -> String {
    let eol = line_ending(text);
    let raw: Vec<&str> = text.split_inclusive('\n').collect();
    let header = raw
        .iter()
        .position(|l| matches!(ini_line(l), IniLine::Section(s) if s == section));
    let Some(header) = header else {
        let mut out = text.to_owned();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(eol);
        }
        if !out.trim().is_empty() {
            out.push_str(eol);
        }
        out.push_str(&format!("[{section}]{eol}markers ={eol}"));
        for l in lines {
            out.push_str(&format!("    {l}{eol}"));
        }
        return out;
    };
    let end = raw[header + 1..]
        .iter()
        .position(|l| matches!(ini_line(l), IniLine::Section(_)))
        .map_or(raw.len(), |i| header + 1 + i);
    let key = (header + 1..end)
        .find(|&i| matches!(ini_line(raw[i]), IniLine::Key(k, _) if k == "markers"));
    let (insert_at, indent, new_key) = match key {
        Some(k) => {
            let mut last = None;
            for (i, l) in raw.iter().enumerate().take(end).skip(k + 1) {
                match ini_line(l) {
                    IniLine::Blank => {}
                    IniLine::Continuation(_) => last = Some(i),
                    _ => break,
                }
            }
            let indent = last.map_or_else(
                || "    ".to_owned(),
                |i| {
                    raw[i]
                        .chars()
                        .take_while(|c| *c == ' ' || *c == '\t')
                        .collect()
                },
            );
            (last.unwrap_or(k) + 1, indent, false)
        }
        None => {
            let last = (header..end)
                .rev()
                .find(|&i| !matches!(ini_line(raw[i]), IniLine::Blank))
                .unwrap_or(header);
            (last + 1, "    ".to_owned(), true)
        }
    };
    let mut out = String::new();
    for l in &raw[..insert_at] {
        out.push_str(l);
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol);
    }
    if new_key {
        out.push_str(&format!("markers ={eol}"));
    }
    for l in lines {
        out.push_str(&format!("{indent}{l}{eol}"));
    }
    for l in &raw[insert_at..] {
        out.push_str(l);
    }
    out
}

/// Adds `lines` to the `markers` array of the table `section` (dotted), creating what is missing.
pub fn add_toml(text: &str, section: &str, lines: &[String]) -> Result<String, String> {
    use toml_edit::{Array, DocumentMut, Item, Table, Value};
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("invalid TOML, not edited: {e}"))?;
    let keys: Vec<&str> = section.split('.').collect();
    let mut table: &mut Table = doc.as_table_mut();
    for (i, key) in keys.iter().enumerate() {
        let last = i + 1 == keys.len();
        let entry = table.entry(key).or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(!last);
            Item::Table(t)
        });
        table = entry
            .as_table_mut()
            .ok_or_else(|| format!("`{}` is not a table; fix it by hand", keys[..=i].join(".")))?;
    }
    match table.get_mut("markers") {
        None => {
            let mut array = Array::new();
            for l in lines {
                let mut v = Value::from(l.as_str());
                v.decor_mut().set_prefix("\n    ");
                array.push_formatted(v);
            }
            array.set_trailing_comma(true);
            array.set_trailing("\n");
            table.insert("markers", Item::Value(Value::Array(array)));
        }
        Some(item) => match item.as_value_mut() {
            Some(Value::Array(array)) => {
                let (prefix, suffix) = match array.iter().last() {
                    Some(v) => (
                        v.decor()
                            .prefix()
                            .and_then(|p| p.as_str())
                            .unwrap_or(" ")
                            .to_owned(),
                        v.decor()
                            .suffix()
                            .and_then(|s| s.as_str())
                            .unwrap_or("")
                            .to_owned(),
                    ),
                    None => (String::new(), String::new()),
                };
                let count = array.len();
                // After a trailing comma, what follows it (a comment, the newline before `]`) is
                // the array's `trailing`: keep the comment on its line, start the new one below.
                let trailing = array.trailing().as_str().unwrap_or("").to_owned();
                let indent = prefix.rsplit('\n').next().unwrap_or("").to_owned();
                // The first element of a one-line array has no space before it; the others do.
                let prefix = if prefix.contains('\n') || !prefix.is_empty() {
                    prefix
                } else {
                    " ".to_owned()
                };
                let (first_prefix, new_trailing) = match trailing.rfind('\n') {
                    Some(i) if array.trailing_comma() => (
                        format!("{}{indent}", &trailing[..=i]),
                        format!("\n{}", &trailing[i + 1..]),
                    ),
                    _ if array.trailing_comma() => {
                        (format!("{trailing}{indent}"), trailing.clone())
                    }
                    _ => (prefix.clone(), trailing.clone()),
                };
                if let Some(last) = array.get_mut(count.wrapping_sub(1)) {
                    last.decor_mut().set_suffix("");
                }
                for (i, l) in lines.iter().enumerate() {
                    let mut v = Value::from(l.as_str());
                    let p = match (count, i) {
                        (0, 0) => "",
                        (_, 0) => first_prefix.as_str(),
                        _ => prefix.as_str(),
                    };
                    v.decor_mut().set_prefix(p);
                    if i + 1 == lines.len() {
                        v.decor_mut().set_suffix(suffix.as_str());
                    }
                    array.push_formatted(v);
                }
                array.set_trailing(new_trailing);
            }
            Some(Value::String(s)) => {
                let mut value = s.value().trim_end_matches('\n').to_owned();
                for l in lines {
                    value.push('\n');
                    value.push_str(l);
                }
                let decor = s.decor().clone();
                let mut v = toml_edit::Formatted::new(value);
                *v.decor_mut() = decor;
                *item = Item::Value(Value::String(v));
            }
            _ => {
                return Err(format!(
                    "`markers` in [{section}] is not a list of strings; fix it by hand"
                ))
            }
        },
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn ini_appends_to_existing_markers_keeping_indent_and_comments() {
        let text = "# top\n[pytest]\nmarkers =\n  slow: x  # kept\n  # a comment\n\naddopts = -v\n[other]\nk = v\n";
        let got = add_ini(text, "pytest", &lines(&["group", "juju3"]));
        assert_eq!(
            got,
            "# top\n[pytest]\nmarkers =\n  slow: x  # kept\n  group\n  juju3\n  # a comment\n\naddopts = -v\n[other]\nk = v\n"
        );
    }

    #[test]
    fn ini_adds_key_or_section_and_keeps_crlf() {
        let got = add_ini(
            "[tool:pytest]\r\naddopts = -v\r\n\r\n[flake8]\r\n",
            "tool:pytest",
            &lines(&["a"]),
        );
        assert_eq!(
            got,
            "[tool:pytest]\r\naddopts = -v\r\nmarkers =\r\n    a\r\n\r\n[flake8]\r\n"
        );
        let got = add_ini("[tox]\nenvlist = py3", "pytest", &lines(&["a"]));
        assert_eq!(got, "[tox]\nenvlist = py3\n\n[pytest]\nmarkers =\n    a\n");
        let got = add_ini("[pytest]\nmarkers = slow", "pytest", &lines(&["a"]));
        assert_eq!(got, "[pytest]\nmarkers = slow\n    a\n");
    }

    #[test]
    fn toml_appends_in_the_array_style_found() {
        let text = "[tool.pytest.ini_options]\n# c\nmarkers = [\n    \"slow: x\", # why\n]\n[tool.other]\n";
        let got = add_toml(text, "tool.pytest.ini_options", &lines(&["group"])).unwrap();
        assert_eq!(
            got,
            "[tool.pytest.ini_options]\n# c\nmarkers = [\n    \"slow: x\", # why\n    \"group\",\n]\n[tool.other]\n"
        );
        let got = add_toml(
            "[pytest]\nmarkers = [\"a\", \"b\"]\n",
            "pytest",
            &lines(&["c"]),
        )
        .unwrap();
        assert_eq!(got, "[pytest]\nmarkers = [\"a\", \"b\", \"c\"]\n");
        let got = add_toml(
            "[pytest]\nmarkers = [\n  \"a\"\n]\n",
            "pytest",
            &lines(&["c"]),
        )
        .unwrap();
        assert_eq!(got, "[pytest]\nmarkers = [\n  \"a\",\n  \"c\"\n]\n");
    }

    #[test]
    fn toml_creates_key_and_table() {
        let got = add_toml(
            "[project]\nname = \"x\"\n",
            "tool.pytest.ini_options",
            &lines(&["a"]),
        )
        .unwrap();
        assert_eq!(
            got,
            "[project]\nname = \"x\"\n\n[tool.pytest.ini_options]\nmarkers = [\n    \"a\",\n]\n"
        );
        let got = add_toml("[pytest]\naddopts = [\"-v\"]\n", "pytest", &lines(&["a"])).unwrap();
        assert_eq!(
            got,
            "[pytest]\naddopts = [\"-v\"]\nmarkers = [\n    \"a\",\n]\n"
        );
        assert!(add_toml("tool = 1\n", "tool.pytest", &lines(&["a"])).is_err());
    }
}
