//! pytest config discovery, mirroring pytest 9.2 exactly: which config file pytest reads
//! (`pytest.toml`, `.pytest.toml`, `pytest.ini`, `.pytest.ini`, `pyproject.toml`, `tox.ini`,
//! `setup.cfg`, per directory, walking up from the common ancestor of the args), the rootdir,
//! the ini values collection depends on, and the paths pytest would collect from. Also fanout's
//! own `[tool.fanout]` settings.

mod addopts;
mod discovery;
mod error;
mod fanout;
mod glob;
pub mod ini;
mod loaders;
mod paths;
mod python;
mod settings;
mod toml_doc;
mod value;

use std::path::{Path, PathBuf};

pub use error::{ConfigError, Location};
pub use fanout::{load_fanout_settings, BackendTable, FanoutSettings, PlanSettings};
pub use paths::split_node_id;
pub use python::{shlex_split, ShlexError};

/// Which file pytest reads its config from and the values it takes from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PytestConfig {
    /// Absolute.
    pub rootdir: PathBuf,
    /// Absolute; `None` when no config file matched.
    pub inifile: Option<PathBuf>,
    pub ini: IniValues,
    /// The paths pytest would collect from, absolute: the args if any were given (positional
    /// args in `addopts` first, node ids kept as written: `tests/test_a.py::test_x`); else
    /// `testpaths` (globbed, relative to rootdir) when invoked from the rootdir; else the
    /// invocation dir.
    pub collect_paths: Vec<PathBuf>,
    pub args_source: ArgsSource,
}

/// The ini values collection depends on, with pytest's defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IniValues {
    pub testpaths: Vec<String>,
    pub python_files: Vec<String>,
    pub python_classes: Vec<String>,
    pub python_functions: Vec<String>,
    pub norecursedirs: Vec<String>,
    /// Raw `name(args): description` lines.
    pub markers: Vec<String>,
    /// shlex-split: the ini file's `addopts`, then `PYTEST_ADDOPTS` (pytest's order).
    pub addopts: Vec<String>,
    /// `--collect-in-virtualenv` in addopts.
    pub collect_in_virtualenv: bool,
    /// `--ignore` values from addopts, as written (pytest resolves them against the invocation dir).
    pub ignore: Vec<String>,
    /// `--ignore-glob` values from addopts.
    pub ignore_glob: Vec<String>,
    /// The last `-m` in addopts (then `PYTEST_ADDOPTS`).
    pub markexpr: Option<String>,
    /// `--deselect` node id prefixes from addopts and `PYTEST_ADDOPTS`.
    pub deselect: Vec<String>,
    /// The selecting options (`-m`, `--deselect`, `--ignore`, `--ignore-glob`) taken from
    /// addopts and `PYTEST_ADDOPTS`, as (option, where it came from), in the order pytest
    /// reads them.
    pub option_sources: Vec<(String, String)>,
    /// `strict_markers` (from the file, `-o`, or `--strict-markers` in addopts), else `strict`.
    pub strict_markers: bool,
    /// Files pytest's doctest plugin collects: `--doctest-glob` values, default `test*.txt`;
    /// empty when the plugin is off (`-p no:doctest`).
    pub doctest_glob: Vec<String>,
    /// Modules loaded with `-p NAME` (addopts, then `PYTEST_ADDOPTS`).
    pub plugins: Vec<String>,
    /// Plugins switched off with `-p no:NAME`.
    pub disabled_plugins: Vec<String>,
    /// `--doctest-modules`: doctests in every Python module are collected too.
    pub doctest_modules: bool,
    /// `disable_test_id_escaping_and_forfeit_all_rights_to_community_support`: parametrize ids
    /// keep non-ASCII characters.
    pub disable_id_escaping: bool,
    /// `parametrize_long_str_id_strategy` when set (pytest 9's default is `short`).
    pub long_str_id_strategy: Option<String>,
    /// `pythonpath` entries as written (pytest resolves them against the config file's folder).
    pub pythonpath: Vec<String>,
    /// `--import-mode` from addopts (`prepend` when absent).
    pub import_mode: Option<String>,
}

/// Where pytest's initial paths came from (pytest's `Config.ArgsSource`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgsSource {
    Args,
    Testpaths,
    InvocationDir,
}

/// Like pytest's `--rootdir` and `-c/--config-file`; relative paths are taken from the
/// invocation dir.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub rootdir: Option<PathBuf>,
    pub inifile: Option<PathBuf>,
    /// The environment `--rootdir` is expanded with (`$VAR`, as pytest's `expandvars`): the
    /// caller's snapshot, so nothing here reads the process environment.
    pub vars: std::collections::BTreeMap<String, String>,
}

/// Finds pytest's rootdir and config file and reads the values collection depends on, for a
/// pytest run in `invocation_dir` with positional `args` (paths or node ids).
pub fn discover(
    invocation_dir: &Path,
    args: &[PathBuf],
    overrides: &Overrides,
) -> Result<PytestConfig, ConfigError> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    let invocation_dir = paths::abspath(&cwd, invocation_dir);
    let (overrides, env_paths) = with_env_addopts(overrides)?;
    let overrides = &overrides;
    // pytest finds the rootdir from the paths on its command line, `PYTEST_ADDOPTS`'s first.
    let setup_args: Vec<PathBuf> = env_paths.into_iter().chain(args.iter().cloned()).collect();
    let mut setup = discovery::determine_setup(&invocation_dir, &setup_args, overrides)?;
    let (ini, addopts_args, pyargs) = settings::ini_values(
        &mut setup.config,
        setup.inifile.as_deref(),
        &invocation_dir,
        overrides.vars.get("PYTEST_ADDOPTS").map(String::as_str),
    )?;
    let all_args: Vec<PathBuf> = addopts_args
        .iter()
        .map(PathBuf::from)
        .chain(args.iter().cloned())
        .collect();
    let (collect_paths, args_source) = decide_args(
        &invocation_dir,
        &setup.rootdir,
        &all_args,
        &ini.testpaths,
        pyargs,
    );
    Ok(PytestConfig {
        rootdir: setup.rootdir,
        inifile: setup.inifile,
        ini,
        collect_paths,
        args_source,
    })
}

/// pytest reads `PYTEST_ADDOPTS` before it looks for the config file, so a `-c FILE` or
/// `--rootdir DIR` there chooses them, and its paths count where the rootdir is; fanout's own
/// `-c` and `--rootdir` come after it on pytest's command line, and win. Returns the
/// overrides and the variable's paths.
fn with_env_addopts(overrides: &Overrides) -> Result<(Overrides, Vec<PathBuf>), ConfigError> {
    let Some(env) = overrides
        .vars
        .get("PYTEST_ADDOPTS")
        .filter(|e| !e.trim().is_empty())
    else {
        return Ok((overrides.clone(), Vec::new()));
    };
    let at = error::Location::file(Path::new("PYTEST_ADDOPTS"));
    let invalid = |why: String| {
        ConfigError::invalid(
            at.clone(),
            format!("PYTEST_ADDOPTS: {why}"),
            "fix the PYTEST_ADDOPTS environment variable",
        )
    };
    let words = python::shlex_split(env).map_err(|why| invalid(why.into()))?;
    let parsed = addopts::Addopts::parse(&words).map_err(invalid)?;
    let mut out = overrides.clone();
    if out.inifile.is_none() {
        out.inifile = parsed.config_file.map(PathBuf::from);
    }
    if out.rootdir.is_none() {
        out.rootdir = parsed.rootdir.map(PathBuf::from);
    }
    Ok((out, parsed.positional.iter().map(PathBuf::from).collect()))
}

/// pytest's `Config._decide_args`.
fn decide_args(
    invocation_dir: &Path,
    rootdir: &Path,
    args: &[PathBuf],
    testpaths: &[String],
    pyargs: bool,
) -> (Vec<PathBuf>, ArgsSource) {
    if !args.is_empty() {
        return (
            args.iter()
                .map(|a| paths::abspath(invocation_dir, a))
                .collect(),
            ArgsSource::Args,
        );
    }
    if invocation_dir == rootdir {
        let found: Vec<String> = if pyargs {
            testpaths.to_vec()
        } else {
            testpaths
                .iter()
                .flat_map(|pattern| glob::glob(invocation_dir, pattern))
                .collect()
        };
        if !found.is_empty() {
            return (
                found
                    .iter()
                    .map(|p| paths::abspath(invocation_dir, Path::new(p)))
                    .collect(),
                ArgsSource::Testpaths,
            );
        }
    }
    (
        vec![invocation_dir.to_path_buf()],
        ArgsSource::InvocationDir,
    )
}

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
