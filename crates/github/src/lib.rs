//! The `github` backend: step outputs for a dynamic GitHub Actions matrix.
//!
//! Two step outputs are written as `name=value` lines:
//!
//! ```text
//! groups=[{"path_to_test_file":"tests/test_a.py","group_id":"1",...}]
//! count=1
//! ```
//!
//! `groups` is the matrix as a single-line JSON array (for
//! `fromJSON(needs.collect.outputs.groups)`), `count` the number of jobs (guard the matrix job
//! with `if: needs.collect.outputs.count != '0'`: an empty matrix is an error on GitHub).
//!
//! Where the lines go:
//! - `--output FILE`: appended to FILE. `--output` overrides `$GITHUB_OUTPUT`.
//! - otherwise `$GITHUB_OUTPUT`: appended to the file it names (created if missing).
//! - Appending starts on a new line when the file does not end with one, and happens last,
//!   after the step summary, so a failure leaves no `groups=` behind.
//! - otherwise: printed to standard output.
//!
//! When `$GITHUB_STEP_SUMMARY` names a file, a Markdown job table is appended to it too.
//!
//! GitHub Actions runs at most [`MAX_JOBS`] jobs per matrix and keeps at most
//! [`MAX_OUTPUT_BYTES`] of outputs per job: a matrix over either limit is refused and nothing
//! is written.

mod summary;

pub use summary::step_summary;

use fanout_core::backend::append_lines;
use fanout_core::{Backend, BackendError, BackendRegistration, Diagnostic, Matrix, OutputContext};
use std::path::{Path, PathBuf};

/// Jobs one matrix expands to, at most.
pub const MAX_JOBS: usize = 256;
/// Bytes of outputs one job may set, at most.
pub const MAX_OUTPUT_BYTES: usize = 1_000_000;

const PLATFORM: &str = "GitHub Actions";

pub struct GithubBackend;

static BACKEND: GithubBackend = GithubBackend;

inventory::submit! {
    BackendRegistration {
        name: "github",
        summary: "GitHub Actions: `groups` and `count` step outputs in $GITHUB_OUTPUT, \
                  a job table in the step summary",
        backend: &BACKEND,
    }
}

/// The `groups=...` and `count=...` lines, or the limit the matrix breaks.
pub fn step_outputs(matrix: &Matrix) -> Result<String, BackendError> {
    let count = matrix.entries.len();
    if count > MAX_JOBS {
        return Err(BackendError::TooManyJobs {
            count,
            limit: MAX_JOBS,
            platform: PLATFORM,
            scope: "matrix",
        });
    }
    let groups = serde_json::to_string(&matrix.entries)
        .expect("matrix entries have string keys and no fallible serializers");
    let mut text = output_line("groups", &groups);
    text.push_str(&output_line("count", &count.to_string()));
    if text.len() > MAX_OUTPUT_BYTES {
        return Err(BackendError::TooLarge {
            bytes: text.len(),
            limit: MAX_OUTPUT_BYTES,
            platform: PLATFORM,
            scope: "job outputs",
        });
    }
    Ok(text)
}

/// One `name=value` line. The simple form is only valid for single-line values; compact
/// `serde_json` output escapes every control character, so a newline cannot occur.
fn output_line(name: &str, value: &str) -> String {
    assert!(
        !value.contains(['\n', '\r']),
        "step output {name} must be a single line"
    );
    format!("{name}={value}\n")
}

/// A file named by an environment variable; unset and empty both mean "none".
fn env_path(ctx: &OutputContext<'_>, name: &str) -> Option<PathBuf> {
    (ctx.env)(name)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
}

impl Backend for GithubBackend {
    fn write(
        &self,
        matrix: &Matrix,
        diagnostics: &[Diagnostic],
        ctx: &mut OutputContext<'_>,
    ) -> Result<(), BackendError> {
        let outputs = step_outputs(matrix)?;
        let target = ctx
            .output
            .map(Path::to_path_buf)
            .or_else(|| env_path(ctx, "GITHUB_OUTPUT"));
        // The summary first: `groups=` is what later jobs act on, so it is written last, once
        // everything else has succeeded.
        if let Some(path) = env_path(ctx, "GITHUB_STEP_SUMMARY") {
            append_lines(&path, &step_summary(matrix, diagnostics))?;
        }
        match target {
            Some(path) => append_lines(&path, &outputs),
            None => ctx
                .stdout
                .write_all(outputs.as_bytes())
                .map_err(BackendError::Stdout),
        }
    }
}

#[cfg(test)]
mod tests;
