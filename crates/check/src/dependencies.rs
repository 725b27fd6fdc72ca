//! The dependency declarations of a project, as text [`crate::plugins::in_dependencies`] reads:
//! requirements files, pyproject (PEP 621 dependencies and extras, PEP 735 groups, Poetry),
//! tox `deps` and setup.cfg `install_requires` / `extras_require`.

use crate::config_files::{ini_line, IniLine};
use std::path::{Path, PathBuf};

/// The requirements files fanout reads in `dir`: `*requirements*.txt` and `requirements/*.txt`.
pub fn requirement_files(dir: &Path) -> Vec<PathBuf> {
    let list = |d: &Path| -> Vec<PathBuf> {
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
    let mut files: Vec<PathBuf> = list(dir)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.contains("requirements"))
        })
        .collect();
    files.extend(list(&dir.join("requirements")));
    files.sort();
    files
}

/// The dependency text of `pyproject.toml`: PEP 621 and PEP 735 arrays and Poetry tables.
pub fn pyproject(text: &str) -> String {
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

/// The values of `keys` in the sections `in_section` accepts, continuation lines included.
fn ini_values(text: &str, in_section: impl Fn(&str) -> bool, keys: &[&str]) -> String {
    let mut out = Vec::new();
    let mut section_ok = false;
    let mut in_value = false;
    for raw in text.lines() {
        match ini_line(raw) {
            IniLine::Section(name) => {
                section_ok = in_section(name);
                in_value = false;
            }
            IniLine::Key(key, value) => {
                in_value = section_ok && keys.contains(&key);
                if in_value {
                    out.push(value.to_owned());
                }
            }
            IniLine::Continuation(value) if in_value => out.push(value.to_owned()),
            _ => {}
        }
    }
    out.join("\n")
}

/// The `deps` values of every tox environment.
pub fn tox(text: &str) -> String {
    ini_values(text, |_| true, &["deps"])
}

/// `install_requires` in `[options]` and every extra of `[options.extras_require]` (whose keys
/// are the extras' names, so every key counts there).
pub fn setup_cfg(text: &str) -> String {
    let mut out = ini_values(text, |s| s == "options", &["install_requires"]);
    let mut in_extras = false;
    for raw in text.lines() {
        match ini_line(raw) {
            IniLine::Section(name) => in_extras = name == "options.extras_require",
            IniLine::Key(_, value) | IniLine::Continuation(value) if in_extras => {
                out.push('\n');
                out.push_str(value);
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyproject_declaration_styles() {
        let text = r#"
[project]
dependencies = ["a-runtime"]
[project.optional-dependencies]
test = ["b-extra>=1"]
[dependency-groups]
it = ["c-group", {include-group = "test"}]
[tool.poetry.dependencies]
d-poetry = "*"
[tool.poetry.dev-dependencies]
e-poetry-dev = "*"
[tool.poetry.group.integration.dependencies]
f-poetry-group = { version = "^1" }
"#;
        let got = pyproject(text);
        let lines: Vec<&str> = got.lines().collect();
        assert_eq!(
            lines,
            [
                "a-runtime",
                "b-extra>=1",
                "c-group",
                "d-poetry",
                "e-poetry-dev",
                "f-poetry-group"
            ]
        );
        assert_eq!(pyproject("not [toml"), "");
    }

    #[test]
    fn tox_deps_of_every_environment() {
        let text = "[tox]\nenvlist = py3\n[testenv]\ndeps = a\n[testenv:it]\ndeps =\n    b\n    -r requirements.txt\ncommands = pytest c\n";
        assert_eq!(tox(text), "a\n\nb\n-r requirements.txt");
    }

    #[test]
    fn setup_cfg_install_and_extras() {
        let text = "[metadata]\nname = x\n[options]\npackages = find:\ninstall_requires =\n    a\n    b>=2\n[options.extras_require]\ntest = c\nit =\n    d\n[flake8]\nrequires = not-this\n";
        assert_eq!(setup_cfg(text), "\na\nb>=2\nc\n\nd");
    }

    #[test]
    fn requirements_file_names() {
        let dir = tempfile::tempdir().expect("a temp dir");
        for name in [
            "requirements.txt",
            "dev-requirements.txt",
            "requirements/it.txt",
            "notes.txt",
        ] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            std::fs::write(path, "x\n").expect("write");
        }
        let names: Vec<String> = requirement_files(dir.path())
            .iter()
            .map(|p| crate::relative(p, dir.path()))
            .collect();
        assert_eq!(
            names,
            [
                "dev-requirements.txt",
                "requirements/it.txt",
                "requirements.txt"
            ]
        );
    }
}
