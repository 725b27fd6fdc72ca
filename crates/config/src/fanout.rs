//! fanout's own settings: `[tool.fanout]` in `pyproject.toml`.

use std::path::{Path, PathBuf};

use fanout_core::matrix::UngroupedPolicy;
use serde::{Deserialize, Serialize};
use toml::de::DeTable;

use crate::error::{read_text, ConfigError, LineIndex, Location};
use crate::toml_doc;

/// `[tool.fanout]`; a missing table means all defaults.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct FanoutSettings {
    pub ungrouped: UngroupedPolicy,
    pub known_markers: Vec<String>,
    pub max_jobs: Option<usize>,
    pub respect_gitignore: bool,
    /// Changed paths that never select anything (`--changed-since`), globs relative to the rootdir.
    pub ignore_changes: Vec<String>,
    /// `[tool.fanout.affects]`: a glob of changed paths -> globs of the test files it affects.
    pub affects: std::collections::BTreeMap<String, Vec<String>>,
    /// `[tool.fanout.gitlab]`: the gitlab backend's settings (docs/gitlab.md).
    pub gitlab: GitlabSettings,
}

/// `[tool.fanout.gitlab]`. Handed to the gitlab backend as options (kebab-case keys), under
/// `--backend-option KEY=VALUE`; the backend checks the values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct GitlabSettings {
    /// The hidden job the generated jobs extend.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// A file of the repository that defines the template, `include:`d by the child pipeline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include: Option<String>,
    /// A file whose YAML is copied into the child pipeline (instead of `include`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_file: Option<String>,
    /// Name of the generated jobs (`<prefix> 1/2`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_prefix: Option<String>,
    /// Refuse child pipelines with more jobs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_jobs: Option<usize>,
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
            gitlab: GitlabSettings::default(),
        }
    }
}

const KEYS: &[&str] = &[
    "ungrouped",
    "known-markers",
    "max-jobs",
    "respect-gitignore",
    "gitlab",
    "ignore-changes",
    "affects",
];

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
    if let Ok(doc) = DeTable::parse(text) {
        let fanout = doc
            .get_ref()
            .get("tool")
            .and_then(|t| t.get_ref().as_table())
            .and_then(|t| t.get("fanout"));
        if let Some(table) = fanout.and_then(|f| f.get_ref().as_table()) {
            let index = LineIndex::new(text);
            for key in table.keys() {
                if !KEYS.contains(&key.get_ref().as_ref()) {
                    return Err(unknown_key(
                        key.get_ref(),
                        index.locate(path, key.span().start),
                    ));
                }
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
    match project.tool.and_then(|t| t.fanout) {
        Some(settings) => Ok((settings, Some(path.to_path_buf()))),
        None => Ok((FanoutSettings::default(), None)),
    }
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
        expected,
    }
}

#[cfg(test)]
#[path = "fanout_tests.rs"]
mod tests;
