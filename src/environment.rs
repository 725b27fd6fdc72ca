//! The process environment, read once at start-up: everything else asks this snapshot, so a
//! test (or a library) never depends on variables it was not handed.

use std::collections::BTreeMap;

/// Where fanout was started: relative paths on the command line, and paths in failures, are
/// taken from here.
pub fn invocation_dir() -> std::path::PathBuf {
    std::env::current_dir().unwrap_or_default()
}

#[derive(Debug, Clone, Default)]
pub struct Environment {
    vars: BTreeMap<String, String>,
}

impl Environment {
    /// The variables of this process that are valid UTF-8 (no variable fanout reads is not).
    pub fn capture() -> Self {
        Environment {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    /// A variable's value; unset and empty are both `None`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Every variable, for libraries that take the environment as a map.
    pub fn vars(&self) -> &BTreeMap<String, String> {
        &self.vars
    }

    /// For libraries that take a look-up function.
    pub fn lookup(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_owned)
    }

    fn is_true(&self, name: &str) -> bool {
        self.get(name) == Some("true")
    }

    /// Running as a GitHub Actions step: the log reads workflow commands.
    pub fn github_actions(&self) -> bool {
        self.is_true("GITHUB_ACTIONS")
    }

    /// Running in CI (`CI=true`, set by GitHub, GitLab, CircleCI, Buildkite...).
    pub fn ci(&self) -> bool {
        self.is_true("CI")
    }

    /// `NO_COLOR` set to anything non-empty (no-color.org).
    pub fn no_color(&self) -> bool {
        self.get("NO_COLOR").is_some()
    }

    /// `CLICOLOR_FORCE` set to anything but `0`.
    pub fn clicolor_force(&self) -> bool {
        self.get("CLICOLOR_FORCE").is_some_and(|v| v != "0")
    }
}
