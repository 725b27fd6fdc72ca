//! The marker registrations written in pytest config files, with their lines: in the file pytest
//! reads and in the ones it does not. Read here rather than through `fanout-config` because
//! `check` also needs the places pytest ignores, and the exact lines to edit.

use std::path::Path;

/// The config file names pytest looks for in a directory, in its order of precedence.
pub const CONFIG_NAMES: [&str; 7] = [
    "pytest.toml",
    ".pytest.toml",
    "pytest.ini",
    ".pytest.ini",
    "pyproject.toml",
    "tox.ini",
    "setup.cfg",
];

/// One marker line: `group(id): description` registers `group`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerEntry {
    pub name: String,
    /// 1-based.
    pub line: u32,
}

/// The `markers` of one section or table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionMarkers {
    /// `pytest`, `tool:pytest`, `tool.pytest` or `tool.pytest.ini_options`.
    pub section: String,
    /// 1-based line of the `markers` key.
    pub line: u32,
    pub entries: Vec<MarkerEntry>,
}

/// pytest's marker name of a `markers` line (`_iter_registered_markers`).
pub fn marker_name(line: &str) -> String {
    let signature = line.split(':').next().unwrap_or("");
    signature.split('(').next().unwrap_or("").trim().to_owned()
}

pub fn is_toml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "toml")
}

/// The section or table pytest reads when `path` is its config file.
pub fn section_read(path: &Path, text: &str) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if !is_toml(path) {
        return if path.extension().is_some_and(|e| e == "cfg") {
            "tool:pytest"
        } else {
            "pytest"
        };
    }
    if name == "pytest.toml" || name == ".pytest.toml" {
        return "pytest";
    }
    let doc = toml_edit::Document::parse(text.to_owned()).ok();
    let tool_pytest = doc
        .as_ref()
        .and_then(|d| d.get("tool"))
        .and_then(|t| t.get("pytest"))
        .and_then(toml_edit::Item::as_table_like);
    match tool_pytest {
        Some(t) if t.iter().any(|(k, _)| k != "ini_options") => "tool.pytest",
        Some(_) => "tool.pytest.ini_options",
        None if name != "pyproject.toml"
            && doc.as_ref().is_some_and(|d| d.contains_key("pytest")) =>
        {
            "pytest"
        }
        None => "tool.pytest.ini_options",
    }
}

/// Every section of `text` that could hold pytest's `markers`, with the markers in it.
pub fn markers_in(path: &Path, text: &str) -> Vec<SectionMarkers> {
    if is_toml(path) {
        toml_markers(text)
    } else {
        ini_markers(text)
    }
}

fn line_of(text: &str, offset: usize) -> u32 {
    let before = text.get(..offset).unwrap_or(text);
    let breaks = fanout_pytest::source::line_starts(before.as_bytes()).count();
    u32::try_from(breaks + 1).unwrap_or(u32::MAX)
}

fn toml_markers(text: &str) -> Vec<SectionMarkers> {
    let Ok(doc) = toml_edit::Document::parse(text.to_owned()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let tables: [(&str, &[&str]); 3] = [
        ("pytest", &["pytest"]),
        ("tool.pytest", &["tool", "pytest"]),
        (
            "tool.pytest.ini_options",
            &["tool", "pytest", "ini_options"],
        ),
    ];
    for (section, keys) in tables {
        let mut item = doc.as_item();
        for key in keys {
            match item.get(key) {
                Some(next) => item = next,
                None => {
                    item = &toml_edit::Item::None;
                    break;
                }
            }
        }
        let Some((key, value)) = item
            .as_table_like()
            .and_then(|t| t.get_key_value("markers"))
        else {
            continue;
        };
        let key_line = key.span().map_or(1, |s| line_of(text, s.start));
        let mut entries = Vec::new();
        match value.as_value() {
            Some(toml_edit::Value::Array(items)) => {
                for v in items {
                    if let Some(s) = v.as_str() {
                        let line = v.span().map_or(key_line, |s| line_of(text, s.start));
                        entries.push(MarkerEntry {
                            name: marker_name(s),
                            line,
                        });
                    }
                }
            }
            Some(toml_edit::Value::String(s)) => {
                for l in s.value().split('\n').filter(|l| !l.trim().is_empty()) {
                    entries.push(MarkerEntry {
                        name: marker_name(l),
                        line: key_line,
                    });
                }
            }
            _ => {}
        }
        out.push(SectionMarkers {
            section: section.to_owned(),
            line: key_line,
            entries,
        });
    }
    out
}

pub(crate) use fanout_config::ini::{classify as ini_line, IniLine};

fn ini_markers(text: &str) -> Vec<SectionMarkers> {
    let mut out: Vec<SectionMarkers> = Vec::new();
    let mut section: Option<&str> = None;
    let mut in_markers = false;
    for (i, raw) in text.split('\n').enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        match ini_line(raw) {
            IniLine::Blank => {}
            IniLine::Section(name) => {
                section = Some(name);
                in_markers = false;
            }
            IniLine::Key(key, value) => {
                in_markers = false;
                let Some(name) = section.filter(|s| *s == "pytest" || *s == "tool:pytest") else {
                    continue;
                };
                if key == "markers" {
                    in_markers = true;
                    let mut entries = Vec::new();
                    if !value.is_empty() {
                        entries.push(MarkerEntry {
                            name: marker_name(value),
                            line,
                        });
                    }
                    out.push(SectionMarkers {
                        section: name.to_owned(),
                        line,
                        entries,
                    });
                }
            }
            IniLine::Continuation(value) | IniLine::Unexpected(value) => {
                if let (true, Some(current)) = (in_markers, out.last_mut()) {
                    current.entries.push(MarkerEntry {
                        name: marker_name(value),
                        line,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &SectionMarkers) -> Vec<(&str, u32)> {
        s.entries
            .iter()
            .map(|e| (e.name.as_str(), e.line))
            .collect()
    }

    #[test]
    fn ini_multi_line_values_with_comments() {
        let text = "[pytest]\naddopts = -v\nmarkers =\n    group(id): x\n    # not this\n\n    slow: y\nother = 1\n[tool:pytest]\nmarkers = a\n";
        let found = markers_in(Path::new("tox.ini"), text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].section, "pytest");
        assert_eq!(names(&found[0]), [("group", 4), ("slow", 7)]);
        assert_eq!(found[1].section, "tool:pytest");
        assert_eq!(names(&found[1]), [("a", 10)]);
    }

    #[test]
    fn toml_arrays_strings_and_both_pyproject_tables() {
        let text = "[tool.pytest.ini_options]\nmarkers = [\n  \"group(id): x\",\n  \"slow\",\n]\n[tool.pytest]\nmarkers = \"a: b\\nc\"\n";
        let found = markers_in(Path::new("pyproject.toml"), text);
        assert_eq!(found[0].section, "tool.pytest");
        assert_eq!(names(&found[0]), [("a", 7), ("c", 7)]);
        assert_eq!(found[1].section, "tool.pytest.ini_options");
        assert_eq!(names(&found[1]), [("group", 3), ("slow", 4)]);
    }

    #[test]
    fn section_pytest_reads() {
        let p = Path::new;
        assert_eq!(section_read(p("setup.cfg"), ""), "tool:pytest");
        assert_eq!(section_read(p("tox.ini"), ""), "pytest");
        assert_eq!(section_read(p("pytest.toml"), ""), "pytest");
        assert_eq!(
            section_read(p("pyproject.toml"), "[tool.pytest]\nminversion = \"9\"\n"),
            "tool.pytest"
        );
        assert_eq!(
            section_read(p("pyproject.toml"), "[project]\nname = \"x\"\n"),
            "tool.pytest.ini_options"
        );
        assert_eq!(marker_name(" runner(labels): x: y"), "runner");
    }
}
