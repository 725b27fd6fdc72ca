//! The `azure` backend: a dynamic matrix for Azure Pipelines.
//!
//! A step named `fanout` runs `fanout matrix --backend azure`; it prints two logging commands
//! the agent turns into output variables of the step:
//!
//! ```text
//! ##vso[task.setvariable variable=matrix;isOutput=true]{"test_a_py_group_1":{"FANOUT_JOB_NAME":"test_a.py | group 1",...}}
//! ##vso[task.setvariable variable=count;isOutput=true]1
//! ```
//!
//! and the test job runs one leg per fanout job with
//! `strategy: matrix: $[ dependencies.plan.outputs['fanout.matrix'] ]`, its variables in the
//! environment of every step. The job's steps are written once, in the pipeline.
//!
//! - Leg names are made from the job names: `[A-Za-z0-9_]`, starting with a letter, at most
//!   100 characters, unique without regard to case, and stable from run to run.
//! - The value is escaped as the agent unescapes it (`%` as `%AZP25`, CR and LF as `%0D`, `%0A`).
//! - Runner marks become `FANOUT_POOL` (one label: a pool name), for `pool: name: $(FANOUT_POOL)`.
//! - An empty matrix is `{}` with `count` 0. Azure Pipelines still runs one leg of a job whose
//!   matrix is empty, with none of the variables: guard the test job with a condition on
//!   `count`, or it runs pytest without node ids (the whole suite).
//! - More than `max-jobs` legs (default [`MAX_JOBS`]) is refused before anything is written.
//!
//! Settings: [`KEYS`], from `[tool.fanout.azure]` and `--backend-option`.

use fanout_core::backend::option;
use fanout_core::naming::{unique_names, NameRules};
use fanout_core::{
    Backend, BackendError, BackendOptions, BackendRegistration, Diagnostic, Matrix, OutputContext,
};
use serde_json::{Map, Value};

/// Every key the backend understands, in the order the docs list them.
pub const KEYS: [&str; 5] = ["variable", "count-variable", "pool", "runners", "max-jobs"];
/// Legs one matrix may have, unless `max-jobs` says otherwise: the limit Azure Pipelines users
/// report (its documentation states none).
pub const MAX_JOBS: usize = 256;
/// The output variable holding the matrix, unless `variable` says otherwise.
pub const DEFAULT_VARIABLE: &str = "matrix";
/// The output variable holding the number of legs, unless `count-variable` says otherwise.
pub const DEFAULT_COUNT_VARIABLE: &str = "count";

/// Matrix leg names (Azure Pipelines' rules for a job name).
pub const LEG_RULES: NameRules = NameRules {
    extra: "_",
    max_chars: 100,
    letter_first: true,
    prefix: "",
    case_insensitive: true,
};

pub struct AzureBackend;

static BACKEND: AzureBackend = AzureBackend;

inventory::submit! {
    BackendRegistration {
        name: "azure",
        summary: "Azure Pipelines: a matrix output variable (`##vso[task.setvariable]`) for strategy: matrix",
        backend: &BACKEND,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AzureOptions {
    pub variable: String,
    pub count_variable: String,
    /// The pool of legs without a runner mark, when legs choose their pool.
    pub pool: Option<String>,
    /// `[tool.fanout.azure.runners]`: runner labels to a pool name.
    pub runners: Vec<(String, String)>,
    pub max_jobs: usize,
}

impl AzureOptions {
    pub fn from_options(options: &BackendOptions) -> Result<Self, BackendError> {
        let mut read = AzureOptions {
            variable: DEFAULT_VARIABLE.to_owned(),
            count_variable: DEFAULT_COUNT_VARIABLE.to_owned(),
            pool: None,
            runners: Vec::new(),
            max_jobs: MAX_JOBS,
        };
        for (key, value) in options {
            match key.as_str() {
                "variable" => read.variable = variable_name(key, value)?,
                "count-variable" => read.count_variable = variable_name(key, value)?,
                "pool" => read.pool = Some(option::string(key, value)?),
                "runners" => read.runners = option::runners(key, value, option::one_name)?,
                "max-jobs" => read.max_jobs = option::positive(key, value)?,
                _ => return Err(option::unknown(key, "azure", &KEYS)),
            }
        }
        if read.variable.eq_ignore_ascii_case(&read.count_variable) {
            return Err(option::invalid(
                "count-variable",
                format!(
                    "`{}` is also the matrix's variable; give them different names",
                    read.count_variable
                ),
            ));
        }
        Ok(read)
    }
}

/// An output variable's name: `[A-Za-z0-9_]`, starting with a letter or `_` (so it needs no
/// escaping as a logging-command property and reads the same in `outputs['step.NAME']`).
fn variable_name(key: &str, value: &Value) -> Result<String, BackendError> {
    let name = option::string(key, value)?;
    let ok = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(name)
    } else {
        Err(option::invalid(
            key,
            format!("`{name}` cannot name an output variable: use letters, digits and `_`"),
        ))
    }
}

/// A logging command's value as the agent reads it back: `%` first, then CR and LF.
pub fn escape_data(value: &str) -> String {
    value
        .replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The matrix: leg name -> the leg's variables.
pub fn legs(matrix: &Matrix, options: &AzureOptions) -> Result<Map<String, Value>, BackendError> {
    let with_runner: Vec<_> = matrix
        .entries
        .iter()
        .filter(|e| e.runner.is_some())
        .collect();
    let pools = !with_runner.is_empty() || options.pool.is_some();
    if !with_runner.is_empty() && options.pool.is_none() {
        if let Some(without) = matrix.entries.iter().find(|e| e.runner.is_none()) {
            return Err(BackendError::Refused {
                message: format!("`{}` has a runner mark, so the legs choose their pool with `FANOUT_POOL`, but \
                 `{}` has none", with_runner[0].job_name, without.job_name),
                hint: "set `pool = \"NAME\"` in [tool.fanout.azure] for \
                 the groups without a runner mark".to_owned(),
            });
        }
    }
    let names: Vec<&str> = matrix.entries.iter().map(|e| e.job_name.as_str()).collect();
    let mut out = Map::new();
    for (entry, leg) in matrix.entries.iter().zip(unique_names(&names, &LEG_RULES)) {
        let mut vars = Map::new();
        for (name, value) in entry.job_variables() {
            vars.insert(name.to_owned(), Value::String(value));
        }
        if pools {
            let labels = entry.runner_labels();
            let mapped = labels
                .as_deref()
                .and_then(|l| option::placement(&options.runners, l));
            let pool = match (mapped, labels) {
                (Some(pool), _) => pool.clone(),
                (None, Some(labels)) if labels.len() == 1 => labels[0].clone(),
                (None, Some(labels)) => {
                    return Err(BackendError::Refused {
                        message: format!(
                            "the runner mark of `{}` has {} labels ({}); an Azure Pipelines leg \
                         runs in one pool",
                            entry.job_name,
                            labels.len(),
                            labels.join(", ")
                        ),
                        hint: format!(
                            "map the labels to a pool in pyproject.toml: \
                             [tool.fanout.azure.runners] \"{}\" = \"POOL\", or give the \
                             group one runner label, the pool's name",
                            labels.join(" ")
                        ),
                    })
                }
                (None, None) => options.pool.clone().unwrap_or_default(),
            };
            vars.insert("FANOUT_POOL".to_owned(), Value::String(pool));
        }
        out.insert(leg, Value::Object(vars));
    }
    Ok(out)
}

/// The two logging commands, one a line.
pub fn render(matrix: &Matrix, options: &AzureOptions) -> Result<String, BackendError> {
    let count = matrix.entries.len();
    if count > options.max_jobs {
        return Err(BackendError::TooManyJobs {
            count,
            limit: options.max_jobs,
            platform: "Azure Pipelines",
            scope: "matrix (`max-jobs` in [tool.fanout.azure])",
        });
    }
    let legs = legs(matrix, options)?;
    let json = serde_json::to_string(&Value::Object(legs))
        .map_err(|e| BackendError::Unsupported(format!("cannot write the matrix as JSON: {e}")))?;
    Ok(format!(
        "##vso[task.setvariable variable={};isOutput=true]{}\n\
         ##vso[task.setvariable variable={};isOutput=true]{}\n",
        options.variable,
        escape_data(&json),
        options.count_variable,
        matrix.entries.len()
    ))
}

impl Backend for AzureBackend {
    fn check_options(&self, options: &BackendOptions) -> Result<(), BackendError> {
        AzureOptions::from_options(options).map(drop)
    }

    fn write(
        &self,
        matrix: &Matrix,
        _diagnostics: &[Diagnostic],
        ctx: &mut OutputContext<'_>,
    ) -> Result<(), BackendError> {
        let options = AzureOptions::from_options(ctx.options)?;
        let text = render(matrix, &options)?;
        ctx.write_main(&text)
    }
}

#[cfg(test)]
mod tests;
