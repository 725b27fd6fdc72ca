//! Used marks that are not registered: one diagnostic per marker name, at its first use, with
//! how often it is used; and the markers `--fix` may register.

use crate::plugins::{self, Plugin};
use crate::registration::{FileUses, Registry};
use crate::CheckInput;
use fanout_core::{Code, Diagnostic, Severity};
use fanout_pytest::MarkUse;
use std::collections::{BTreeMap, BTreeSet};
use strsim::levenshtein as distance;

/// Misspellings pytest rejects even without strict markers.
const PARAMETRIZE_TYPOS: [&str; 3] = ["parameterize", "parametrise", "parameterise"];

/// Markers fanout itself relies on: `unregistered-marker` rather than `unknown-marker`.
const FANOUT_MARKERS: [&str; 2] = ["group", "runner"];

/// The closest known name, when `name` looks like a misspelling of it.
pub fn suggestion<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = match name.chars().count() {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    };
    known
        .filter(|k| *k != name)
        .map(|k| (distance(name, k), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

/// Every use of one unregistered name: the first (by path, then position) and how many.
struct Uses<'f> {
    rel: &'f str,
    first: &'f MarkUse,
    count: usize,
    files: BTreeSet<&'f str>,
}

/// Unknown marks, and the markers `--fix` should register.
pub fn check(
    input: &CheckInput<'_>,
    registry: &Registry,
    files: &[FileUses],
) -> (Vec<Diagnostic>, Vec<String>) {
    let mut by_name: BTreeMap<&str, Uses<'_>> = BTreeMap::new();
    let mut ordered: Vec<&FileUses> = files.iter().collect();
    ordered.sort_by(|a, b| a.rel.cmp(&b.rel));
    for file in ordered {
        for u in file.uses.iter().filter(|u| !u.via_alias) {
            if registry.knows(&u.name) {
                continue;
            }
            let entry = by_name.entry(u.name.as_str()).or_insert(Uses {
                rel: &file.rel,
                first: u,
                count: 0,
                files: BTreeSet::new(),
            });
            let earlier = (u.line, u.column) < (entry.first.line, entry.first.column);
            if entry.rel == file.rel && earlier {
                entry.first = u;
            }
            entry.count += 1;
            entry.files.insert(&file.rel);
        }
    }
    let candidates: Vec<&str> = registry
        .registered
        .keys()
        .map(String::as_str)
        .chain(FANOUT_MARKERS)
        .collect();
    let fix_target = crate::fix::target_name(input.config);
    let mut diagnostics = Vec::new();
    let mut missing = Vec::new();
    for (name, uses) in by_name {
        let typo = PARAMETRIZE_TYPOS.contains(&name);
        let near = if typo {
            Some("parametrize")
        } else {
            suggestion(name, candidates.iter().copied())
        };
        let fanout_marker = FANOUT_MARKERS.contains(&name);
        let plugin = plugins::owner_of(name);
        let (code, mut message) = if fanout_marker {
            let place = match (&registry.inifile, registry.section) {
                (Some(f), Some(s)) => format!("in [{s}] of {f}, the file pytest reads"),
                _ => "anywhere pytest reads (there is no pytest config file)".to_owned(),
            };
            (
                Code::UnregisteredMarker,
                format!("the `{name}` marker is not registered {place}"),
            )
        } else {
            (
                Code::UnknownMarker,
                format!("`{name}` is not a registered marker"),
            )
        };
        message.push_str(&how_often(&uses));
        if let Some(near) = near.filter(|_| plugin.is_none()) {
            message.push_str(&format!("; did you mean `{near}`?"));
        }
        let mut hints = Vec::new();
        if let Some(note) = registry.ignored_note(name) {
            hints.push(note);
        }
        if typo {
            hints.push("pytest fails on this misspelling even without strict markers".to_owned());
        } else if registry.strict {
            hints.push("strict markers are on: pytest stops the whole run on this".to_owned());
        } else {
            hints.push(
                "pytest only warns about it; with --strict-markers the run would stop".to_owned(),
            );
        }
        if let Some(plugin) = plugin {
            hints.push(plugin_hint(name, plugin, registry));
        } else if near.is_some() {
            hints.push("fix the name".to_owned());
        } else {
            missing.push(name.to_owned());
            hints.push(format!(
                "run `fanout check --fix` to register it in {fix_target}, or list it in `known-markers` in [tool.fanout] if a plugin registers it"
            ));
        }
        let mut d = Diagnostic::error(code, uses.rel, message)
            .at(uses.first.line, uses.first.column)
            .with_source_line(&uses.first.source_line)
            .with_hint(hints.join("; "));
        d.severity = if typo || registry.strict {
            Severity::Error
        } else {
            Severity::Warning
        };
        diagnostics.push(d);
    }
    (diagnostics, missing)
}

/// ` (used 3 times in 2 files; this is the first)`, or nothing for a single use.
fn how_often(uses: &Uses<'_>) -> String {
    match (uses.count, uses.files.len()) {
        (1, _) => String::new(),
        (n, 1) => format!(" (used {n} times in this file; this is the first)"),
        (n, f) => format!(" (used {n} times in {f} files; this is the first)"),
    }
}

/// What to do about a marker a known plugin registers but the project does not load. Never a
/// registration in the config file: that would hide the missing plugin until the tests run.
fn plugin_hint(name: &str, plugin: &Plugin, registry: &Registry) -> String {
    if registry.disabled_plugins.contains(&plugin) {
        return format!(
            "`{name}` is registered by the {} plugin, which `-p no:` turns off in addopts: load it, or remove the mark",
            plugin.name()
        );
    }
    let declare = match plugin.package {
        Some(package) => format!("declare `{package}` as a test dependency (requirements, pyproject, tox `deps` or setup.cfg), or "),
        None => String::new(),
    };
    format!(
        "`{name}` is registered by the {} plugin, which this project does not load: {declare}add `-p {}` to addopts or `pytest_plugins = [\"{}\"]` to the root conftest.py",
        plugin.name(),
        plugin.entry_point,
        plugin.modules[0],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_for_near_misses_only() {
        let known = ["group", "runner", "skipif", "asyncio"];
        assert_eq!(suggestion("gruop", known.iter().copied()), Some("group"));
        assert_eq!(suggestion("runer", known.iter().copied()), Some("runner"));
        assert_eq!(suggestion("juju3", known.iter().copied()), None);
        assert_eq!(suggestion("group", known.iter().copied()), None);
        assert_eq!(suggestion("ab", ["xy"].iter().copied()), None);
    }
}
