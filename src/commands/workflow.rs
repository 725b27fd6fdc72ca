//! What `fanout matrix` tells a GitHub Actions run beyond its outputs: one log line when the
//! matrix is written, and the step summary's account of a change selection or of a failure
//! (what is wrong, and how to fix it). Annotations come from [`super::Context::report`].

use super::Context;
use crate::pipeline::ChangeSelection;
use crate::render::human::{self, plural, Paint};
use fanout_core::escape::markdown;
use fanout_core::{Diagnostic, Matrix, Severity};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io;

/// After a matrix was written: `fanout: 27 jobs from 19 files` in the log and, with
/// `--changed-since`, "N of M jobs" and the jobs left out in the step summary.
pub fn matrix_written(
    cx: &mut Context<'_>,
    matrix: &Matrix,
    changes: Option<&ChangeSelection>,
) -> io::Result<()> {
    if !cx.env.github_actions() {
        return Ok(());
    }
    let files: BTreeSet<&str> = matrix
        .entries
        .iter()
        .map(|e| e.path_to_test_file.as_str())
        .collect();
    let jobs = matrix.entries.len();
    let count = match changes {
        Some(changes) => format!("{jobs} of {}", plural(changes.all_jobs.len(), "job")),
        None => plural(jobs, "job"),
    };
    human::line(
        &mut cx.streams.err,
        "fanout:",
        &format!("{count} from {}", plural(files.len(), "file")),
        Paint::new(false),
    )?;
    match changes {
        Some(changes) => append_summary(cx, &selection_summary(jobs, changes)),
        None => Ok(()),
    }
}

/// After `matrix` failed: the step summary says why no matrix was written and how to fix it.
pub fn matrix_failed(cx: &mut Context<'_>) -> io::Result<()> {
    if !cx.env.github_actions() {
        return Ok(());
    }
    let text = failure_summary(&cx.reported);
    append_summary(cx, &text)
}

/// Appends to `$GITHUB_STEP_SUMMARY` when it names a file. The summary is a courtesy: a
/// failure to write it is a warning, never the step's result.
pub fn append_summary(cx: &mut Context<'_>, text: &str) -> io::Result<()> {
    let Some(path) = cx.env.get("GITHUB_STEP_SUMMARY") else {
        return Ok(());
    };
    match fanout_core::backend::append_lines(std::path::Path::new(path), text) {
        Ok(()) => Ok(()),
        Err(e) => human::line(
            &mut cx.streams.err,
            "warning:",
            &format!("cannot write the step summary: {e}"),
            Paint::new(false),
        ),
    }
}

/// "N of M jobs" with the reason, and the jobs left out in a collapsed block.
fn selection_summary(selected: usize, changes: &ChangeSelection) -> String {
    let total = changes.all_jobs.len();
    let base = changes.outcome.base.as_deref().unwrap_or("the base");
    let mut out = String::new();
    if let Some(reason) = changes.outcome.selection.everything.first() {
        let _ = writeln!(
            out,
            "**{selected} of {total} jobs** run: every job, because {}.\n",
            markdown(reason)
        );
        return out;
    }
    let _ = writeln!(
        out,
        "**{selected} of {total} jobs** run: the ones the changes since {} affect.\n",
        markdown(base)
    );
    let left_out = changes.left_out();
    if left_out.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "<details><summary>{} left out</summary>\n",
        plural(left_out.len(), "job")
    );
    for job in left_out {
        let _ = writeln!(
            out,
            "- {}: no change since {} reaches it",
            markdown(&job.to_string()),
            markdown(base)
        );
    }
    out.push_str(
        "\n`fanout affected --explain`, with the same base, shows the changes and why each job \
         runs.\n\n</details>\n\n",
    );
    out
}

/// The errors that stopped the matrix, each with its fix, and where to learn more.
fn failure_summary(reported: &[Diagnostic]) -> String {
    let errors: Vec<&Diagnostic> = reported
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let mut out = String::from("### fanout: no matrix written\n\n");
    out.push_str(
        "fanout writes no matrix while a test could be left out of CI or the setup is wrong. \
         Fix each error below (the hint says how), then push again.\n\n",
    );
    if !errors.is_empty() {
        out.push_str("| Where | Error | How to fix |\n| --- | --- | --- |\n");
        for d in &errors {
            let location = if d.path.is_empty() {
                "—".to_owned()
            } else {
                markdown(&d.location())
            };
            let _ = writeln!(
                out,
                "| {location} | {}: {} | {} |",
                markdown(d.code.as_str()),
                markdown(&d.message),
                d.hint.as_deref().map_or_else(|| "—".to_owned(), markdown)
            );
        }
        out.push('\n');
    }
    out.push_str(
        "Locally, `fanout check` reports the same problems with their source lines, and \
         `fanout check --explain CODE` explains a code.\n\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use fanout_core::Code;

    #[test]
    fn failure_summary_lists_each_error_with_its_fix() {
        let reported = [
            Diagnostic::error(
                Code::MixedGrouping,
                "tests/test_a.py",
                "test_x has no group",
            )
            .at(3, 5)
            .with_hint("add @pytest.mark.group(ID)"),
            Diagnostic::warning(Code::UnresolvedBase, "tests/test_b.py", "not an error"),
        ];
        let text = failure_summary(&reported);
        assert!(
            text.starts_with("### fanout: no matrix written\n"),
            "{text}"
        );
        assert!(text.contains("| tests/test\\_a.py:3:5 | mixed\\-grouping: test\\_x has no group | add @pytest.mark.group\\(ID\\) |"), "{text}");
        assert!(!text.contains("not an error"), "{text}");
        assert!(text.contains("fanout check --explain CODE"), "{text}");
    }
}
