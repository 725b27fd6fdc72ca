//! Stage 1, load: pytest's config and rootdir, `[tool.fanout]`, and the paths to collect.
//! Stage 2, collect: every test under those paths, before any selection.

use super::Failure;
use crate::environment::Environment;
use crate::settings::ProjectArgs;
use fanout_config::{split_node_id, FanoutSettings, PytestConfig};
use fanout_core::matrix::UngroupedPolicy;
use fanout_core::{Code, Diagnostic, TestItem};
use fanout_pytest::walk::{relative_to, TestFile};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub struct Project {
    pub config: PytestConfig,
    pub settings: FanoutSettings,
    /// The pyproject.toml `[tool.fanout]` came from, if any.
    pub settings_file: Option<PathBuf>,
    /// The paths to walk: `collect_paths` without node-id suffixes.
    collect_paths: Vec<PathBuf>,
    /// Node-id arguments (`file.py::Class::test`) as rootdir-relative prefixes.
    node_filters: Vec<String>,
    /// `--ignore` values from addopts, resolved against the invocation dir.
    ignore: Vec<PathBuf>,
    /// The files git tracks, which collection keeps whatever `.gitignore` says.
    tracked: Option<HashSet<PathBuf>>,
    /// `pythonpath` entries, absolute (relative ones are taken from the config file's folder).
    pythonpath: Vec<PathBuf>,
}

/// Every test under the project's paths, in path then line order, with what collection said.
pub struct Collected {
    pub tests: Vec<TestItem>,
    pub diagnostics: Vec<Diagnostic>,
    pub files: Vec<TestFile>,
    /// Files some of whose tests collection already left out (node-id arguments, `--deselect`,
    /// pytest's `-m` under `--resolve-dynamic`): a job never names them whole.
    pub partial_files: HashSet<String>,
}

impl Project {
    pub fn load(args: &ProjectArgs, env: &Environment) -> Result<Self, Failure> {
        let invocation_dir = std::env::current_dir().map_err(Failure::CurrentDir)?;
        let overrides = fanout_config::Overrides {
            rootdir: args.rootdir.clone(),
            inifile: args.config_file.clone(),
            vars: env.vars().clone(),
        };
        let config = fanout_config::discover(&invocation_dir, &args.paths, &overrides)?;
        let (settings, settings_file) =
            fanout_config::load_fanout_settings(&config.rootdir, &invocation_dir)?;
        if let Some(file) = &settings_file {
            check_backend_tables(&settings, file)?;
        }
        let collect_paths = config
            .collect_paths
            .iter()
            .map(|p| split_node_id(p).0)
            .collect();
        let node_filters = args
            .paths
            .iter()
            .filter_map(|p| {
                let (file, rest) = split_node_id(p);
                let rest = rest?;
                let rel = relative_to(&invocation_dir.join(file), &config.rootdir);
                Some(format!("{rel}::{rest}"))
            })
            .collect();
        let ignore = config
            .ini
            .ignore
            .iter()
            .map(|p| invocation_dir.join(p))
            .collect();
        let tracked = settings
            .respect_gitignore
            .then(|| fanout_diff::tracked::tracked_files(&config.rootdir))
            .flatten();
        let ini_dir = config
            .inifile
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(&config.rootdir)
            .to_path_buf();
        let pythonpath = config
            .ini
            .pythonpath
            .iter()
            .map(|p| ini_dir.join(p))
            .collect();
        Ok(Project {
            pythonpath,
            tracked,
            config,
            settings,
            settings_file,
            collect_paths,
            node_filters,
            ignore,
        })
    }

    pub fn ungrouped_policy(&self) -> UngroupedPolicy {
        self.settings.ungrouped
    }

    pub fn rootdir(&self) -> &Path {
        &self.config.rootdir
    }

    fn walk_rules(&self) -> fanout_pytest::walk::WalkRules<'_> {
        fanout_pytest::walk::WalkRules {
            rootdir: &self.config.rootdir,
            python_files: &self.config.ini.python_files,
            norecursedirs: &self.config.ini.norecursedirs,
            ignore: &self.ignore,
            ignore_glob: &self.config.ini.ignore_glob,
            collect_in_virtualenv: self.config.ini.collect_in_virtualenv,
            respect_gitignore: self.settings.respect_gitignore,
            tracked: self.tracked.as_ref(),
            doctest_glob: &self.config.ini.doctest_glob,
        }
    }

    /// Stage 2: every test pytest would collect (node-id arguments narrow their file, as in
    /// pytest), before any selection, and the project-wide warnings.
    pub fn collect(&self) -> Collected {
        let collection = fanout_pytest::collect(&fanout_pytest::CollectRequest {
            paths: &self.collect_paths,
            walk: self.walk_rules(),
            python_classes: &self.config.ini.python_classes,
            python_functions: &self.config.ini.python_functions,
            ids: id_rules(&self.config.ini),
            imports: fanout_pytest::ImportSettings {
                pythonpath: &self.pythonpath,
                mode: fanout_pytest::ImportMode::from_option(
                    self.config.ini.import_mode.as_deref(),
                ),
            },
        });
        let mut tests = collection.tests;
        // Usually collected in this order already: one look instead of a sort.
        if !tests.is_sorted_by(|a, b| TestItem::file_order(a, b).is_le()) {
            tests.sort_by(TestItem::file_order);
        }
        let mut partial_files = HashSet::new();
        if !self.config.ini.deselect.is_empty() || !self.node_filters.is_empty() {
            tests.retain(|t| {
                let keep = self.keeps(t);
                if !keep && !partial_files.contains(t.path.as_str()) {
                    partial_files.insert(t.path.to_string());
                }
                keep
            });
        }
        let mut diagnostics = collection.diagnostics;
        if self.config.ini.doctest_modules {
            diagnostics.push(self.doctest_modules_warning());
        }
        if tests.is_empty() && !diagnostics.iter().any(Diagnostic::is_error) {
            diagnostics.push(self.no_tests_error());
        }
        Collected {
            tests,
            diagnostics,
            files: collection.files,
            partial_files,
        }
    }

    /// Node-id arguments narrow their file, and pytest's `--deselect PREFIX` (addopts,
    /// `PYTEST_ADDOPTS`) leaves out node ids starting with it.
    pub fn keeps(&self, t: &TestItem) -> bool {
        let deselected = self
            .config
            .ini
            .deselect
            .iter()
            .any(|d| t.node_id.starts_with(d.as_str()));
        !deselected && (self.node_filters.is_empty() || self.node_filter_keeps(t))
    }

    /// A test of a file named by a node-id argument must be that node or below it; tests of
    /// other files are kept.
    fn node_filter_keeps(&self, t: &TestItem) -> bool {
        let mut named_file = false;
        for prefix in &self.node_filters {
            let Some(rest) = prefix.strip_prefix(t.path.as_str()) else {
                continue;
            };
            if !rest.starts_with("::") {
                continue;
            }
            named_file = true;
            if let Some(below) = t.node_id.strip_prefix(prefix.as_str()) {
                if below.is_empty() || below.starts_with("::") {
                    return true;
                }
            }
        }
        !named_file
    }

    fn doctest_modules_warning(&self) -> Diagnostic {
        let file = self
            .config
            .inifile
            .as_deref()
            .map_or_else(String::new, |f| relative_to(f, &self.config.rootdir));
        Diagnostic::warning(
            Code::DoctestModules,
            file,
            "`--doctest-modules` is on: pytest also collects the examples in docstrings of every module, which carry no group and are in no job",
        )
        .with_hint("run doctests in a separate CI step, or drop --doctest-modules from addopts")
    }

    fn no_tests_error(&self) -> Diagnostic {
        let shown: Vec<String> = self
            .collect_paths
            .iter()
            .map(|p| relative_to(p, &self.config.rootdir))
            .map(|p| if p.is_empty() { ".".to_owned() } else { p })
            .collect();
        Diagnostic::error(Code::NoTests, shown.join(" "), "no tests found here").with_hint(format!(
            "pytest looks for files matching {} under these paths; check the paths and `python_files`",
            self.config.ini.python_files.join(" ")
        ))
    }
}

/// Every `[tool.fanout.<name>]` table names a backend of this binary, and that backend accepts
/// its keys: checked on load, so every command reports a typo, not only `matrix`.
fn check_backend_tables(settings: &FanoutSettings, file: &Path) -> Result<(), Failure> {
    for (name, table) in &settings.backends {
        let options = table.values.clone().into_iter().collect();
        let mut line = table.line;
        let problem = match fanout_core::backend::find(name) {
            Some(backend) => match backend.backend.check_options(&options) {
                Ok(()) => continue,
                Err(e) => {
                    if let fanout_core::BackendError::InvalidOption { key, .. } = &e {
                        line = table.key_lines.get(key).copied().unwrap_or(line);
                    }
                    format!("[tool.fanout.{name}] {e}")
                }
            },
            None => {
                let names: Vec<&str> = fanout_core::backend::registered()
                    .iter()
                    .map(|b| b.name)
                    .collect();
                let near = names
                    .iter()
                    .find(|n| strsim::levenshtein(name, n) <= 2)
                    .map_or_else(String::new, |n| format!("did you mean `{n}`? "));
                format!(
                    "[tool.fanout.{name}] is not a setting nor a backend of fanout; {near}backends: {}",
                    names.join(", ")
                )
            }
        };
        return Err(Failure::Settings {
            path: file.to_owned(),
            line,
            message: problem,
        });
    }
    Ok(())
}

/// The ini options that change parametrize ids.
fn id_rules(ini: &fanout_config::IniValues) -> fanout_pytest::ids::IdRules {
    use fanout_pytest::ids::{IdRules, LongStrIds};
    IdRules {
        no_escaping: ini.disable_id_escaping,
        long_str: match ini.long_str_id_strategy.as_deref() {
            None | Some("short") => LongStrIds::Short,
            Some("legacy") => LongStrIds::Legacy,
            Some(_) => LongStrIds::Other,
        },
    }
}
