//! The closest `group` and `runner` marks of a test, as pytest's `get_closest_marker`.

use crate::cases::Problem;
use crate::diagnostics::FileDiagnostics;
use crate::eval::{Evaluator, MarkCall, Value};
use crate::marks::{Bindings, MarkRef};
use crate::values;
use fanout_core::{Code, GroupId, GroupSource, Mark, Runner, SharedStr};
use ruff_text_size::TextRange;

/// The marks of one node on the way from a test up to its module, closest first.
pub struct Level<'a> {
    pub source: GroupSource,
    pub what: Subject<'a>,
    pub marks: LevelMarkRefs<'a>,
}

/// A level's marks: the function's own, or a class's or the module's, shared by every one of
/// their tests.
pub enum LevelMarkRefs<'a> {
    Own(Vec<MarkRef<'a>>),
    Shared(std::rc::Rc<[MarkRef<'a>]>),
}

impl<'a> std::ops::Deref for LevelMarkRefs<'a> {
    type Target = [MarkRef<'a>];

    fn deref(&self) -> &[MarkRef<'a>] {
        match self {
            LevelMarkRefs::Own(marks) => marks,
            LevelMarkRefs::Shared(marks) => marks,
        }
    }
}

/// What a level's marks sit on, as diagnostics name it (written only when one is reported).
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Function(&'a str),
    Class(&'a str),
    Module,
}

impl std::fmt::Display for Subject<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Function(name) => write!(f, "function `{name}`"),
            Subject::Class(name) => write!(f, "class `{name}`"),
            Subject::Module => f.write_str("the module"),
        }
    }
}

/// What resolving reads and reports to: the module's mark bindings and its diagnostics.
pub struct Resolver<'r, 'a> {
    pub bindings: &'r Bindings<'a>,
    pub evaluator: &'r mut Evaluator<'a, 'a>,
    pub diagnostics: &'r mut FileDiagnostics<'a>,
}

/// Ok(None): no group anywhere. Err(()): a problem was reported as a diagnostic.
pub type GroupOutcome = Result<Option<(GroupId, GroupSource)>, ()>;

/// The closest group of an item: the function's own marks, then its parameters' (a listed
/// case's `case_marks`), then the classes', then the module's.
pub fn group<'a>(
    c: &mut Resolver<'_, 'a>,
    levels: &[Level<'a>],
    case_marks: &[Value],
) -> GroupOutcome {
    if let Some(outcome) = decorator_and_parameter_groups(c, levels, case_marks) {
        return outcome;
    }
    for (i, level) in levels.iter().enumerate() {
        if i == 1 {
            if let Some(found) = case_group(c, case_marks) {
                return found;
            }
        }
        let groups: Vec<&MarkRef<'_>> = level.marks.iter().filter(|m| m.name == "group").collect();
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

/// A group mark on the function and another on one of its parameters: both sit on pytest's
/// item, which uses the function's. As with two marks at one level, that is an error.
fn decorator_and_parameter_groups(
    c: &mut Resolver<'_, '_>,
    levels: &[Level<'_>],
    case_marks: &[Value],
) -> Option<GroupOutcome> {
    let function = levels.first()?;
    function.marks.iter().find(|m| m.name == "group")?;
    let parameter = case_marks.iter().find_map(|m| match m {
        Value::Mark(mark) if &*mark.name == "group" => Some(mark),
        _ => None,
    })?;
    let d = c
        .diagnostics
        .error(
            Code::DuplicateGroupMark,
            parameter.range,
            format!(
                "{} has a group mark and so does this parameter; pytest would use only the function's",
                function.what
            ),
        )
        .with_hint("keep the group mark on the function or on its parameters, not both");
    c.diagnostics.push(d);
    Some(Err(()))
}

/// The group a listed case's own parameters give it, if they carry a group mark.
fn case_group(c: &mut Resolver<'_, '_>, case_marks: &[Value]) -> Option<GroupOutcome> {
    let groups: Vec<&MarkCall> = case_marks
        .iter()
        .filter_map(|m| match m {
            Value::Mark(mark) if &*mark.name == "group" => Some(&**mark),
            _ => None,
        })
        .collect();
    match groups.as_slice() {
        [] => None,
        [mark] => Some(match values::group_id_of_value(mark) {
            Ok(id) => validated(c, id, mark.range, GroupSource::Parameter),
            Err(problem) => {
                report_problem(c, problem);
                Err(())
            }
        }),
        [_, second, ..] => {
            let d = c
                .diagnostics
                .error(
                    Code::DuplicateGroupMark,
                    second.range,
                    format!(
                        "a parameter has {} group marks; pytest would use only the first",
                        groups.len()
                    ),
                )
                .with_hint("keep one group mark per parameter");
            c.diagnostics.push(d);
            Some(Err(()))
        }
    }
}

/// The group of a function whose cases fanout can count but not name: one group for all
/// of them is fine (the job names the function); different groups cannot be split.
pub fn group_of_unlisted_cases<'a>(
    c: &mut Resolver<'_, 'a>,
    levels: &[Level<'a>],
    all_case_marks: &[&[Value]],
    problem: &Problem,
) -> GroupOutcome {
    let function_has_group = levels
        .first()
        .is_some_and(|l| l.marks.iter().any(|m| m.name == "group"));
    let any_case_group = all_case_marks
        .iter()
        .flat_map(|marks| marks.iter())
        .any(|m| matches!(m, Value::Mark(mark) if &*mark.name == "group"));
    if function_has_group && any_case_group {
        let with_group = all_case_marks.iter().find(|marks| {
            marks
                .iter()
                .any(|m| matches!(m, Value::Mark(mark) if &*mark.name == "group"))
        });
        return group(c, levels, with_group.copied().unwrap_or_default());
    }
    if !any_case_group {
        return group(c, levels, &[]);
    }
    let mut found: Vec<Option<GroupId>> = Vec::new();
    for marks in all_case_marks {
        let outcome = group(c, levels, marks)?;
        let id = outcome.map(|(id, _)| id);
        if !found.contains(&id) {
            found.push(id);
        }
    }
    match found.as_slice() {
        [Some(id)] => Ok(Some((id.clone(), GroupSource::Parameter))),
        _ => {
            let shown: Vec<String> = found
                .iter()
                .map(|g| {
                    g.as_ref()
                        .map_or_else(|| "no group".to_owned(), GroupId::quoted)
                })
                .collect();
            let d = c
                .diagnostics
                .error(
                    Code::ParameterGroups,
                    problem.range,
                    format!(
                        "the parameters of {} are in different groups ({}), but fanout cannot name their cases: {}",
                        levels
                            .first()
                            .map_or_else(|| "this test".to_owned(), |l| l.what.to_string()),
                        shown.join(", "),
                        problem.why
                    ),
                )
                .with_hint(problem.hint.unwrap_or("give each parameter an id with pytest.param(..., id=\"...\"), so each job can list its cases"));
            c.diagnostics.push(d);
            Err(())
        }
    }
}

/// The group of a function whose parameters are only known at run time: a group mark
/// inside them cannot be resolved.
pub fn group_of_unknown_cases<'a>(
    c: &mut Resolver<'_, 'a>,
    levels: &[Level<'a>],
    parametrize: &[MarkRef<'a>],
    problem: &Problem,
) -> GroupOutcome {
    let function_has_group = levels
        .first()
        .is_some_and(|l| l.marks.iter().any(|m| m.name == "group"));
    if !function_has_group {
        let hidden = parametrize
            .iter()
            .filter_map(crate::params::argvalues)
            .find_map(|values| crate::params::first_group_mark(values, c.bindings));
        if let Some(range) = hidden {
            report_dynamic(
                c,
                range,
                format!(
                    "group marks inside parameters fanout cannot evaluate ({})",
                    problem.why
                ),
            );
            return Err(());
        }
    }
    group(c, levels, &[])
}

fn validated(
    c: &mut Resolver<'_, '_>,
    id: GroupId,
    range: TextRange,
    source: GroupSource,
) -> GroupOutcome {
    match id.validate() {
        Ok(()) => Ok(Some((id, source))),
        Err(e) => {
            let d = c
                .diagnostics
                .error(Code::InvalidGroupId, range, e.to_string())
                .with_hint("use letters, digits, spaces and `_ . - + @ , =` in group ids");
            c.diagnostics.push(d);
            Err(())
        }
    }
}

fn report_problem(c: &mut Resolver<'_, '_>, problem: values::ValueProblem) {
    if problem.dynamic {
        report_dynamic(c, problem.range, problem.message);
    } else {
        let d = c
            .diagnostics
            .error(Code::InvalidGroupMark, problem.range, problem.message);
        c.diagnostics.push(d);
    }
}

fn resolve_one<'a>(
    c: &mut Resolver<'_, 'a>,
    mark: &MarkRef<'a>,
    source: GroupSource,
) -> GroupOutcome {
    if mark.chained {
        let d = c
            .diagnostics
            .error(
                Code::InvalidGroupMark,
                mark.range,
                "`group` is called twice, as in `group(12)(13)`: pytest merges the calls into one mark with several ids".into(),
            )
            .with_hint("write @pytest.mark.group(ID) with one call");
        c.diagnostics.push(d);
        return Err(());
    }
    match values::group_id(mark, c.evaluator) {
        Ok((id, range)) => validated(c, id, range, source),
        Err(problem) => {
            report_problem(c, problem);
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
        .with_hint("compute the id from literals and module-level data fanout can evaluate (docs/collection.md)");
    c.diagnostics.push(d);
}

/// The closest `runner` mark's labels (the function's, its parameters', then outer levels');
/// a bad value is reported and treated as none.
pub fn runner<'a>(
    c: &mut Resolver<'_, 'a>,
    levels: &[Level<'a>],
    case_marks: &[Value],
) -> Option<Runner> {
    let (function, outer) = levels.split_at(1.min(levels.len()));
    fn closest<'a>(levels: &[Level<'a>]) -> Option<MarkRef<'a>> {
        levels
            .iter()
            .flat_map(|l| l.marks.iter())
            .find(|m| m.name == "runner")
            .copied()
    }
    let outcome = if let Some(mark) = closest(function) {
        values::runner(&mark, c.evaluator)
    } else if let Some(mark) = case_marks.iter().find_map(|m| match m {
        Value::Mark(mark) if &*mark.name == "runner" => Some(mark),
        _ => None,
    }) {
        values::runner_of_value(mark)
    } else {
        values::runner(&closest(outer)?, c.evaluator)
    };
    match outcome {
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

/// The names of a module's marks, one shared copy each: a suite names a few marks on every
/// one of its tests.
#[derive(Default)]
pub struct MarkNames(Vec<SharedStr>);

impl MarkNames {
    pub fn get(&mut self, name: &str) -> SharedStr {
        // Linear: a module uses a handful of mark names.
        if let Some(shared) = self.0.iter().find(|shared| shared.as_str() == name) {
            return shared.clone();
        }
        let shared = SharedStr::from(name);
        self.0.push(shared.clone());
        shared
    }
}

/// A parameter's mark for `-m`, when it is a known mark.
pub fn value_mark_for_selection(value: &Value, names: &mut MarkNames) -> Option<Mark> {
    let Value::Mark(mark) = value else {
        return None;
    };
    Some(Mark {
        name: names.get(&mark.name),
        kwargs: mark
            .kwargs
            .iter()
            .map(|(k, v)| (k.to_string(), values::mark_value_of_value(v)))
            .collect(),
    })
}

pub fn mark_for_selection<'a>(
    mark: &MarkRef<'a>,
    evaluator: &mut Evaluator<'_, 'a>,
    names: &mut MarkNames,
) -> Mark {
    let kwargs = mark
        .arguments
        .map(|args| {
            args.keywords
                .iter()
                .filter_map(|k| {
                    Some((
                        k.arg.as_ref()?.to_string(),
                        values::mark_value(&k.value, evaluator),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    Mark {
        name: names.get(mark.name),
        kwargs,
    }
}
