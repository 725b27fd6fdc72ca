//! Which markers are registered where pytest looks, and which used marks are not.

use crate::config_files::{self, CONFIG_NAMES};
use crate::{conftest, plugin_use, plugins, read_text, relative, CheckInput};
use fanout_core::{Code, Diagnostic};
use fanout_pytest::MarkUse;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Registered by pytest itself (`pytest --markers` with no plugins, pytest 9.2).
pub const BUILTIN: [&str; 8] = [
    "filterwarnings",
    "parametrize",
    "skip",
    "skipif",
    "tryfirst",
    "trylast",
    "usefixtures",
    "xfail",
];

/// Markers registered in a place pytest does not read.
#[derive(Debug)]
pub struct Ignored {
    pub rel: String,
    pub section: String,
    pub line: u32,
    /// The text of that line, for the snippet.
    pub source_line: String,
    pub names: Vec<String>,
    pub reason: String,
    /// The section pytest would read in this file.
    pub readable_section: &'static str,
}

#[derive(Debug)]
pub struct Registry {
    /// Marker name to where it is registered.
    pub registered: BTreeMap<String, String>,
    pub ignored: Vec<Ignored>,
    /// The config file pytest reads, relative to the rootdir.
    pub inifile: Option<String>,
    pub section: Option<&'static str>,
    pub strict: bool,
    /// Known plugins `-p no:NAME` turns off.
    pub disabled_plugins: Vec<&'static plugins::Plugin>,
}

/// The test modules' marks, with the text they were read from.
pub struct FileUses {
    pub rel: String,
    pub text: String,
    pub uses: Vec<MarkUse>,
}

pub fn read_uses(files: &[(PathBuf, String)]) -> Vec<FileUses> {
    let read_all = || -> Vec<FileUses> {
        files
            .iter()
            .filter_map(|(abs, rel)| {
                // Unreadable and unparsable files are reported by collection.
                let text = fanout_core::files::read_to_string(abs).ok()?;
                let uses = fanout_pytest::mark_uses(&text)?;
                Some(FileUses {
                    rel: rel.clone(),
                    text,
                    uses,
                })
            })
            .collect()
    };
    // One big-stack thread for all files; without it, each parse starts its own.
    fanout_pytest::source::with_parse_stack(read_all).unwrap_or_else(read_all)
}

impl Registry {
    pub fn discover(input: &CheckInput<'_>) -> Registry {
        let rootdir = &input.config.rootdir;
        let mut registered: BTreeMap<String, String> = BUILTIN
            .iter()
            .map(|m| ((*m).to_owned(), "pytest itself".to_owned()))
            .collect();
        let inifile = input.config.inifile.as_deref();
        let inifile_rel = inifile.map(|p| relative(p, rootdir));
        let inifile_text = inifile.and_then(read_text);
        let section =
            inifile.map(|p| config_files::section_read(p, inifile_text.as_deref().unwrap_or("")));
        // The names pytest reads (fanout-config applies `-o` and pytest's typing).
        let lines: BTreeMap<String, u32> = match (inifile, &inifile_text) {
            (Some(p), Some(text)) => config_files::markers_in(p, text)
                .into_iter()
                .filter(|s| Some(s.section.as_str()) == section)
                .flat_map(|s| s.entries)
                .map(|e| (e.name, e.line))
                .collect(),
            _ => BTreeMap::new(),
        };
        for line in &input.config.ini.markers {
            let name = config_files::marker_name(line);
            let at = match (&inifile_rel, lines.get(&name)) {
                (Some(f), Some(l)) => format!("{f}:{l}"),
                (Some(f), None) => f.clone(),
                (None, _) => "-o markers".to_owned(),
            };
            registered.entry(name).or_insert(at);
        }
        for name in &input.settings.known_markers {
            registered
                .entry(name.clone())
                .or_insert_with(|| "`known-markers` in [tool.fanout]".to_owned());
        }
        let mut conftest_plugins: Vec<(String, String)> = Vec::new();
        for conftest in conftests(input) {
            let Some(facts) = read_text(&conftest).and_then(|t| conftest::read(&t)) else {
                continue;
            };
            let rel = relative(&conftest, rootdir);
            for (name, line) in facts.markers {
                registered.entry(name).or_insert(format!("{rel}:{line}"));
            }
            conftest_plugins.extend(facts.plugins.into_iter().map(|m| (m, rel.clone())));
        }
        let found = plugin_use::find(input, &conftest_plugins);
        for (plugin, source) in &found.used {
            for m in plugin.markers {
                registered
                    .entry((*m).to_owned())
                    .or_insert_with(|| format!("plugin {} ({source})", plugin.name()));
            }
        }
        let ignored = ignored_registrations(input, inifile, section);
        Registry {
            registered,
            ignored,
            inifile: inifile_rel,
            section,
            strict: input.config.ini.strict_markers,
            disabled_plugins: found.disabled,
        }
    }

    pub fn knows(&self, name: &str) -> bool {
        self.registered.contains_key(name)
    }

    /// One line per fact: the file pytest reads, strictness, and files it does not read.
    pub fn summary(&self) -> String {
        let mut lines = vec![match (&self.inifile, self.section) {
            (Some(f), Some(s)) => format!("pytest reads markers from {f} [{s}]"),
            _ => "pytest reads no config file here (no pytest.ini, pyproject.toml, tox.ini or setup.cfg with pytest settings)".to_owned(),
        }];
        lines.push(format!(
            "strict markers: {}",
            if self.strict {
                "on (an unregistered marker stops the run)"
            } else {
                "off (pytest only warns about unregistered markers)"
            }
        ));
        for i in &self.ignored {
            lines.push(format!("not read: {} [{}]: {}", i.rel, i.section, i.reason));
        }
        lines.join("\n")
    }

    pub fn ignored_diagnostics(&self) -> Vec<Diagnostic> {
        self.ignored
            .iter()
            .map(|i| {
                let names = i
                    .names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let target = match (&self.inifile, self.section) {
                    (Some(f), Some(s)) => format!("pytest reads {f} [{s}]: move them there"),
                    _ => format!(
                        "pytest reads no config file here: move them to [{}] of {}, a section pytest reads",
                        i.readable_section, i.rel
                    ),
                };
                Diagnostic::error(
                    Code::IgnoredMarkers,
                    &i.rel,
                    format!(
                        "markers registered here are not read ({names}): {}",
                        i.reason
                    ),
                )
                .at(i.line, 1)
                .with_source_line(&i.source_line)
                .with_hint(format!(
                    "{target} and delete them here (`fanout check --fix` registers the ones the tests use)"
                ))
            })
            .collect()
    }

    /// Why a marker registered in an ignored place does not count, if it is.
    pub(crate) fn ignored_note(&self, name: &str) -> Option<String> {
        self.ignored
            .iter()
            .find(|i| i.names.iter().any(|n| n == name))
            .map(|i| {
                format!(
                    "`{name}` is registered in {}:{}, but {}",
                    i.rel, i.line, i.reason
                )
            })
    }
}

/// `conftest.py` files pytest loads for these tests: in the rootdir and every directory from
/// there down to each test module.
fn conftests(input: &CheckInput<'_>) -> Vec<PathBuf> {
    let rootdir = &input.config.rootdir;
    let mut dirs: Vec<PathBuf> = vec![rootdir.clone()];
    for (abs, _) in input.test_files {
        for dir in abs.ancestors().skip(1) {
            if !dir.starts_with(rootdir) {
                break;
            }
            dirs.push(dir.to_path_buf());
        }
    }
    dirs.sort();
    dirs.dedup();
    dirs.into_iter()
        .map(|d| d.join("conftest.py"))
        .filter(|p| p.is_file())
        .collect()
}

/// The sections pytest can read in a file of this name.
fn sections_for(name: &str) -> &'static [&'static str] {
    match name {
        "pytest.toml" | ".pytest.toml" => &["pytest"],
        "pyproject.toml" => &["tool.pytest", "tool.pytest.ini_options"],
        "setup.cfg" => &["tool:pytest"],
        _ => &["pytest"],
    }
}

fn ignored_registrations(
    input: &CheckInput<'_>,
    inifile: Option<&Path>,
    section: Option<&'static str>,
) -> Vec<Ignored> {
    let rootdir = &input.config.rootdir;
    let mut dirs = vec![rootdir.clone()];
    if let Some(dir) = inifile.and_then(Path::parent) {
        dirs.insert(0, dir.to_path_buf());
    }
    dirs.dedup();
    let mut out = Vec::new();
    for dir in dirs {
        for name in CONFIG_NAMES {
            let path = dir.join(name);
            let Some(text) = read_text(&path) else {
                continue;
            };
            let rel = relative(&path, rootdir);
            for found in config_files::markers_in(&path, &text) {
                let is_read =
                    Some(path.as_path()) == inifile && Some(found.section.as_str()) == section;
                if is_read || found.entries.is_empty() {
                    continue;
                }
                let reason = if Some(path.as_path()) == inifile {
                    format!(
                        "pytest reads {rel} from [{}], so the markers in [{}] are not read",
                        section.unwrap_or("pytest"),
                        found.section
                    )
                } else if !sections_for(name).contains(&found.section.as_str()) {
                    format!(
                        "pytest reads {name} only from [{}], so the markers in [{}] are not read",
                        sections_for(name).join("] or ["),
                        found.section
                    )
                } else if let Some(ini) = inifile {
                    let ini_name = ini.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    if ini.parent() == Some(dir.as_path()) {
                        format!("{ini_name} exists, so the markers in {name} are not read")
                    } else {
                        format!(
                            "pytest reads {} (it finds that one first, walking up from the tests), so the markers in {rel} are not read",
                            relative(ini, rootdir)
                        )
                    }
                } else {
                    "pytest reads no config file for this run".to_owned()
                };
                let source_line = text
                    .lines()
                    .nth((found.line as usize).saturating_sub(1))
                    .unwrap_or_default()
                    .to_owned();
                out.push(Ignored {
                    rel: rel.clone(),
                    section: found.section,
                    line: found.line,
                    source_line,
                    names: found.entries.into_iter().map(|e| e.name).collect(),
                    reason,
                    readable_section: sections_for(name)[0],
                });
            }
        }
    }
    out
}
