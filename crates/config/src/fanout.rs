//! fanout's own settings: `[tool.fanout]` in `pyproject.toml`.

use std::path::{Path, PathBuf};

use fanout_core::matrix::UngroupedPolicy;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::de::DeTable;

use crate::error::{read_text, ConfigError, LineIndex, Location};
use crate::toml_doc;

/// `[tool.fanout]`; a missing table means all defaults.
/// Unknown keys are refused before deserialising (with their position); sub-tables that are not
/// settings are backend tables.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct FanoutSettings {
    pub ungrouped: UngroupedPolicy,
    pub known_markers: Vec<String>,
    pub max_jobs: Option<usize>,
    pub respect_gitignore: bool,
    /// Changed paths that never select anything (`--changed-since`), globs relative to the rootdir.
    pub ignore_changes: Vec<String>,
    /// `[tool.fanout.affects]`: a glob of changed paths -> globs of the test files it affects.
    pub affects: std::collections::BTreeMap<String, Vec<String>>,
    /// `[tool.fanout.plan]`: what `fanout plan` must respect (docs/planning.md).
    pub plan: PlanSettings,
    /// `[tool.fanout.<backend>]` tables by backend name (docs/gitlab.md).
    #[serde(skip)]
    pub backends: BTreeMap<String, BackendTable>,
}

/// A `[tool.fanout.<backend>]` table, as written: the backend named by the table reads and
/// checks it (fanout's settings are typed once, by their owner).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendTable {
    /// 1-based line of the table's header (or of its key, for an inline table).
    pub line: u32,
    /// 1-based line of each key.
    pub key_lines: BTreeMap<String, u32>,
    /// The table's keys and values.
    pub values: BTreeMap<String, serde_json::Value>,
}

impl Default for FanoutSettings {
    fn default() -> Self {
        Self {
            ungrouped: UngroupedPolicy::Error,
            known_markers: Vec::new(),
            max_jobs: None,
            respect_gitignore: true,
            ignore_changes: Vec::new(),
            affects: std::collections::BTreeMap::new(),
            plan: PlanSettings::default(),
            backends: BTreeMap::new(),
        }
    }
}

const KEYS: &[&str] = &[
    "ungrouped",
    "known-markers",
    "max-jobs",
    "respect-gitignore",
    "ignore-changes",
    "affects",
    "plan",
];

/// `[tool.fanout.plan]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct PlanSettings {
    /// Sets of node ids (`tests/x.py::test_a`) that must run in one job: a test that uses
    /// state an earlier one left behind.
    pub together: Vec<Vec<String>>,
    /// How many of the newest measured runs `fanout plan` reads (`--history`).
    pub history: Option<std::num::NonZeroUsize>,
}

#[derive(Deserialize)]
struct PyProject {
    #[serde(default)]
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Tool {
    #[serde(default)]
    fanout: Option<FanoutSettings>,
}

/// fanout's settings from the `pyproject.toml` in `rootdir`, or when it has none the nearest one
/// at or above `invocation_dir`. Returns the file the settings came from, `None` when no
/// `[tool.fanout]` table was found (defaults).
pub fn load_fanout_settings(
    rootdir: &Path,
    invocation_dir: &Path,
) -> Result<(FanoutSettings, Option<PathBuf>), ConfigError> {
    let at_root = rootdir.join("pyproject.toml");
    let path = if at_root.is_file() {
        at_root
    } else {
        match invocation_dir
            .ancestors()
            .map(|d| d.join("pyproject.toml"))
            .find(|p| p.is_file())
        {
            Some(p) => p,
            None => return Ok((FanoutSettings::default(), None)),
        }
    };
    let text = read_text(&path)?;
    parse(&path, &text)
}

fn parse(path: &Path, text: &str) -> Result<(FanoutSettings, Option<PathBuf>), ConfigError> {
    toml_doc::parse_str(path, text)?;
    let mut backend_lines: BTreeMap<String, (u32, BTreeMap<String, u32>)> = BTreeMap::new();
    if let Ok(doc) = DeTable::parse(text) {
        let fanout = doc
            .get_ref()
            .get("tool")
            .and_then(|t| t.get_ref().as_table())
            .and_then(|t| t.get("fanout"));
        if let Some(table) = fanout.and_then(|f| f.get_ref().as_table()) {
            let index = LineIndex::new(text);
            for (key, value) in table.iter() {
                if KEYS.contains(&key.get_ref().as_ref()) {
                    continue;
                }
                let at = index.locate(path, key.span().start);
                if value.get_ref().as_table().is_none() {
                    return Err(unknown_key(key.get_ref(), at));
                }
                let keys = value
                    .get_ref()
                    .as_table()
                    .into_iter()
                    .flat_map(|t| t.keys())
                    .map(|k| {
                        let line = index.locate(path, k.span().start).line.unwrap_or(1);
                        (k.get_ref().to_string(), line)
                    })
                    .collect();
                backend_lines.insert(key.get_ref().to_string(), (at.line.unwrap_or(1), keys));
            }
        }
    }
    let project: PyProject = toml::from_str(text).map_err(|e| {
        let at = e.span().map_or_else(
            || Location::file(path),
            |s| LineIndex::new(text).locate(path, s.start),
        );
        let message = e.message().lines().next().unwrap_or_default().to_string();
        ConfigError::invalid(
            at,
            format!("{message} in [tool.fanout]"),
            "see the [tool.fanout] settings in fanout's README",
        )
    })?;
    let Some(mut settings) = project.tool.and_then(|t| t.fanout) else {
        return Ok((FanoutSettings::default(), None));
    };
    if !backend_lines.is_empty() {
        settings.backends = backend_tables(path, text, backend_lines)?;
    }
    Ok((settings, Some(path.to_path_buf())))
}

/// The values of the `[tool.fanout.<backend>]` tables, as JSON values for their backends.
fn backend_tables(
    path: &Path,
    text: &str,
    lines: BTreeMap<String, (u32, BTreeMap<String, u32>)>,
) -> Result<BTreeMap<String, BackendTable>, ConfigError> {
    let doc: toml::Table = toml::from_str(text).map_err(|e| {
        ConfigError::invalid(Location::file(path), e.message().to_owned(), "fix the TOML")
    })?;
    let fanout = doc
        .get("tool")
        .and_then(|t| t.get("fanout"))
        .and_then(toml::Value::as_table);
    let mut tables = BTreeMap::new();
    for (name, (line, key_lines)) in lines {
        let Some(table) = fanout
            .and_then(|f| f.get(&name))
            .and_then(toml::Value::as_table)
        else {
            continue;
        };
        let values = table
            .iter()
            .map(|(k, v)| {
                let value = serde_json::to_value(v).map_err(|e| {
                    ConfigError::invalid(
                        Location::at(path, line, None),
                        format!("[tool.fanout.{name}] {k}: {e}"),
                        "use strings, numbers, booleans, arrays and tables",
                    )
                })?;
                Ok((k.clone(), value))
            })
            .collect::<Result<_, ConfigError>>()?;
        tables.insert(
            name,
            BackendTable {
                line,
                key_lines,
                values,
            },
        );
    }
    Ok(tables)
}

fn unknown_key(key: &str, at: Location) -> ConfigError {
    let suggestion = KEYS
        .iter()
        .map(|k| (strsim::levenshtein(&key.replace('_', "-"), k), *k))
        .min()
        .filter(|(d, _)| *d <= 3)
        .map_or_else(String::new, |(_, k)| format!("did you mean `{k}`? "));
    let expected = KEYS
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    ConfigError::UnknownFanoutKey {
        at,
        key: key.to_string(),
        suggestion,
        expected: format!("{expected}, or a [tool.fanout.<backend>] table"),
    }
}

#[cfg(test)]
#[path = "fanout_tests.rs"]
mod tests;
