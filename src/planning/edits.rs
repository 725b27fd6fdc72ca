//! `--diff` and `--write`: the group marks the plan means, as edits of the test files.

use super::PreparedFile;
use fanout_core::matrix::UngroupedPolicy;
use fanout_core::{Code, Diagnostic};
use fanout_plan::PlannedFile;
use fanout_pytest::group_edit::{edit_group_marks, Assignments};
use std::path::Path;

pub use fanout_core::files::FileEdit;

/// Each planned file's edit (only those that change) and what was left alone. A file planned
/// as one group keeps `group(1)` marks, unless `ungrouped = "whole-file"` makes a file without
/// marks one job: then its marks go.
pub fn edits(
    rootdir: &Path,
    files: &[PreparedFile],
    planned: &[PlannedFile],
    policy: UngroupedPolicy,
) -> (Vec<FileEdit>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut diagnostics = Vec::new();
    for (file, plan) in files.iter().zip(planned) {
        let rel = &file.input.path;
        let whole = plan.groups.len() == 1 && policy == UngroupedPolicy::WholeFile;
        let mut assignments = Assignments::new();
        for (i, group) in plan.groups.iter().enumerate() {
            let id = i64::try_from(i + 1).unwrap_or(i64::MAX);
            for &u in &group.units {
                assignments.insert(file.names[u].clone(), (!whole).then_some(id));
            }
        }
        let path = rootdir.join(rel);
        let before = match fanout_core::files::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                diagnostics.push(Diagnostic::error(
                    Code::IoError,
                    rel,
                    format!("cannot read it: {e}"),
                ));
                continue;
            }
        };
        let edited = match edit_group_marks(&before, &assignments) {
            Ok(edited) => edited,
            Err(message) => {
                diagnostics.push(Diagnostic::error(Code::SyntaxError, rel, message));
                continue;
            }
        };
        // A test left as it is matters only where the plan moves it: its group now is what the
        // plan would write.
        let now: std::collections::HashMap<&str, (Option<Option<i64>>, Option<i64>)> = file
            .names
            .iter()
            .zip(&file.groups_now)
            .map(|(name, now)| {
                (
                    name.as_str(),
                    (*now, assignments.get(name).copied().flatten()),
                )
            })
            .collect();
        let moved: Vec<_> = edited
            .skipped
            .into_iter()
            .filter(|s| match now.get(s.function.as_str()) {
                Some((Some(Some(current)), Some(wanted))) => current != wanted,
                Some((None, None)) => false,
                _ => true,
            })
            .collect();
        for skipped in &moved {
            let d = Diagnostic::warning(
                Code::NotRewritten,
                rel,
                format!("`{}` not rewritten: {}", skipped.function, skipped.reason),
            );
            diagnostics.push(if skipped.line > 0 {
                d.at(skipped.line, 1)
            } else {
                d
            });
        }
        // A file where one test cannot move is left whole: half a plan is no plan.
        if moved.is_empty() && edited.text != before {
            out.push(FileEdit {
                path,
                rel: rel.clone(),
                before: Some(before),
                after: edited.text,
            });
        }
    }
    (out, diagnostics)
}
