//! The closest `group` and `runner` marks of a test, as pytest's `get_closest_marker`.

use crate::diagnostics::FileDiagnostics;
use crate::marks::{Bindings, MarkRef};
use crate::params::ParamGroups;
use crate::values;
use fanout_core::{Code, GroupId, GroupSource, Mark, Runner};
use ruff_text_size::TextRange;

/// The marks of one node on the way from a test up to its module, closest first.
pub struct Level<'a> {
    pub source: GroupSource,
    pub what: String,
    pub marks: Vec<MarkRef<'a>>,
}

/// What resolving reads and reports to: the module's mark bindings and its diagnostics.
pub struct Resolver<'r, 'a> {
    pub bindings: &'r Bindings<'a>,
    pub diagnostics: &'r mut FileDiagnostics<'a>,
}

/// Ok(None): no group anywhere. Err(()): a problem was reported as a diagnostic.
pub type GroupOutcome = Result<Option<(GroupId, GroupSource)>, ()>;

pub fn group(
    c: &mut Resolver<'_, '_>,
    levels: &[Level<'_>],
    params: &ParamGroups<'_>,
) -> GroupOutcome {
    if let ParamGroups::Dynamic(range) = params {
        report_dynamic(
            c,
            *range,
            "group marks inside parameters built at run time (a comprehension or a call) cannot be known statically".into(),
        );
        return Err(());
    }
    for (i, level) in levels.iter().enumerate() {
        let groups: Vec<&MarkRef<'_>> = level.marks.iter().filter(|m| m.name == "group").collect();
        if i == 0 {
            if let ParamGroups::Static(per_parametrize) = params {
                return param_group(c, level, &groups, per_parametrize);
            }
        }
        match groups.as_slice() {
            [] => continue,
            [mark] => return resolve_one(c, mark, level.source),
            [_, second, ..] => {
                let mut message = format!(
                    "{} has {} group marks; pytest would use only the closest one",
                    level.what,
                    groups.len()
                );
                if level.source == GroupSource::Class {
                    message.push_str(" (for a class hierarchy, the base class's mark comes first)");
                }
                let d = c
                    .diagnostics
                    .error(Code::DuplicateGroupMark, second.range, message)
                    .with_hint("keep one group mark per function, class or module");
                c.diagnostics.push(d);
                return Err(());
            }
        }
    }
    Ok(None)
}

fn param_group(
    c: &mut Resolver<'_, '_>,
    level: &Level<'_>,
    decorator_groups: &[&MarkRef<'_>],
    per_parametrize: &[Vec<Vec<MarkRef<'_>>>],
) -> GroupOutcome {
    let first_param_mark = per_parametrize
        .iter()
        .flatten()
        .flatten()
        .next()
        .map(|m| m.range)
        .unwrap_or_default();
    let fail = |c: &mut Resolver<'_, '_>, message: String| {
        let d = c
            .diagnostics.error(Code::ParameterGroups, first_param_mark, message)
            .with_hint("fanout's jobs are per test function: give the function one group, or split it into one function per group");
        c.diagnostics.push(d);
        Err(())
    };
    if !decorator_groups.is_empty() {
        return fail(
            c,
            format!(
                "{} has a group mark and also group marks on its parameters",
                level.what
            ),
        );
    }
    if per_parametrize.len() > 1 {
        return fail(
            c,
            format!(
                "{} has group marks in more than one parametrize",
                level.what
            ),
        );
    }
    let mut ids: Vec<GroupId> = Vec::new();
    for param in &per_parametrize[0] {
        match param.as_slice() {
            [] => {
                return fail(
                    c,
                    format!(
                        "some parameters of {} have a group mark and others do not",
                        level.what
                    ),
                )
            }
            [mark] => ids.push(
                resolve_one(c, mark, GroupSource::Function)?
                    .map(|(id, _)| id)
                    .ok_or(())?,
            ),
            _ => {
                return fail(
                    c,
                    format!("a parameter of {} has several group marks", level.what),
                )
            }
        }
    }
    ids.dedup();
    match ids.as_slice() {
        [id] => Ok(Some((id.clone(), GroupSource::Function))),
        _ => fail(
            c,
            format!(
                "the parameters of {} are in different groups ({})",
                level.what,
                ids.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    }
}

fn resolve_one(c: &mut Resolver<'_, '_>, mark: &MarkRef<'_>, source: GroupSource) -> GroupOutcome {
    if mark.chained {
        let d = c
            .diagnostics
            .error(Code::InvalidGroupMark, mark.range, "`group` is called twice, as in `group(12)(13)`: pytest merges the calls into one mark with several ids".into())
            .with_hint("write @pytest.mark.group(ID) with one call");
        c.diagnostics.push(d);
        return Err(());
    }
    match values::group_id(mark, c.bindings) {
        Ok((id, range)) => match id.validate() {
            Ok(()) => Ok(Some((id, source))),
            Err(e) => {
                let d = c
                    .diagnostics
                    .error(Code::InvalidGroupId, range, e.to_string())
                    .with_hint("use letters, digits, spaces and `_ . - + @ , =` in group ids");
                c.diagnostics.push(d);
                Err(())
            }
        },
        Err(problem) if problem.dynamic => {
            report_dynamic(c, problem.range, problem.message);
            Err(())
        }
        Err(problem) => {
            let d = c
                .diagnostics
                .error(Code::InvalidGroupMark, problem.range, problem.message);
            c.diagnostics.push(d);
            Err(())
        }
    }
}

fn report_dynamic(c: &mut Resolver<'_, '_>, range: TextRange, message: String) {
    let d = c
        .diagnostics
        .error(
            Code::DynamicGroupId,
            range,
            format!("group id cannot be known without running the code: {message}"),
        )
        .with_hint("use an int or str literal, or a module-level constant assigned once to one");
    c.diagnostics.push(d);
}

/// The closest `runner` mark's labels; a bad value is reported and treated as none.
pub fn runner(c: &mut Resolver<'_, '_>, levels: &[Level<'_>]) -> Option<Runner> {
    let mark = levels
        .iter()
        .flat_map(|l| l.marks.iter())
        .find(|m| m.name == "runner")?;
    match values::runner(mark, c.bindings) {
        Ok(runner) => Some(runner),
        Err(problem) => {
            let d = c
                .diagnostics
                .error(Code::InvalidRunner, problem.range, problem.message);
            c.diagnostics.push(d);
            None
        }
    }
}

pub fn mark_for_selection(mark: &MarkRef<'_>, b: &Bindings<'_>) -> Mark {
    let kwargs = mark
        .arguments
        .map(|args| {
            args.keywords
                .iter()
                .filter_map(|k| {
                    Some((k.arg.as_ref()?.to_string(), values::mark_value(&k.value, b)))
                })
                .collect()
        })
        .unwrap_or_default();
    Mark {
        name: mark.name.to_owned(),
        kwargs,
    }
}
