//! GitLab's own rules for CI files, as its documentation states them: the numbers and names
//! both the generator ([`crate::pipeline`]) and the checker ([`crate::lint`]) hold to.

/// Bytes a CI file included from an artifact may have.
pub const MAX_FILE_BYTES: usize = 5_000_000;

/// Jobs one `parallel:matrix` may expand to (GitLab's `PARALLEL_LIMIT`).
pub const MAX_MATRIX_JOBS: usize = 200;

/// Characters in a job name, at most; for a matrix job that is the name GitLab derives,
/// `<job>: [<value>, <value>, ...]`.
pub const MAX_JOB_NAME_CHARS: usize = 255;

/// Top-level keys that are not jobs.
pub const RESERVED_KEYS: [&str; 11] = [
    "default",
    "include",
    "stages",
    "variables",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "types",
];

/// The name GitLab gives one job of a `parallel:matrix` (its `MatrixStrategy#name`).
pub fn matrix_job_name(job: &str, values: &[&str]) -> String {
    format!("{job}: [{}]", values.join(", "))
}
