//! pytest plugins that register markers, and finding out whether a project uses them: in its
//! requirements files, tox `deps`, pyproject dependencies, `pytest_plugins` or `-p` in addopts.

use std::path::Path;

/// A plugin fanout knows the markers of.
#[derive(Debug, PartialEq, Eq)]
pub struct Plugin {
    /// Distribution name, normalized (PEP 503).
    pub package: &'static str,
    /// The module pytest loads (`-p` and `pytest_plugins` name it).
    pub module: &'static str,
    pub markers: &'static [&'static str],
}

/// Checked against each plugin's own `pytest_configure`.
pub const KNOWN: &[Plugin] = &[
    Plugin {
        package: "pytest-operator",
        module: "pytest_operator",
        markers: &["abort_on_fail", "skip_if_deployed"],
    },
    Plugin {
        package: "pytest-asyncio",
        module: "pytest_asyncio",
        markers: &["asyncio"],
    },
    Plugin {
        // canonical/data-platform-workflows; registers `runner` since v13 or so, `group` since v1.
        package: "pytest-operator-groups",
        module: "pytest_operator_groups",
        markers: &["group", "runner"],
    },
    Plugin {
        package: "pytest-timeout",
        module: "pytest_timeout",
        markers: &["timeout"],
    },
    Plugin {
        package: "pytest-rerunfailures",
        module: "pytest_rerunfailures",
        markers: &["flaky"],
    },
    Plugin {
        package: "pytest-xdist",
        module: "xdist",
        markers: &["xdist_group"],
    },
    Plugin {
        package: "pytest-order",
        module: "pytest_order",
        markers: &["order"],
    },
];

/// PEP 503 normalization, applied to a whole line so names inside URLs match too.
fn normalize(text: &str) -> String {
    text.to_lowercase().replace(['_', '.'], "-")
}

/// Whether `name` occurs in `text` as a whole name (not `pytest-operator` in
/// `pytest-operator-groups`).
fn mentions(text: &str, name: &str) -> bool {
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '-';
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(is_name_char) && !after.is_some_and(is_name_char)
    })
}

/// The known plugins named in dependency text (requirements lines, tox deps, dependency arrays).
pub fn in_dependencies(text: &str) -> Vec<&'static Plugin> {
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.split(" #").next().unwrap_or(""))
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(normalize)
        .collect();
    KNOWN
        .iter()
        .filter(|p| lines.iter().any(|l| mentions(l, p.package)))
        .collect()
}

/// The plugin a module name loads (`pytest_operator` or `pytest_operator.plugin`).
pub fn by_module(module: &str) -> Option<&'static Plugin> {
    KNOWN.iter().find(|p| {
        module == p.module
            || module
                .strip_prefix(p.module)
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// The dependency text of `pyproject.toml`: PEP 621 and PEP 735 arrays and Poetry tables.
pub fn pyproject_dependencies(text: &str) -> String {
    let Ok(doc) = text.parse::<toml_edit::DocumentMut>() else {
        return String::new();
    };
    let mut out = Vec::new();
    let push_array = |item: Option<&toml_edit::Item>, out: &mut Vec<String>| {
        if let Some(arr) = item.and_then(toml_edit::Item::as_array) {
            out.extend(arr.iter().filter_map(|v| v.as_str().map(str::to_owned)));
        }
    };
    let project = doc.get("project");
    push_array(project.and_then(|p| p.get("dependencies")), &mut out);
    for table in [
        project.and_then(|p| p.get("optional-dependencies")),
        doc.get("dependency-groups"),
    ]
    .into_iter()
    .flatten()
    {
        if let Some(t) = table.as_table_like() {
            for (_, v) in t.iter() {
                push_array(Some(v), &mut out);
            }
        }
    }
    let poetry = doc.get("tool").and_then(|t| t.get("poetry"));
    let mut poetry_tables: Vec<&toml_edit::Item> = ["dependencies", "dev-dependencies"]
        .iter()
        .filter_map(|k| poetry.and_then(|p| p.get(k)))
        .collect();
    if let Some(groups) = poetry
        .and_then(|p| p.get("group"))
        .and_then(toml_edit::Item::as_table_like)
    {
        poetry_tables.extend(groups.iter().filter_map(|(_, g)| g.get("dependencies")));
    }
    for table in poetry_tables {
        if let Some(t) = table.as_table_like() {
            out.extend(t.iter().map(|(k, _)| k.to_owned()));
        }
    }
    out.join("\n")
}

/// The `deps` values of every tox environment.
pub fn tox_deps(text: &str) -> String {
    use crate::config_files::{ini_line, IniLine};
    let mut out = Vec::new();
    let mut in_deps = false;
    for raw in text.lines() {
        match ini_line(raw) {
            IniLine::Key(key, value) => {
                in_deps = key == "deps";
                if in_deps {
                    out.push(value.to_owned());
                }
            }
            IniLine::Continuation(value) if in_deps => out.push(value.to_owned()),
            IniLine::Section(_) => in_deps = false,
            _ => {}
        }
    }
    out.join("\n")
}

/// The requirements files fanout reads in `dir`: `*requirements*.txt` and `requirements/*.txt`.
pub fn requirement_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let list = |d: &Path| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(d)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "txt") && p.is_file())
                    .collect()
            })
            .unwrap_or_default()
    };
    files.extend(list(dir).into_iter().filter(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.contains("requirements"))
    }));
    files.extend(list(&dir.join("requirements")));
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packages(text: &str) -> Vec<&'static str> {
        in_dependencies(text).iter().map(|p| p.package).collect()
    }

    #[test]
    fn names_in_requirements_and_urls() {
        assert_eq!(packages("pytest-operator==0.35\n"), ["pytest-operator"]);
        assert_eq!(
            packages("git+https://github.com/canonical/data-platform-workflows@v2#subdirectory=python/pytest_plugins/pytest_operator_groups\n"),
            ["pytest-operator-groups"]
        );
        assert_eq!(
            packages("Pytest_Asyncio>=0.21 ; python_version>'3'\n"),
            ["pytest-asyncio"]
        );
        assert!(packages("# pytest-operator\npytest-operatorx\n").is_empty());
    }

    #[test]
    fn plugin_modules() {
        assert_eq!(
            by_module("pytest_operator.plugin").map(|p| p.package),
            Some("pytest-operator")
        );
        assert!(by_module("pytest_operatorx").is_none());
    }

    #[test]
    fn pyproject_and_tox_dependencies() {
        let py = "[project]\ndependencies = [\"a\"]\n[dependency-groups]\nit = [\"pytest-operator\"]\n[tool.poetry.group.integration.dependencies]\npytest-asyncio = \"*\"\n";
        let deps = pyproject_dependencies(py);
        assert_eq!(packages(&deps), ["pytest-operator", "pytest-asyncio"]);
        let tox = "[testenv:integration]\ndeps =\n    pytest-operator-groups\n    juju\ncommands = pytest\n";
        assert_eq!(packages(&tox_deps(tox)), ["pytest-operator-groups"]);
    }
}
