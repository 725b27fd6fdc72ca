//! The pipeline every collecting command shares: config, collection, `-m`, grouping rules.

use crate::cli::Selection;
use fanout_config::{FanoutSettings, PytestConfig, Ungrouped};
use fanout_core::markexpr::MarkExpression;
use fanout_core::matrix::{self, UngroupedPolicy};
use fanout_core::{Code, Diagnostic, TestItem};
use std::path::{Path, PathBuf};

pub struct Session {
    pub config: PytestConfig,
    pub settings: FanoutSettings,
    /// Selected tests, in path then line order.
    pub tests: Vec<TestItem>,
    /// Tests found before `-m` selection.
    pub collected: usize,
    pub files: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// What `--changed-since` selected, when given.
    pub affected: Option<crate::commands::affected::Applied>,
}

/// A failure before any test could be looked at: exit 2.
pub struct Fatal(pub String);

impl Session {
    pub fn policy(&self) -> UngroupedPolicy {
        match self.settings.ungrouped {
            Ungrouped::Error => UngroupedPolicy::Error,
            Ungrouped::WholeFile => UngroupedPolicy::WholeFile,
        }
    }
}

pub fn run(selection: &Selection) -> Result<Session, Fatal> {
    let invocation_dir = std::env::current_dir()
        .map_err(|e| Fatal(format!("cannot read the current directory: {e}")))?;
    // Node ids (`file.py::test`) select within a file: walk the file, filter afterwards.
    let (paths, node_filters) = split_node_ids(&selection.paths);
    let overrides = fanout_config::Overrides {
        rootdir: selection.rootdir.clone(),
        inifile: selection.config_file.clone(),
    };
    let config = fanout_config::discover(&invocation_dir, &paths, &overrides)
        .map_err(|e| Fatal(e.to_string()))?;
    let (settings, _) = fanout_config::load_fanout_settings(&config.rootdir, &invocation_dir)
        .map_err(|e| Fatal(e.to_string()))?;
    let markexpr = selection
        .markexpr
        .clone()
        .or_else(|| config.ini.markexpr.clone());
    let markexpr = match markexpr.as_deref().map(MarkExpression::parse) {
        None => None,
        Some(Ok(expr)) => Some(expr),
        Some(Err(e)) => return Err(Fatal(e.to_string())),
    };
    let collect_paths: Vec<PathBuf> = config
        .collect_paths
        .iter()
        .map(|p| strip_node_id(p))
        .collect();
    let ignore: Vec<PathBuf> = config
        .ini
        .ignore
        .iter()
        .map(|p| invocation_dir.join(p))
        .collect();
    let collection = fanout_pytest::collect(&fanout_pytest::CollectRequest {
        paths: &collect_paths,
        walk: fanout_pytest::walk::WalkRules {
            rootdir: &config.rootdir,
            python_files: &config.ini.python_files,
            norecursedirs: &config.ini.norecursedirs,
            ignore: &ignore,
            ignore_glob: &config.ini.ignore_glob,
            collect_in_virtualenv: config.ini.collect_in_virtualenv,
            respect_gitignore: settings.respect_gitignore,
        },
        python_classes: &config.ini.python_classes,
        python_functions: &config.ini.python_functions,
    });
    let mut tests = collection.tests;
    let mut diagnostics = collection.diagnostics;
    tests.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    if !node_filters.is_empty() {
        let rootdir = config.rootdir.clone();
        let prefixes: Vec<String> = node_filters
            .iter()
            .map(|(file, rest)| {
                let rel = fanout_pytest::walk::relative_to(&invocation_dir.join(file), &rootdir);
                format!("{rel}::{rest}")
            })
            .collect();
        let filtered_files: Vec<String> = prefixes
            .iter()
            .filter_map(|p| p.split("::").next().map(str::to_owned))
            .collect();
        tests.retain(|t| {
            !filtered_files.contains(&t.path)
                || prefixes
                    .iter()
                    .any(|p| t.node_id == *p || t.node_id.starts_with(&format!("{p}::")))
        });
    }
    let collected = tests.len();
    if collected == 0 && !diagnostics.iter().any(Diagnostic::is_error) {
        let shown: Vec<String> = collect_paths
            .iter()
            .map(|p| fanout_pytest::walk::relative_to(p, &config.rootdir))
            .map(|p| if p.is_empty() { ".".to_owned() } else { p })
            .collect();
        diagnostics.push(
            Diagnostic::error(Code::NoTests, shown.join(" "), "no tests found here")
                .with_hint(format!(
                    "pytest looks for files matching {} under these paths; check the paths and `python_files`",
                    config.ini.python_files.join(" ")
                )),
        );
    }
    if let Some(expr) = &markexpr {
        tests.retain(|t| expr.matches(&t.marks));
    }
    let affected = crate::commands::affected::apply(selection, &config, &settings, &mut tests)?;
    // `collected` counts what `-m` saw: tests left out by `--changed-since` are not "deselected".
    let collected = collected - affected.as_ref().map_or(0, |a| a.dropped_tests);
    let policy = match settings.ungrouped {
        Ungrouped::Error => UngroupedPolicy::Error,
        Ungrouped::WholeFile => UngroupedPolicy::WholeFile,
    };
    diagnostics.extend(matrix::check_grouping(&tests, policy));
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(Session {
        config,
        settings,
        tests,
        collected,
        files: collection.files,
        diagnostics,
        affected,
    })
}

fn split_node_ids(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut filters = Vec::new();
    for p in paths {
        let text = p.to_string_lossy();
        if let Some((file, rest)) = text.split_once("::") {
            filters.push((PathBuf::from(file), rest.to_owned()));
        }
    }
    (paths.to_vec(), filters)
}

fn strip_node_id(path: &Path) -> PathBuf {
    let text = path.to_string_lossy();
    match text.split_once("::") {
        Some((file, _)) => PathBuf::from(file),
        None => path.to_path_buf(),
    }
}
