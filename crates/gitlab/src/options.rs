//! The gitlab backend's settings: `[tool.fanout.gitlab]` and `--backend-option KEY=VALUE`.

use fanout_core::backend::option::{self, invalid, string};
use fanout_core::{BackendError, BackendOptions};

/// Every key the backend understands, in the order the docs list them.
pub const KEYS: [&str; 5] = [
    "template",
    "include",
    "template-file",
    "job-prefix",
    "max-jobs",
];

/// The hidden job the generated jobs extend, unless `template` says otherwise.
pub const DEFAULT_TEMPLATE: &str = ".fanout-integration";
/// Name of the generated jobs, unless `job-prefix` says otherwise.
pub const DEFAULT_JOB_PREFIX: &str = "fanout";
/// Jobs one child pipeline may have, unless `max-jobs` says otherwise.
pub const DEFAULT_MAX_JOBS: usize = 1000;

/// Where the job template comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateSource {
    /// The child pipeline `include:`s this file of the repository (`include: - local: PATH`).
    Include(String),
    /// The YAML of this file is copied to the top of the child pipeline.
    Inline(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitlabOptions {
    pub template: String,
    pub source: TemplateSource,
    pub job_prefix: String,
    pub max_jobs: usize,
}

impl GitlabOptions {
    /// Checks the keys and the type of each value, as far as that can be known before the
    /// command line adds its options: for `[tool.fanout.gitlab]` when the settings are loaded.
    pub fn check_keys(options: &BackendOptions) -> Result<(), BackendError> {
        Self::read(options).map(drop)
    }

    /// Reads and checks the options; unknown keys are errors (a typo would otherwise be
    /// silently ignored).
    pub fn from_options(options: &BackendOptions) -> Result<Self, BackendError> {
        let read = Self::read(options)?;
        read.finish()
    }

    fn read(options: &BackendOptions) -> Result<Read, BackendError> {
        let mut template = DEFAULT_TEMPLATE.to_owned();
        let mut job_prefix = DEFAULT_JOB_PREFIX.to_owned();
        let mut max_jobs = DEFAULT_MAX_JOBS;
        let mut include = None;
        let mut template_file = None;
        for (key, value) in options {
            match key.as_str() {
                "template" => template = string(key, value)?,
                "include" => include = Some(string(key, value)?),
                "template-file" => template_file = Some(string(key, value)?),
                "job-prefix" => job_prefix = string(key, value)?,
                "max-jobs" => max_jobs = option::positive(key, value)?,
                _ => return Err(option::unknown(key, "gitlab", &KEYS)),
            }
        }
        Ok(Read {
            template,
            job_prefix,
            max_jobs,
            include,
            template_file,
        })
    }
}

/// The options as read, before the rules that need all of them.
struct Read {
    template: String,
    job_prefix: String,
    max_jobs: usize,
    include: Option<String>,
    template_file: Option<String>,
}

impl Read {
    fn finish(self) -> Result<GitlabOptions, BackendError> {
        let Read {
            template,
            job_prefix,
            max_jobs,
            include,
            template_file,
        } = self;
        let source = match (include, template_file) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "include",
                    "`include` and `template-file` both name the template's file; keep one \
                     (`include` to have GitLab include it, `template-file` to copy it in)",
                ))
            }
            (Some(path), None) => TemplateSource::Include(path),
            (None, Some(path)) => TemplateSource::Inline(path),
            // A child pipeline inherits nothing from its parent: without one of them, `extends`
            // would name a job the child does not have.
            (None, None) => {
                return Err(invalid(
                    "template-file",
                    format!(
                        "the child pipeline needs the job template `{template}`: set \
                         `template-file = \"PATH\"` (copied into the child pipeline) or \
                         `include = \"PATH\"` (included by it) in [tool.fanout.gitlab]"
                    ),
                ))
            }
        };
        check_template_name(&template)?;
        check_job_prefix(&job_prefix)?;
        Ok(GitlabOptions {
            template,
            source,
            job_prefix,
            max_jobs,
        })
    }
}

/// A hidden job: GitLab never runs jobs whose name starts with `.`, so the template itself
/// does not become a job of the child pipeline.
fn check_template_name(name: &str) -> Result<(), BackendError> {
    if !name.starts_with('.') || name.len() < 2 {
        return Err(invalid(
            "template",
            format!(
                "`{name}` is not a hidden job; name the template with a leading dot \
                 (e.g. `{DEFAULT_TEMPLATE}`) so that GitLab does not run it as a job of its own"
            ),
        ));
    }
    if name.chars().any(char::is_control) || name.len() > 255 {
        return Err(invalid(
            "template",
            "must be at most 255 characters, without control characters",
        ));
    }
    Ok(())
}

/// Job names: letters, digits and `_ - . /` and spaces, not starting with `.` (hidden) and
/// short enough that `<prefix> 999/999: [...]` leaves room for the matrix values.
fn check_job_prefix(prefix: &str) -> Result<(), BackendError> {
    let ok = prefix
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ' '));
    if !ok || prefix.starts_with('.') || prefix.trim() != prefix || prefix.len() > 64 {
        return Err(invalid(
            "job-prefix",
            format!(
                "`{prefix}` cannot name GitLab jobs: use at most 64 letters, digits, spaces and \
                 `_ - . /`, not starting with `.` or a space"
            ),
        ));
    }
    if crate::limits::RESERVED_KEYS.contains(&prefix) {
        return Err(invalid(
            "job-prefix",
            format!("`{prefix}` is a reserved top-level keyword in GitLab CI"),
        ));
    }
    Ok(())
}
