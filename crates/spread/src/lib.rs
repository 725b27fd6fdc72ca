//! A spread suite as spread reads it, far enough to tell which task runs which test file.
//!
//! spread finds `spread.yaml` (or `.spread.yaml`) in the directory it runs in or the nearest one
//! above; its `suites:` keys are folders (`tests/spread/`), and every immediate subfolder of a
//! suite that holds a `task.yaml` is a task, named `<suite><folder>` (`tests/spread/test_charm.py`).
//! A task's `execute` runs in the project's folder with the project's, the suite's and the task's
//! `environment` exported (later wins; `KEY/variant` keys give one value per variant).
//!
//! fanout reads what `execute` names: after substituting `$VAR` and `${VAR}` with the values the
//! environment gives (every variant's), each shell word that is a path ending in `.py`, a node id
//! (`file.py::test`) or a folder is a test path the task runs. A word still holding `$`, a
//! backquote or a glob is a value only known when the task runs: fanout cannot read it, and a
//! task that names its tests only that way runs nothing fanout can see.

pub mod backend;
pub mod generate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A spread project: where `spread.yaml` is and its tasks.
#[derive(Debug, Clone)]
pub struct SpreadProject {
    /// The folder of `spread.yaml`: `execute` runs there, and paths in it are relative to it.
    pub root: PathBuf,
    pub file: PathBuf,
    pub tasks: Vec<Task>,
}

/// One task: a folder of a suite holding a `task.yaml`.
#[derive(Debug, Clone)]
pub struct Task {
    /// As spread names it: `tests/spread/test_charm.py`.
    pub name: String,
    pub file: PathBuf,
    /// The 1-based line of `execute:` in `task.yaml` (1 when it has none).
    pub execute_line: u32,
    /// The test paths `execute` names (files, folders, node ids), relative to the project root,
    /// `/`-separated, each once.
    pub runs: Vec<String>,
    /// The file's text when fanout wrote it ([`generate::GENERATED`]): fanout's to update.
    pub generated: Option<String>,
    /// The suite it is in (`tests/spread/`).
    pub suite: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SpreadError {
    #[error("{}: cannot read it: {source}", .path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: not a spread file fanout can read: {message}", .path.display())]
    Yaml { path: PathBuf, message: String },
}

impl SpreadError {
    /// What is wrong, without the file's path (for a diagnostic that names it already).
    pub fn reason(&self) -> String {
        match self {
            SpreadError::Read { source, .. } => format!("cannot read it: {source}"),
            SpreadError::Yaml { message, .. } => {
                format!("not a spread file fanout can read: {message}")
            }
        }
    }
}

// Every key may be left empty (`environment:`, `tests/spread/:`), as spread allows.
#[derive(serde::Deserialize, Default)]
struct ProjectYaml {
    #[serde(default, deserialize_with = "nullable")]
    environment: Environment,
    #[serde(default, deserialize_with = "nullable")]
    suites: BTreeMap<String, Option<SuiteYaml>>,
}

#[derive(serde::Deserialize, Default)]
struct SuiteYaml {
    #[serde(default, deserialize_with = "nullable")]
    environment: Environment,
}

#[derive(serde::Deserialize, Default)]
struct TaskYaml {
    #[serde(default, deserialize_with = "nullable")]
    environment: Environment,
    #[serde(default)]
    execute: Option<String>,
}

/// A value that may be written empty (YAML null): its default then.
fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de> + Default,
{
    use serde::Deserialize as _;
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// `KEY` or `KEY/variants` -> a scalar (a string, a number, a bool or nothing).
type Environment = BTreeMap<String, serde_json::Value>;

/// The `spread.yaml` (or `.spread.yaml`) spread would read from `dir`: in it or the nearest
/// folder above.
pub fn find(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .flat_map(|d| [d.join("spread.yaml"), d.join(".spread.yaml")])
        .find(|f| fanout_core::files::is_regular(f))
}

/// Reads the project of `spread_yaml` and every task of its suites.
pub fn load(spread_yaml: &Path) -> Result<SpreadProject, SpreadError> {
    let root = spread_yaml
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let project: ProjectYaml = read_yaml(spread_yaml)?;
    let mut tasks = Vec::new();
    for (suite, suite_yaml) in &project.suites {
        let dir = root.join(suite);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut folders: Vec<String> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        folders.sort();
        for folder in folders {
            let file = dir.join(&folder).join("task.yaml");
            if !fanout_core::files::is_regular(&file) {
                continue;
            }
            let text = read_text(&file)?;
            let task: TaskYaml = parse_yaml(&file, &text)?;
            let mut environment = project.environment.clone();
            if let Some(suite_yaml) = suite_yaml {
                environment.extend(suite_yaml.environment.clone());
            }
            environment.extend(task.environment);
            let runs = task
                .execute
                .as_deref()
                .map(|execute| named_paths(execute, &environment))
                .unwrap_or_default();
            tasks.push(Task {
                name: format!("{}{folder}", suite_dir(suite)),
                execute_line: line_of_key(&text, "execute"),
                file,
                runs,
                generated: generate::is_generated(&text).then(|| text.clone()),
                suite: suite_dir(suite),
            });
        }
    }
    Ok(SpreadProject {
        root,
        file: spread_yaml.to_path_buf(),
        tasks,
    })
}

/// A suite key as spread writes task names from it: ending in `/`.
fn suite_dir(suite: &str) -> String {
    if suite.ends_with('/') {
        suite.to_owned()
    } else {
        format!("{suite}/")
    }
}

fn read_text(path: &Path) -> Result<String, SpreadError> {
    fanout_core::files::read_to_string(path).map_err(|source| SpreadError::Read {
        path: path.to_owned(),
        source,
    })
}

fn read_yaml<T: serde::de::DeserializeOwned + Default>(path: &Path) -> Result<T, SpreadError> {
    let text = read_text(path)?;
    parse_yaml(path, &text)
}

fn parse_yaml<T: serde::de::DeserializeOwned + Default>(
    path: &Path,
    text: &str,
) -> Result<T, SpreadError> {
    if text.trim().is_empty() {
        return Ok(T::default());
    }
    serde_saphyr::from_str(text).map_err(|e| SpreadError::Yaml {
        path: path.to_owned(),
        message: e.to_string().lines().next().unwrap_or_default().to_owned(),
    })
}

/// The 1-based line of a top-level `key:` in a YAML text (1 when there is none).
fn line_of_key(text: &str, key: &str) -> u32 {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .and_then(|i| u32::try_from(i + 1).ok())
        .unwrap_or(1)
}

/// Every value `name` takes: the bare key's, and each `name/variants` key's.
fn values_of<'e>(environment: &'e Environment, name: &str) -> Vec<String> {
    let text = |v: &'e serde_json::Value| match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    environment
        .iter()
        .filter(|(key, _)| key.split('/').next() == Some(name))
        .map(|(_, v)| text(v))
        .collect()
}

/// The test paths `execute` names once the environment is substituted, each once.
pub fn named_paths(
    execute: &str,
    environment: &BTreeMap<String, serde_json::Value>,
) -> Vec<String> {
    let mut expansions = vec![execute.to_owned()];
    // Substitute variable by variable; a variable with several values (variants) multiplies.
    for _ in 0..8 {
        let mut next = Vec::new();
        let mut changed = false;
        for text in &expansions {
            match first_variable(text, environment) {
                Some((range, values)) => {
                    changed = true;
                    for value in values {
                        let mut t = text.clone();
                        t.replace_range(range.clone(), &value);
                        next.push(t);
                    }
                }
                None => next.push(text.clone()),
            }
        }
        next.sort();
        next.dedup();
        next.truncate(64);
        expansions = next;
        if !changed {
            break;
        }
    }
    let mut out: Vec<String> = expansions
        .iter()
        .flat_map(|text| shell_words(text))
        .filter_map(|word| test_path(&word))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The first `$NAME` or `${NAME}` the environment defines, with its values.
fn first_variable(
    text: &str,
    environment: &Environment,
) -> Option<(std::ops::Range<usize>, Vec<String>)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(offset) = text[i..].find('$') {
        let start = i + offset;
        let (name_start, braced) = match bytes.get(start + 1) {
            Some(b'{') => (start + 2, true),
            _ => (start + 1, false),
        };
        let name_len = text[name_start..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let name = &text[name_start..name_start + name_len];
        let end = name_start + name_len + usize::from(braced);
        let closed = !braced || bytes.get(name_start + name_len) == Some(&b'}');
        if !name.is_empty() && closed {
            let values = values_of(environment, name);
            if !values.is_empty() {
                return Some((start..end, values));
            }
        }
        i = start + 1;
    }
    None
}

/// Words of a shell script, roughly: split at white space, `;`, `&` and `|`, quotes removed.
fn shell_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')') => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            (None, c) => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// `word` as a test path: a `.py` file, a node id, or a folder path under `tests`; `None` for
/// options, assignments and words fanout cannot read (`$`, backquotes, globs).
fn test_path(word: &str) -> Option<String> {
    if word.starts_with('-') || word.contains(['$', '`', '*', '?', '[']) {
        return None;
    }
    let path = word.strip_prefix("./").unwrap_or(word);
    let (file, _) = path.split_once("::").unwrap_or((path, ""));
    if file.contains('=') {
        return None;
    }
    let looks_like_test = file.ends_with(".py")
        || (file.contains('/')
            && !file.contains('.')
            && (file.starts_with("tests") || file.ends_with('/')));
    looks_like_test.then(|| path.trim_end_matches('/').to_owned())
}

impl SpreadProject {
    /// The folders (relative to the project root) whose test files the suite is meant to run:
    /// `configured` (`paths` in `[tool.fanout.spread]`) when given, else the deepest folder that
    /// holds every test path a task names (`tests/integration`): unit tests beside it are not
    /// spread's. Every folder (`""`) when no task names a path fanout can read yet.
    pub fn scope(&self, configured: Option<Vec<String>>) -> Vec<String> {
        if let Some(paths) = configured {
            return paths
                .into_iter()
                .map(|p| p.trim_end_matches('/').to_owned())
                .collect();
        }
        let folders: Vec<Vec<&str>> = self
            .tasks
            .iter()
            .flat_map(|t| &t.runs)
            .map(|named| {
                let file = named.split_once("::").map_or(named.as_str(), |(f, _)| f);
                let mut parts: Vec<&str> = file.split('/').collect();
                if file.ends_with(".py") {
                    parts.pop();
                }
                parts
            })
            .collect();
        let Some(first) = folders.first() else {
            return vec![String::new()];
        };
        let common = first
            .iter()
            .enumerate()
            .take_while(|(i, part)| folders.iter().all(|f| f.get(*i) == Some(part)))
            .count();
        vec![first[..common].join("/")]
    }

    /// Whether `file` (relative to the project root) is in one of `scope`'s folders.
    pub fn in_scope(scope: &[String], file: &str) -> bool {
        scope.iter().any(|folder| {
            folder.is_empty()
                || file
                    .strip_prefix(folder.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }
}

impl Task {
    /// Whether the task runs the test `node_id` of `test_file` (both relative to the project
    /// root): it names the file, a folder above it, or a node id that holds the test.
    pub fn runs(&self, test_file: &str, node_id: &str) -> bool {
        self.runs.iter().any(|named| {
            named == test_file
                || test_file
                    .strip_prefix(named.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
                || node_id == named
                || node_id
                    .strip_prefix(named.as_str())
                    .is_some_and(|rest| rest.starts_with("::") || rest.starts_with('['))
        })
    }
}

#[cfg(test)]
mod tests;
