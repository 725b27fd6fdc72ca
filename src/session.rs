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
        ungrouped_policy(&self.settings)
    }
}

/// `ungrouped` from `[tool.fanout]` as the matrix rules take it.
pub fn ungrouped_policy(settings: &FanoutSettings) -> UngroupedPolicy {
    match settings.ungrouped {
        Ungrouped::Error => UngroupedPolicy::Error,
        Ungrouped::WholeFile => UngroupedPolicy::WholeFile,
    }
}

/// The pytest config, fanout's settings and the paths to collect: what every command that
/// looks at tests starts from.
pub struct Project {
    pub invocation_dir: PathBuf,
    pub config: PytestConfig,
    pub settings: FanoutSettings,
    /// The pyproject.toml `[tool.fanout]` came from, if any.
    pub settings_file: Option<PathBuf>,
    /// `collect_paths` without node-id suffixes (`file.py::test` -> `file.py`).
    pub collect_paths: Vec<PathBuf>,
    /// `--ignore` values from addopts, resolved against the invocation dir.
    pub ignore: Vec<PathBuf>,
}

impl Project {
    pub fn load(
        paths: &[PathBuf],
        rootdir: Option<PathBuf>,
        config_file: Option<PathBuf>,
    ) -> Result<Self, Fatal> {
        let invocation_dir = std::env::current_dir()
            .map_err(|e| Fatal(format!("cannot read the current directory: {e}")))?;
        let overrides = fanout_config::Overrides {
            rootdir,
            inifile: config_file,
        };
        let config = fanout_config::discover(&invocation_dir, paths, &overrides)
            .map_err(|e| Fatal(e.to_string()))?;
        let (settings, settings_file) =
            fanout_config::load_fanout_settings(&config.rootdir, &invocation_dir)
                .map_err(|e| Fatal(e.to_string()))?;
        let collect_paths = config
            .collect_paths
            .iter()
            .map(|p| strip_node_id(p))
            .collect();
        let ignore = config
            .ini
            .ignore
            .iter()
            .map(|p| invocation_dir.join(p))
            .collect();
        Ok(Project {
            invocation_dir,
            config,
            settings,
            settings_file,
            collect_paths,
            ignore,
        })
    }

    pub fn walk_rules(&self) -> fanout_pytest::walk::WalkRules<'_> {
        fanout_pytest::walk::WalkRules {
            rootdir: &self.config.rootdir,
            python_files: &self.config.ini.python_files,
            norecursedirs: &self.config.ini.norecursedirs,
            ignore: &self.ignore,
            ignore_glob: &self.config.ini.ignore_glob,
            collect_in_virtualenv: self.config.ini.collect_in_virtualenv,
            respect_gitignore: self.settings.respect_gitignore,
            doctest_glob: &self.config.ini.doctest_glob,
        }
    }

    /// Every test under the collect paths, before any selection.
    pub fn collect(&self) -> fanout_pytest::Collection {
        fanout_pytest::collect(&fanout_pytest::CollectRequest {
            paths: &self.collect_paths,
            walk: self.walk_rules(),
            python_classes: &self.config.ini.python_classes,
            python_functions: &self.config.ini.python_functions,
        })
    }
}

pub fn run(selection: &Selection) -> Result<Session, Fatal> {
    // Node ids (`file.py::test`) select within a file: walk the file, filter afterwards.
    let node_filters = node_filters(&selection.paths);
    let project = Project::load(
        &selection.paths,
        selection.rootdir.clone(),
        selection.config_file.clone(),
    )?;
    let markexpr = selection
        .markexpr
        .clone()
        .or_else(|| project.config.ini.markexpr.clone());
    let markexpr = match markexpr.as_deref().map(MarkExpression::parse) {
        None => None,
        Some(Ok(expr)) => Some(expr),
        Some(Err(e)) => return Err(Fatal(e.to_string())),
    };
    let collection = project.collect();
    let Project {
        invocation_dir,
        config,
        settings,
        collect_paths,
        ..
    } = project;
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
    if config.ini.doctest_modules {
        let file = config.inifile.as_deref().map_or_else(String::new, |f| {
            fanout_pytest::walk::relative_to(f, &config.rootdir)
        });
        diagnostics.push(
            Diagnostic::warning(
                Code::DoctestModules,
                file,
                "`--doctest-modules` is on: pytest also collects the examples in docstrings of every module, which carry no group and are in no job",
            )
            .with_hint("run doctests in a separate CI step, or drop --doctest-modules from addopts"),
        );
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
    diagnostics.extend(matrix::check_grouping(&tests, ungrouped_policy(&settings)));
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    crate::render::fill_source_lines(&mut diagnostics, &config.rootdir);
    Ok(Session {
        config,
        settings,
        tests,
        collected,
        files: collection.files.len(),
        diagnostics,
        affected,
    })
}

/// The node-id arguments (`file.py::Class::test`), as (file, rest).
fn node_filters(paths: &[PathBuf]) -> Vec<(PathBuf, String)> {
    paths
        .iter()
        .filter_map(|p| {
            let text = p.to_string_lossy();
            let (file, rest) = text.split_once("::")?;
            Some((PathBuf::from(file), rest.to_owned()))
        })
        .collect()
}

fn strip_node_id(path: &Path) -> PathBuf {
    let text = path.to_string_lossy();
    match text.split_once("::") {
        Some((file, _)) => PathBuf::from(file),
        None => path.to_path_buf(),
    }
}
