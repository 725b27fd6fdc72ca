//! Checks a GitLab CI file against the rules GitLab documents for the keys fanout writes and
//! its docs use: `include`, `extends`, `parallel:matrix`, `variables`, `tags`, `script`,
//! `trigger`, job names. It parses the text back with a YAML parser, so quoting mistakes
//! (`on` read as a boolean, `012` as a number) show up as wrong types.
//!
//! It is not GitLab's whole schema: keys it does not know are left alone.

pub use crate::limits::MAX_FILE_BYTES;
use crate::limits::{matrix_job_name, MAX_JOB_NAME_CHARS, MAX_MATRIX_JOBS, RESERVED_KEYS};
use serde_json::{Map, Value};

const WHEN: [&str; 6] = [
    "on_success",
    "on_failure",
    "always",
    "manual",
    "delayed",
    "never",
];

/// Every rule the text breaks, as `where: what` lines; empty when it passes.
pub fn check(text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if text.len() > MAX_FILE_BYTES {
        problems.push(format!(
            "file: {} bytes, over GitLab's {MAX_FILE_BYTES}",
            text.len()
        ));
    }
    let doc: Value = match serde_saphyr::from_str(text) {
        Ok(doc) => doc,
        Err(e) => {
            problems.push(format!("file: not valid YAML: {e}"));
            return problems;
        }
    };
    let Some(top) = doc.as_object() else {
        problems.push("file: the top level is not a mapping".to_owned());
        return problems;
    };
    let included = top.contains_key("include");
    if let Some(include) = top.get("include") {
        check_include("include", include, &mut problems);
    }
    if let Some(vars) = top.get("variables") {
        check_variables("variables", vars, &mut problems);
    }
    let jobs: Vec<(&String, &Value)> = top
        .iter()
        .filter(|(k, _)| !RESERVED_KEYS.contains(&k.as_str()))
        .collect();
    if !jobs.iter().any(|(name, _)| !name.starts_with('.')) {
        problems.push("file: no job (GitLab rejects a pipeline without jobs)".to_owned());
    }
    for (name, job) in jobs {
        check_job(name, job, top, included, &mut problems);
    }
    problems
}

fn check_name(name: &str, problems: &mut Vec<String>) {
    let chars = name.chars().count();
    if name.is_empty() || chars > MAX_JOB_NAME_CHARS || name.chars().any(char::is_control) {
        problems.push(format!(
            "{name:?}: a job name has 1 to {MAX_JOB_NAME_CHARS} characters and no control characters ({chars})"
        ));
    }
}

fn check_job(
    name: &str,
    job: &Value,
    top: &Map<String, Value>,
    included: bool,
    problems: &mut Vec<String>,
) {
    check_name(name, problems);
    let Some(fields) = job.as_object() else {
        problems.push(format!("{name}: a job is a mapping"));
        return;
    };
    let hidden = name.starts_with('.');
    let runnable = ["script", "trigger", "extends", "run"]
        .iter()
        .any(|k| fields.contains_key(*k));
    if !hidden && !runnable {
        problems.push(format!(
            "{name}: a job needs `script`, `trigger` or `extends`"
        ));
    }
    if fields.contains_key("script") && fields.contains_key("trigger") {
        problems.push(format!("{name}: `trigger` jobs cannot have a `script`"));
    }
    for key in ["script", "before_script", "after_script"] {
        if let Some(script) = fields.get(key) {
            if !is_script(script) {
                problems.push(format!(
                    "{name}.{key}: a string or a list of strings (or of lists of strings)"
                ));
            }
        }
    }
    if let Some(extends) = fields.get("extends") {
        check_extends(name, extends, top, included, problems);
    }
    if let Some(vars) = fields.get("variables") {
        check_variables(&format!("{name}.variables"), vars, problems);
    }
    if let Some(tags) = fields.get("tags") {
        if !is_strings(tags) {
            problems.push(format!("{name}.tags: a list of strings"));
        }
    }
    for key in ["stage", "image"] {
        if let Some(v) = fields.get(key) {
            let image_object = key == "image" && v.is_object();
            if !v.is_string() && !image_object {
                problems.push(format!("{name}.{key}: a string"));
            }
        }
    }
    if let Some(when) = fields.get("when") {
        if !when.as_str().is_some_and(|w| WHEN.contains(&w)) {
            problems.push(format!("{name}.when: one of {}", WHEN.join(", ")));
        }
    }
    if let Some(parallel) = fields.get("parallel") {
        check_parallel(name, parallel, problems);
    }
    if let Some(trigger) = fields.get("trigger") {
        check_trigger(name, trigger, problems);
    }
}

fn is_script(v: &Value) -> bool {
    match v {
        Value::String(_) => true,
        Value::Array(items) => items.iter().all(|i| i.is_string() || is_strings(i)),
        _ => false,
    }
}

fn is_strings(v: &Value) -> bool {
    v.as_array()
        .is_some_and(|items| items.iter().all(Value::is_string))
}

fn is_variable_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check_extends(
    name: &str,
    extends: &Value,
    top: &Map<String, Value>,
    included: bool,
    problems: &mut Vec<String>,
) {
    let targets: Vec<&Value> = match extends {
        Value::String(_) => vec![extends],
        Value::Array(items) if !items.is_empty() => items.iter().collect(),
        _ => {
            problems.push(format!("{name}.extends: a job name or a list of them"));
            return;
        }
    };
    for target in targets {
        match target.as_str() {
            None => problems.push(format!("{name}.extends: job names are strings")),
            Some(t) if t == name => problems.push(format!("{name}.extends: extends itself")),
            // With `include:`, the target may be defined in an included file.
            Some(t) if !included && !top.contains_key(t) => problems.push(format!(
                "{name}.extends: `{t}` is not defined in this file and nothing is included"
            )),
            Some(_) => {}
        }
    }
}

fn check_variables(at: &str, vars: &Value, problems: &mut Vec<String>) {
    let Some(vars) = vars.as_object() else {
        problems.push(format!("{at}: a mapping of variable names to values"));
        return;
    };
    for (key, value) in vars {
        if !is_variable_name(key) {
            problems.push(format!(
                "{at}.{key}: variable names use only letters, digits and `_`"
            ));
        }
        let ok = match value {
            Value::String(_) => true,
            // `{value: ..., description: ..., expand: ...}`
            Value::Object(o) => o.get("value").is_none_or(Value::is_string),
            _ => false,
        };
        if !ok {
            problems.push(format!(
                "{at}.{key}: the value is {value}, not a string (quote it)"
            ));
        }
    }
}

fn check_parallel(name: &str, parallel: &Value, problems: &mut Vec<String>) {
    if let Some(n) = parallel.as_u64() {
        if n == 0 || n > MAX_MATRIX_JOBS as u64 {
            problems.push(format!("{name}.parallel: 1 to {MAX_MATRIX_JOBS}, not {n}"));
        }
        return;
    }
    let Some(matrix) = parallel
        .as_object()
        .filter(|p| p.len() == 1)
        .and_then(|p| p.get("matrix"))
    else {
        problems.push(format!(
            "{name}.parallel: a number, or a mapping with the one key `matrix`"
        ));
        return;
    };
    let Some(rows) = matrix.as_array().filter(|rows| !rows.is_empty()) else {
        problems.push(format!(
            "{name}.parallel.matrix: a non-empty list of mappings"
        ));
        return;
    };
    let mut total: usize = 0;
    for (i, row) in rows.iter().enumerate() {
        let at = format!("{name}.parallel.matrix[{i}]");
        let Some(vars) = row.as_object().filter(|v| !v.is_empty()) else {
            problems.push(format!("{at}: a non-empty mapping of variables"));
            continue;
        };
        let mut values: Vec<Vec<&str>> = Vec::new();
        for (key, value) in vars {
            if !is_variable_name(key) {
                problems.push(format!(
                    "{at}.{key}: variable names use only letters, digits and `_`"
                ));
            }
            match value {
                Value::String(s) => values.push(vec![s.as_str()]),
                Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_string) => {
                    values.push(items.iter().filter_map(Value::as_str).collect());
                }
                other => problems.push(format!(
                    "{at}.{key}: a string or a list of strings, not {other}"
                )),
            }
        }
        total = total.saturating_add(values.iter().map(Vec::len).product());
        for combination in product(&values) {
            let shown = matrix_job_name(name, &combination);
            let chars = shown.chars().count();
            if chars > MAX_JOB_NAME_CHARS {
                problems.push(format!(
                    "{at}: generates the job name {shown:?} of {chars} characters, over {MAX_JOB_NAME_CHARS}"
                ));
            }
        }
    }
    if total > MAX_MATRIX_JOBS {
        problems.push(format!(
            "{name}.parallel.matrix: generates {total} jobs, over GitLab's {MAX_MATRIX_JOBS}"
        ));
    }
}

/// Every combination of one value per variable, in GitLab's order.
fn product<'a>(values: &[Vec<&'a str>]) -> Vec<Vec<&'a str>> {
    values.iter().fold(vec![Vec::new()], |acc, options| {
        acc.iter()
            .flat_map(|prefix| {
                options.iter().map(move |v| {
                    let mut next = prefix.clone();
                    next.push(*v);
                    next
                })
            })
            .collect()
    })
}

fn check_include(at: &str, include: &Value, problems: &mut Vec<String>) {
    const SOURCES: [&str; 6] = [
        "local",
        "project",
        "remote",
        "template",
        "component",
        "artifact",
    ];
    let items: Vec<&Value> = match include {
        Value::String(_) => vec![include],
        Value::Array(items) => items.iter().collect(),
        Value::Object(_) => vec![include],
        _ => {
            problems.push(format!("{at}: a path, a mapping or a list of them"));
            return;
        }
    };
    for item in items {
        match item {
            Value::String(s) if !s.is_empty() => {}
            Value::Object(o) => {
                let sources: Vec<_> = SOURCES.iter().filter(|s| o.contains_key(**s)).collect();
                if sources.len() != 1 {
                    problems.push(format!(
                        "{at}: each item has exactly one of {}",
                        SOURCES.join(", ")
                    ));
                } else if !o[*sources[0]].is_string() {
                    problems.push(format!("{at}.{}: a string", sources[0]));
                }
                if o.contains_key("artifact") && !o.get("job").is_some_and(Value::is_string) {
                    problems.push(format!(
                        "{at}: `artifact` needs `job`, the job that made it"
                    ));
                }
            }
            _ => problems.push(format!("{at}: an item is a path or a mapping")),
        }
    }
}

fn check_trigger(name: &str, trigger: &Value, problems: &mut Vec<String>) {
    let at = format!("{name}.trigger");
    match trigger {
        Value::String(_) => {}
        Value::Object(o) => {
            if !o.contains_key("include") && !o.contains_key("project") {
                problems.push(format!("{at}: needs `include` (child) or `project`"));
            }
            if let Some(include) = o.get("include") {
                check_include(&format!("{at}.include"), include, problems);
            }
            if let Some(strategy) = o.get("strategy") {
                if !strategy
                    .as_str()
                    .is_some_and(|s| s == "depend" || s == "mirror")
                {
                    problems.push(format!("{at}.strategy: `depend` or `mirror`"));
                }
            }
        }
        _ => problems.push(format!("{at}: a project path or a mapping")),
    }
}

/// The text as a JSON value (mappings with sorted keys), for tests and tools that inspect a
/// pipeline; the error is the parser's message.
pub fn parse(text: &str) -> Result<Value, String> {
    serde_saphyr::from_str(text).map_err(|e| e.to_string())
}
