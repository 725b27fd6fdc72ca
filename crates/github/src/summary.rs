//! The Markdown section for `$GITHUB_STEP_SUMMARY`.

use fanout_core::escape::markdown;
use fanout_core::{Diagnostic, Matrix, MatrixEntry, Runner, Severity};
use std::fmt::Write;

/// A heading, a Job | Tests | Runner table (or a line saying there are no jobs), and the
/// warnings as a list.
pub fn step_summary(matrix: &Matrix, diagnostics: &[Diagnostic]) -> String {
    let count = matrix.entries.len();
    let jobs = if count == 1 { "job" } else { "jobs" };
    let mut out = format!("### fanout: {count} {jobs}\n\n");
    if matrix.entries.is_empty() {
        out.push_str("No jobs: nothing selected.\n");
    } else {
        out.push_str("| Job | Tests | Runner |\n| --- | ---: | --- |\n");
        for entry in &matrix.entries {
            writeln!(
                out,
                "| {} | {} | {} |",
                cell(&entry.job_name),
                entry.node_ids.len(),
                cell(&runner_labels(entry))
            )
            .expect("writing to a String cannot fail");
        }
    }
    let warnings: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    if !warnings.is_empty() {
        out.push_str("\nWarnings:\n\n");
        for d in warnings {
            let location = if d.line == 0 {
                d.path.clone()
            } else {
                format!("{}:{}", d.path, d.line)
            };
            writeln!(out, "- {}: {}", markdown(&location), markdown(&d.message))
                .expect("writing to a String cannot fail");
        }
    }
    out.push('\n');
    out
}

fn runner_labels(entry: &MatrixEntry) -> String {
    let labels = match &entry.runner {
        None => String::new(),
        Some(Runner::Label(label)) => label.clone(),
        Some(Runner::Labels(labels)) => labels.join(", "),
    };
    if labels.is_empty() {
        "—".to_owned()
    } else {
        labels
    }
}

/// A table cell: text from the repository, inert (see [`markdown`]).
fn cell(text: &str) -> String {
    markdown(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fanout_core::Code;

    fn entry(job_name: &str, tests: usize, runner: Option<Runner>) -> MatrixEntry {
        MatrixEntry {
            path_to_test_file: "t/test_a.py".into(),
            group_id: Some("1".into()),
            group_number: Some(1),
            job_name: job_name.into(),
            artifact_group_id: fanout_core::matrix::artifact_safe(job_name),
            node_ids: (0..tests)
                .map(|i| format!("t/test_a.py::test_{i}").into())
                .collect(),
            runner,
        }
    }

    #[test]
    fn table_escapes_pipes_and_joins_labels() {
        let matrix = Matrix {
            entries: vec![
                entry("test_a.py | group 1", 3, None),
                entry(
                    "test_a.py | group 2",
                    1,
                    Some(Runner::Labels(vec![
                        "ubuntu-latest".into(),
                        "big|box".into(),
                    ])),
                ),
                entry("test_b.py", 2, Some(Runner::Label("large".into()))),
            ],
        };
        assert_eq!(
            step_summary(&matrix, &[]),
            "### fanout: 3 jobs\n\
             \n\
             | Job | Tests | Runner |\n\
             | --- | ---: | --- |\n\
             | test\\_a.py \\| group 1 | 3 | — |\n\
             | test\\_a.py \\| group 2 | 1 | ubuntu\\-latest, big\\|box |\n\
             | test\\_b.py | 2 | large |\n\
             \n"
        );
    }

    #[test]
    fn no_jobs_says_so_instead_of_a_table() {
        assert_eq!(
            step_summary(&Matrix::default(), &[]),
            "### fanout: 0 jobs\n\nNo jobs: nothing selected.\n\n"
        );
    }

    #[test]
    fn warnings_are_listed_errors_are_not() {
        let matrix = Matrix {
            entries: vec![entry(
                "test_a.py | group 1",
                1,
                Some(Runner::Labels(vec![])),
            )],
        };
        let diagnostics = [
            Diagnostic::warning(Code::ClassNotCollected, "t/test_a.py", "class skipped").at(7, 1),
            Diagnostic::warning(Code::UnresolvedBase, "t/test_b.py", "base\nunknown"),
            Diagnostic::error(Code::MixedGrouping, "t/test_c.py", "not shown").at(2, 1),
        ];
        assert_eq!(
            step_summary(&matrix, &diagnostics),
            "### fanout: 1 job\n\
             \n\
             | Job | Tests | Runner |\n\
             | --- | ---: | --- |\n\
             | test\\_a.py \\| group 1 | 1 | — |\n\
             \n\
             Warnings:\n\
             \n\
             - t/test\\_a.py:7: class skipped\n\
             - t/test\\_b.py: base\\\\nunknown\n\
             \n"
        );
    }

    #[test]
    fn line_breaks_cannot_end_a_row() {
        assert_eq!(cell("a\nb|c\r"), "a\\\\nb\\|c\\\\r");
    }

    #[test]
    fn a_file_name_cannot_write_markdown() {
        let matrix = Matrix {
            entries: vec![entry("x\n# heading <img src=x> [a](b)", 1, None)],
        };
        let text = step_summary(&matrix, &[]);
        let row = text
            .lines()
            .find(|l| l.starts_with("| x"))
            .expect("one row for the job");
        assert_eq!(
            row,
            "| x\\\\n\\# heading \\<img src=x\\> \\[a\\]\\(b\\) | 1 | — |"
        );
        assert_eq!(text.lines().filter(|l| l.starts_with('#')).count(), 1);
    }
}
