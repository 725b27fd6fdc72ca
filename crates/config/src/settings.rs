//! The ini values fanout needs, typed the way pytest's `getini` types them ("args", "linelist",
//! "bool"), with pytest's defaults.

use std::path::Path;

use crate::addopts::Addopts;
use crate::error::{ConfigError, Location};
use crate::python::{shlex_split, strip, strtobool};
use crate::value::{ConfigDict, ConfigValue, Kind, Mode, Value};
use crate::IniValues;

pub(crate) const DEFAULT_PYTHON_FILES: [&str; 2] = ["test_*.py", "*_test.py"];
pub(crate) const DEFAULT_NORECURSEDIRS: [&str; 9] = [
    "*.egg",
    ".*",
    "_darcs",
    "build",
    "CVS",
    "dist",
    "node_modules",
    "venv",
    "{arch}",
];

#[derive(Clone, Copy, PartialEq)]
enum IniType {
    Args,
    Linelist,
}

impl IniType {
    fn name(self) -> &'static str {
        match self {
            Self::Args => "args",
            Self::Linelist => "linelist",
        }
    }
}

fn bad(value: &Value, message: String, help: &str) -> ConfigError {
    ConfigError::invalid(value.at.clone(), message, help)
}

fn string_items(name: &str, items: &[Value]) -> Result<Vec<String>, ConfigError> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match &item.kind {
            Kind::Str(s) => Ok(s.clone()),
            _ => Err(bad(
                item,
                format!("config option '{name}' expects a list of strings, but item at index {i} is {}: {}", item.type_name(), item.py_repr()),
                "quote the item",
            )),
        })
        .collect()
}

fn get_list(cfg: &ConfigDict, name: &str, ty: IniType) -> Result<Option<Vec<String>>, ConfigError> {
    let Some(ConfigValue { value, mode }) = cfg.get(name) else {
        return Ok(None);
    };
    let list = match (&value.kind, mode, ty) {
        (Kind::Array(items), _, _) => string_items(name, items)?,
        (Kind::Str(s), Mode::Ini, IniType::Args) => shlex_split(s).map_err(|why| {
            bad(
                value,
                format!("config option '{name}' cannot be split like a shell command line: {why}"),
                "close the quote or escape the character",
            )
        })?,
        (Kind::Str(s), Mode::Ini, IniType::Linelist) => s
            .split('\n')
            .map(strip)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        (_, Mode::Ini, _) => vec![value.py_str()],
        (_, Mode::Toml, _) => {
            let message = format!(
                "config option '{name}' expects a list for type '{}', got {}: {}",
                ty.name(),
                value.type_name(),
                value.py_repr()
            );
            return Err(bad(
                value,
                message,
                "write a TOML list of strings, e.g. [\"a\", \"b\"]",
            ));
        }
    };
    Ok(Some(list))
}

fn get_bool(cfg: &ConfigDict, name: &str) -> Result<Option<bool>, ConfigError> {
    let Some(ConfigValue { value, mode }) = cfg.get(name) else {
        return Ok(None);
    };
    match (&value.kind, mode) {
        (Kind::Bool(b), _) => Ok(Some(*b)),
        (_, Mode::Ini) => {
            let text = value.py_str();
            let text = strip(&text);
            strtobool(text).map(Some).ok_or_else(|| {
                bad(
                    value,
                    format!(
                        "config option '{name}': invalid truth value {}",
                        crate::python::str_repr(&text.to_lowercase())
                    ),
                    "use true or false",
                )
            })
        }
        (_, Mode::Toml) => {
            let message = format!(
                "config option '{name}' expects a bool, got {}: {}",
                value.type_name(),
                value.py_repr()
            );
            Err(bad(value, message, "write true or false without quotes"))
        }
    }
}

fn or_default(list: Option<Vec<String>>, default: &[&str]) -> Vec<String> {
    list.unwrap_or_else(|| default.iter().map(|s| (*s).to_string()).collect())
}

/// The selecting options of one addopts list, as (option, where it came from).
fn option_sources(parsed: &Addopts, source: &str) -> Vec<(String, String)> {
    let quote = |v: &str| crate::python::str_repr(v);
    let mut out = Vec::new();
    if let Some(expr) = &parsed.markexpr {
        out.push((format!("-m {}", quote(expr)), source.to_owned()));
    }
    for (flag, values) in [
        ("--deselect", &parsed.deselect),
        ("--ignore", &parsed.ignore),
        ("--ignore-glob", &parsed.ignore_glob),
    ] {
        for value in values {
            out.push((format!("{flag} {}", quote(value)), source.to_owned()));
        }
    }
    out
}

/// Reads addopts, applies its `-o` overrides (as pytest does, one level deep), then the rest.
/// `env_addopts` is `PYTEST_ADDOPTS`, which pytest applies after the ini file's `addopts`.
pub(crate) fn ini_values(
    cfg: &mut ConfigDict,
    inifile: Option<&Path>,
    invocation_dir: &Path,
    env_addopts: Option<&str>,
) -> Result<(IniValues, Vec<String>, bool), ConfigError> {
    let mut addopts = get_list(cfg, "addopts", IniType::Args)?.unwrap_or_default();
    let addopts_at = cfg.get("addopts").map_or_else(
        || Location::file(inifile.unwrap_or(invocation_dir)),
        |v| v.value.at.clone(),
    );
    let invalid = |at: &Location, source: &str, why: String| {
        let hint = if source == "addopts" {
            "fix the addopts value"
        } else {
            "fix the PYTEST_ADDOPTS environment variable"
        };
        ConfigError::invalid(at.clone(), format!("{source}: {why}"), hint)
    };
    // pytest checks each list on its own, then reads them as one: ini first, then the
    // environment, so a later `-m` wins.
    let mut parsed =
        Addopts::parse(&addopts).map_err(|why| invalid(&addopts_at, "addopts", why))?;
    let ini_name = inifile.and_then(|f| f.file_name()).map_or_else(
        || "the config file".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut sources = option_sources(&parsed, &format!("addopts in {ini_name}"));
    if let Some(env) = env_addopts.filter(|e| !e.trim().is_empty()) {
        let env_at = Location::file(Path::new("PYTEST_ADDOPTS"));
        let words =
            shlex_split(env).map_err(|why| invalid(&env_at, "PYTEST_ADDOPTS", why.into()))?;
        let env_parsed =
            Addopts::parse(&words).map_err(|why| invalid(&env_at, "PYTEST_ADDOPTS", why))?;
        sources.extend(option_sources(&env_parsed, "PYTEST_ADDOPTS"));
        addopts.extend(words);
        parsed = Addopts::parse(&addopts).map_err(|why| invalid(&env_at, "PYTEST_ADDOPTS", why))?;
    }
    for assignment in &parsed.overrides {
        let Some((key, value)) = assignment.split_once('=') else {
            let message = format!(
                "-o/--override-ini expects option=value style (got: {})",
                crate::python::str_repr(assignment)
            );
            return Err(ConfigError::invalid(
                addopts_at,
                message,
                "write -o name=value",
            ));
        };
        cfg.insert(
            key.to_string(),
            ConfigValue {
                value: Value::str(value, addopts_at.clone()),
                mode: Mode::Ini,
            },
        );
    }
    if let Some(expr) = &parsed.keyword {
        return Err(ConfigError::invalid(
            addopts_at.clone(),
            format!(
                "-k {} in addopts or PYTEST_ADDOPTS selects tests by name, which fanout does not model: its jobs would list tests pytest then deselects",
                crate::python::str_repr(expr)
            ),
            "remove -k from addopts; select with -m (marks) or node ids instead",
        ));
    }
    let strict_markers = match get_bool(cfg, "strict_markers")? {
        Some(b) => b,
        None => get_bool(cfg, "strict")?.unwrap_or(false),
    };
    let values = IniValues {
        testpaths: get_list(cfg, "testpaths", IniType::Args)?.unwrap_or_default(),
        python_files: or_default(
            get_list(cfg, "python_files", IniType::Args)?,
            &DEFAULT_PYTHON_FILES,
        ),
        python_classes: or_default(get_list(cfg, "python_classes", IniType::Args)?, &["Test"]),
        python_functions: or_default(get_list(cfg, "python_functions", IniType::Args)?, &["test"]),
        norecursedirs: or_default(
            get_list(cfg, "norecursedirs", IniType::Args)?,
            &DEFAULT_NORECURSEDIRS,
        ),
        markers: get_list(cfg, "markers", IniType::Linelist)?.unwrap_or_default(),
        addopts,
        collect_in_virtualenv: parsed.collect_in_virtualenv,
        ignore: parsed.ignore,
        ignore_glob: parsed.ignore_glob,
        markexpr: parsed.markexpr,
        deselect: parsed.deselect,
        option_sources: sources,
        strict_markers,
        plugins: parsed.plugins.clone(),
        disabled_plugins: parsed.disabled_plugins.clone(),
        doctest_glob: if parsed.disabled_plugins.iter().any(|p| p == "doctest") {
            Vec::new()
        } else if parsed.doctest_glob.is_empty() {
            vec!["test*.txt".to_owned()]
        } else {
            parsed.doctest_glob
        },
        doctest_modules: parsed.doctest_modules,
        disable_id_escaping: get_bool(
            cfg,
            "disable_test_id_escaping_and_forfeit_all_rights_to_community_support",
        )?
        .unwrap_or(false),
        long_str_id_strategy: cfg
            .get("parametrize_long_str_id_strategy")
            .map(|v| strip(&v.value.py_str()).to_owned()),
        pythonpath: get_list(cfg, "pythonpath", IniType::Args)?.unwrap_or_default(),
        import_mode: parsed.import_mode.clone(),
    };
    Ok((values, parsed.positional, parsed.pyargs))
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
