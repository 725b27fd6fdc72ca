//! Which known plugins a project loads: declared as dependencies (so installed, and loaded by
//! their `pytest11` entry point), named in `pytest_plugins` of a conftest, or by `-p` in
//! addopts; minus those `-p no:NAME` turns off.

use crate::plugins::{self, Plugin};
use crate::{dependencies, relative, CheckInput};
use std::path::Path;

#[derive(Debug, Default)]
pub struct PluginsFound {
    /// Each plugin with where the project asks for it.
    pub used: Vec<(&'static Plugin, String)>,
    /// Plugins `-p no:NAME` turns off, used or not.
    pub disabled: Vec<&'static Plugin>,
}

/// `conftest_plugins`: each `pytest_plugins` module with the conftest naming it.
pub fn find(input: &CheckInput<'_>, conftest_plugins: &[(String, String)]) -> PluginsFound {
    let rootdir = &input.config.rootdir;
    let mut used: Vec<(&'static Plugin, String)> = Vec::new();
    for (module, rel) in conftest_plugins {
        if let Some(p) = plugins::by_module(module) {
            used.push((p, format!("`pytest_plugins` in {rel}")));
        }
    }
    for name in &input.config.ini.plugins {
        if let Some(p) = plugins::by_plugin_arg(name) {
            used.push((p, format!("`-p {name}` in addopts")));
        }
    }
    for (path, text) in declarations(rootdir) {
        for p in plugins::in_dependencies(&text) {
            used.push((p, relative(&path, rootdir)));
        }
    }
    let disabled: Vec<&'static Plugin> = plugins::KNOWN
        .iter()
        .filter(|p| {
            input
                .config
                .ini
                .disabled_plugins
                .iter()
                .any(|d| turns_off(d, p))
        })
        .collect();
    used.retain(|(p, _)| !disabled.contains(p));
    PluginsFound { used, disabled }
}

/// `-p no:NAME` blocks NAME and `pytest_NAME` (pytest's `consider_pluginarg`); entry-point
/// plugins are registered under their entry-point name, `pytest_plugins` ones under the module.
fn turns_off(name: &str, plugin: &Plugin) -> bool {
    let prefixed = format!("pytest_{name}");
    [name, prefixed.as_str()]
        .iter()
        .any(|n| plugin.entry_point == *n || plugin.modules.contains(n))
}

/// Reads the dependency text out of one kind of file.
type DependencyReader = fn(&str) -> String;

/// Every file of the rootdir that declares dependencies, with its dependency text.
fn declarations(rootdir: &Path) -> Vec<(std::path::PathBuf, String)> {
    let mut out: Vec<(std::path::PathBuf, String)> = dependencies::requirement_files(rootdir)
        .into_iter()
        .filter_map(|p| crate::read_text(&p).map(|t| (p, t)))
        .collect();
    let parsers: [(&str, DependencyReader); 3] = [
        ("pyproject.toml", dependencies::pyproject),
        ("tox.ini", dependencies::tox),
        ("setup.cfg", dependencies::setup_cfg),
    ];
    for (name, parse) in parsers {
        let path = rootdir.join(name);
        if let Some(text) = crate::read_text(&path) {
            out.push((path, parse(&text)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_name_blocks_the_entry_point_and_pytest_prefix() {
        let asyncio = plugins::by_plugin_arg("asyncio").expect("in the table");
        assert!(turns_off("asyncio", asyncio));
        assert!(!turns_off("pytest_asyncio.plugin_x", asyncio));
        let timeout = plugins::by_plugin_arg("timeout").expect("in the table");
        assert!(turns_off("timeout", timeout));
        assert!(turns_off("pytest_timeout", timeout));
        let pytester = plugins::by_plugin_arg("pytester").expect("in the table");
        assert!(turns_off("pytester", pytester));
    }
}
