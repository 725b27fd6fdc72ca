//! pytest's config loaders (`CONFIG_LOADERS_BY_NAME` / `_BY_SUFFIX` in `findpaths.py`). Each
//! returns `None` when the file holds no pytest configuration and so does not count.

use std::path::Path;

use crate::error::{read_text, ConfigError, Location};
use crate::ini;
use crate::toml_doc;
use crate::value::{ConfigDict, ConfigValue, Kind, Mode, Value};

pub(crate) type Loader = fn(&Path) -> Result<Option<ConfigDict>, ConfigError>;

/// The file names pytest looks for in each directory, in precedence order.
pub(crate) const BY_NAME: [(&str, Loader); 7] = [
    ("pytest.toml", load_pytest_toml),
    (".pytest.toml", load_pytest_toml),
    ("pytest.ini", load_pytest_ini),
    (".pytest.ini", load_pytest_ini),
    ("pyproject.toml", load_pyproject_toml),
    ("tox.ini", load_ini_file),
    ("setup.cfg", load_cfg_file),
];

/// The loader for a file passed with `-c`: by name first, then by suffix.
pub(crate) fn loader_for(path: &Path) -> Option<Loader> {
    let name = path.file_name()?.to_str()?;
    if let Some((_, loader)) = BY_NAME.iter().find(|(n, _)| *n == name) {
        return Some(*loader);
    }
    match path.extension()?.to_str()? {
        "ini" => Some(load_ini_file),
        "cfg" => Some(load_cfg_file),
        "toml" => Some(load_custom_toml),
        _ => None,
    }
}

fn ini_section(path: &Path, section: &str) -> Result<Option<ConfigDict>, ConfigError> {
    let doc = ini::parse(path, &read_text(path)?)?;
    Ok(doc.section(section).map(|s| {
        s.entries
            .iter()
            .map(|e| {
                let value = Value::str(e.value.clone(), Location::at(path, e.line, None));
                (
                    e.key.clone(),
                    ConfigValue {
                        value,
                        mode: Mode::Ini,
                    },
                )
            })
            .collect()
    }))
}

/// `pytest.ini` / `.pytest.ini`: always the config file, even without a `[pytest]` section.
fn load_pytest_ini(path: &Path) -> Result<Option<ConfigDict>, ConfigError> {
    Ok(Some(ini_section(path, "pytest")?.unwrap_or_default()))
}

/// `tox.ini` and other `.ini`: only with a `[pytest]` section.
fn load_ini_file(path: &Path) -> Result<Option<ConfigDict>, ConfigError> {
    ini_section(path, "pytest")
}

/// `setup.cfg` and other `.cfg`: only with `[tool:pytest]`; a plain `[pytest]` is an error.
fn load_cfg_file(path: &Path) -> Result<Option<ConfigDict>, ConfigError> {
    let doc = ini::parse(path, &read_text(path)?)?;
    if doc.section("tool:pytest").is_some() {
        return ini_section(path, "tool:pytest");
    }
    if doc.section("pytest").is_some() {
        let line = crate::python::splitlines(&read_text(path)?)
            .iter()
            .position(|l| l.starts_with("[pytest]"))
            .and_then(|i| u32::try_from(i + 1).ok());
        let at = Location {
            path: path.to_path_buf(),
            line,
            column: line.map(|_| 1),
        };
        let message = "[pytest] section in setup.cfg files is no longer supported";
        return Err(ConfigError::invalid(
            at,
            message,
            "change it to [tool:pytest]",
        ));
    }
    Ok(None)
}

fn table_entries<'a>(value: &'a Value, what: &str) -> Result<&'a [(String, Value)], ConfigError> {
    value.as_table().ok_or_else(|| {
        let message = format!("{what} must be a table, found {}", value.type_name());
        ConfigError::invalid(value.at.clone(), message, format!("write it as [{what}]"))
    })
}

fn toml_dict(entries: &[(String, Value)], mode: Mode) -> ConfigDict {
    entries
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                ConfigValue {
                    value: v.clone(),
                    mode,
                },
            )
        })
        .collect()
}

/// The `[pytest]` table of a TOML document (`pytest.toml` style); options written outside any
/// table are an error.
fn from_pytest_table(doc: &Value) -> Result<Option<ConfigDict>, ConfigError> {
    if let Some(table) = doc.get("pytest") {
        return Ok(Some(toml_dict(table_entries(table, "pytest")?, Mode::Toml)));
    }
    let top: Vec<&(String, Value)> = doc
        .as_table()
        .unwrap_or_default()
        .iter()
        .filter(|(_, v)| v.as_table().is_none())
        .collect();
    if let Some((_, first)) = top.iter().min_by_key(|(_, v)| (v.at.line, v.at.column)) {
        let names: Vec<&str> = top.iter().map(|(k, _)| k.as_str()).collect();
        let message = format!(
            "pytest configuration must be under a [pytest] table (found top-level options: {})",
            names.join(", ")
        );
        return Err(ConfigError::invalid(
            first.at.clone(),
            message,
            "put a [pytest] line above them",
        ));
    }
    Ok(None)
}

/// `[tool.pytest]` (native TOML types) or `[tool.pytest.ini_options]` (ini strings); both is an error.
fn from_tool_pytest(doc: &Value) -> Result<Option<ConfigDict>, ConfigError> {
    let Some(tool) = doc.get("tool") else {
        return Ok(None);
    };
    table_entries(tool, "tool")?;
    let Some(tool_pytest) = tool.get("pytest") else {
        return Ok(None);
    };
    let entries = table_entries(tool_pytest, "tool.pytest")?;
    let native: Vec<(String, Value)> = entries
        .iter()
        .filter(|(k, _)| k != "ini_options")
        .cloned()
        .collect();
    let ini_options = match tool_pytest.get("ini_options") {
        Some(v) => Some(table_entries(v, "tool.pytest.ini_options")?),
        None => None,
    };
    if !native.is_empty() && ini_options.is_some_and(|t| !t.is_empty()) {
        let message = "cannot use both [tool.pytest] (native TOML types) and [tool.pytest.ini_options] (string-based INI format)";
        let help = "use [tool.pytest] with native TOML types (recommended) or [tool.pytest.ini_options] for backwards compatibility";
        return Err(ConfigError::invalid(tool_pytest.at.clone(), message, help));
    }
    if !native.is_empty() {
        return Ok(Some(toml_dict(&native, Mode::Toml)));
    }
    Ok(ini_options.map(|entries| {
        let scalar = |v: &Value| match v.kind {
            Kind::Array(_) => v.clone(),
            _ => Value::str(v.py_str(), v.at.clone()),
        };
        entries
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    ConfigValue {
                        value: scalar(v),
                        mode: Mode::Ini,
                    },
                )
            })
            .collect()
    }))
}

/// `pytest.toml` / `.pytest.toml`: always the config file, even without a `[pytest]` table.
fn load_pytest_toml(path: &Path) -> Result<Option<ConfigDict>, ConfigError> {
    Ok(Some(
        from_pytest_table(&toml_doc::parse_file(path)?)?.unwrap_or_default(),
    ))
}

fn load_pyproject_toml(path: &Path) -> Result<Option<ConfigDict>, ConfigError> {
    from_tool_pytest(&toml_doc::parse_file(path)?)
}

/// Any other `.toml` given with `-c`: `[pytest]`, or the pyproject tables, not both.
fn load_custom_toml(path: &Path) -> Result<Option<ConfigDict>, ConfigError> {
    let doc = toml_doc::parse_file(path)?;
    let Some(tool) = from_tool_pytest(&doc)? else {
        return from_pytest_table(&doc);
    };
    if let Some(pytest) = doc.get("pytest") {
        let message =
            "cannot use both [pytest] and [tool.pytest]/[tool.pytest.ini_options] in the same file";
        return Err(ConfigError::invalid(
            pytest.at.clone(),
            message,
            "use [pytest], the table pytest's own config files use",
        ));
    }
    Ok(Some(tool))
}

#[cfg(test)]
#[path = "loaders_tests.rs"]
mod tests;
