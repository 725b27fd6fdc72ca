//! Whether a project uses a plugin of [`plugin_table::KNOWN`]: named in its dependency
//! declarations ([`crate::dependencies`]), in `pytest_plugins` of a conftest, or by `-p`.

pub use crate::plugin_table::{owner_of, Plugin, KNOWN};

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
        .filter(|p| {
            p.package
                .is_some_and(|package| lines.iter().any(|l| mentions(l, package)))
        })
        .collect()
}

/// The plugin a `pytest_plugins` entry loads: one of its modules, or a module inside one.
pub fn by_module(module: &str) -> Option<&'static Plugin> {
    KNOWN.iter().find(|p| {
        p.modules.iter().any(|m| {
            module == *m
                || module
                    .strip_prefix(m)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    })
}

/// The plugin `-p NAME` loads: by entry-point name or by module.
pub fn by_plugin_arg(name: &str) -> Option<&'static Plugin> {
    KNOWN
        .iter()
        .find(|p| p.entry_point == name)
        .or_else(|| by_module(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packages(text: &str) -> Vec<&'static str> {
        in_dependencies(text).iter().map(|p| p.name()).collect()
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
        assert_eq!(packages("anyio[trio]>=4\n"), ["anyio"]);
        assert!(packages("# pytest-operator\npytest-operatorx\n").is_empty());
        assert!(packages("hypothesis-jsonschema\npytester\n").is_empty());
    }

    #[test]
    fn plugin_modules_and_names() {
        let name = |p: Option<&'static Plugin>| p.map(Plugin::name);
        assert_eq!(
            name(by_module("pytest_operator.plugin")),
            Some("pytest-operator")
        );
        assert_eq!(name(by_module("pytest_asyncio")), Some("pytest-asyncio"));
        assert_eq!(name(by_module("pytester")), Some("pytester"));
        assert!(by_module("pytest_operatorx").is_none());
        assert_eq!(name(by_plugin_arg("asyncio")), Some("pytest-asyncio"));
        assert_eq!(name(by_plugin_arg("xdist.plugin")), Some("pytest-xdist"));
        assert_eq!(name(by_plugin_arg("pytester")), Some("pytester"));
        assert!(by_plugin_arg("no_such_plugin").is_none());
    }
}
