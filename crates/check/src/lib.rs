//! `fanout check`: are the markers the tests use registered where pytest reads them, and are
//! the tests grouped in a way every runner (fanout's, pytest's and the original conftest's)
//! agrees on? Findings are [`Diagnostic`]s; [`fix`] edits the config file pytest reads.

mod config_files;
mod conftest;
mod dependencies;
pub mod fix;
mod lint;
mod plugin_table;
mod plugin_use;
mod plugins;
mod registration;
pub mod spread;
mod unknown_marks;

use fanout_config::{FanoutSettings, PytestConfig};
use fanout_core::{Diagnostic, TestItem};
use std::path::{Path, PathBuf};

pub use registration::Registry;

/// Everything a check looks at, already collected by the caller.
pub struct CheckInput<'a> {
    pub config: &'a PytestConfig,
    pub settings: &'a FanoutSettings,
    /// The file `[tool.fanout]` came from, when there is one.
    pub settings_file: Option<&'a Path>,
    /// Collected tests (no `-m` selection).
    pub tests: &'a [TestItem],
    /// What collection reported.
    pub collect_diagnostics: &'a [Diagnostic],
    /// The test modules pytest would import: absolute path and path relative to the rootdir.
    pub test_files: &'a [(PathBuf, String)],
}

#[derive(Debug)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// Which config file pytest reads, and why the others are not read.
    pub config_summary: String,
    /// Markers `--fix` registers: used, unknown, and not a near miss of a known one.
    pub missing: Vec<String>,
}

pub fn check(input: &CheckInput<'_>) -> Report {
    let registry = Registry::discover(input);
    let uses = registration::read_uses(input.test_files);
    let mut diagnostics = input.collect_diagnostics.to_vec();
    let (found, missing) = unknown_marks::check(input, &registry, &uses);
    diagnostics.extend(found);
    diagnostics.extend(registry.ignored_diagnostics());
    diagnostics.extend(lint::grouping(input, &uses));
    diagnostics.extend(spread::check(input));
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.message == b.message);
    Report {
        diagnostics,
        config_summary: registry.summary(),
        missing,
    }
}

/// A config, conftest or requirements file with its line endings made `\n`: Python reads
/// text files with universal newlines, so `\r\n` and a bare `\r` end a line too.
pub(crate) fn read_text(path: &Path) -> Option<String> {
    fanout_core::files::read_to_string(path)
        .ok()
        .map(|t| t.replace("\r\n", "\n").replace('\r', "\n"))
}

/// `path` relative to the rootdir, `/`-separated, as diagnostics write paths.
pub(crate) fn relative(path: &Path, rootdir: &Path) -> String {
    fanout_pytest::walk::relative_to(path, rootdir)
}
