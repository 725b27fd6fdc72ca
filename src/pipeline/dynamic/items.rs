//! pytest's items of one file as fanout's tests: node ids exactly as pytest built them, groups
//! and runners from pytest's closest marks, checked as the static path checks its own.

use crate::pytest_run::{CollectedItem, MarkReading};
use fanout_core::{Code, Diagnostic, GroupId, GroupSource, ParamCase, Runner, TestItem};
use std::collections::{HashMap, HashSet};

/// What is known of the file besides pytest's items.
pub struct FileContext<'a> {
    /// Relative to the rootdir, `/`-separated, as in node ids.
    pub path: &'a str,
    /// The collect path the file was found under.
    pub test_root: &'a str,
    /// fanout's own tests of the file: they know the lines of the functions they list.
    pub static_tests: &'a [TestItem],
    /// The file's text, for the line of a function fanout did not list.
    pub source: Option<&'a str>,
}

/// One test per item, in pytest's order, and the problems with their marks (once per
/// function). `deselected` are node ids pytest left out: a function's cases count them, so
/// that a job holding every selected case still names them one by one.
pub fn test_items(
    file: &FileContext<'_>,
    items: &[&CollectedItem],
    deselected: &[String],
) -> (Vec<TestItem>, Vec<Diagnostic>) {
    let mut cases: HashMap<&str, u32> = HashMap::new();
    for item in items {
        *cases.entry(item.function_node_id.as_str()).or_default() += 1;
    }
    for (function, count) in cases.iter_mut() {
        let prefix = format!("{function}[");
        let left_out = deselected.iter().filter(|d| d.starts_with(&prefix)).count();
        *count = count.saturating_add(u32::try_from(left_out).unwrap_or(u32::MAX));
    }
    let mut reported: HashSet<(Code, &str)> = HashSet::new();
    let mut diagnostics = Vec::new();
    let mut tests = Vec::with_capacity(items.len());
    for item in items {
        let (line, def_line) = position(file, item);
        let mut report = |d: Diagnostic| {
            if reported.insert((d.code, item.function_node_id.as_str())) {
                let d = d.at(line, u32::from(line > 0));
                diagnostics.push(d.with_source_line(&*def_line));
            }
        };
        let (group, group_error) = group(item, file.path, &mut report);
        let runner = runner(item, file.path, &mut report);
        let (class, function) = names(file.path, &item.function_node_id);
        tests.push(TestItem {
            node_id: item.node_id.as_str().into(),
            path: file.path.into(),
            class,
            function,
            line,
            def_line,
            group_source: group.as_ref().map(|_| GroupSource::Pytest),
            group,
            group_error,
            unseen_in: None,
            doctest: false,
            module_may_skip: false,
            runner: runner.map(Box::new),
            marks: item.marks.as_slice().into(),
            param_marks: None,
            cases: 1,
            param: case(item, &cases),
            test_root: file.test_root.into(),
        });
    }
    (tests, diagnostics)
}

/// The class path and function name of `path::A::B::test_f`.
fn names(path: &str, function_node_id: &str) -> (Option<String>, String) {
    let inside = function_node_id
        .strip_prefix(path)
        .and_then(|rest| rest.strip_prefix("::"))
        .unwrap_or(function_node_id);
    match inside.rsplit_once("::") {
        Some((class, function)) => (Some(class.to_owned()), function.to_owned()),
        None => (None, inside.to_owned()),
    }
}

/// `test_f[a-1]` of `test_f` is a case `a-1` of however many items pytest built for `test_f`.
fn case(item: &CollectedItem, cases: &HashMap<&str, u32>) -> Option<Box<ParamCase>> {
    let id = item
        .node_id
        .strip_prefix(item.function_node_id.as_str())?
        .strip_prefix('[')?
        .strip_suffix(']')?;
    Some(Box::new(ParamCase {
        id: id.to_owned(),
        of: cases
            .get(item.function_node_id.as_str())
            .copied()
            .unwrap_or(1),
    }))
}

/// The line of the function's `def` (and its text): fanout's own when it listed the
/// function, else the line pytest reports when the function is defined in this file, else the
/// first line fanout knows of the class that holds it (an inherited test), else 0 (the file).
fn position(file: &FileContext<'_>, item: &CollectedItem) -> (u32, Box<str>) {
    let function = item.function_node_id.as_str();
    if let Some(t) = file
        .static_tests
        .iter()
        .find(|t| t.function_node_id() == function)
    {
        return (t.line, t.def_line.clone());
    }
    let reported = item
        .location
        .as_ref()
        .filter(|l| l.path == file.path)
        .and_then(|l| l.line);
    if let Some(line) = reported {
        let text = file
            .source
            .and_then(|s| s.lines().nth(line.saturating_sub(1) as usize))
            .unwrap_or_default();
        return (line, text.into());
    }
    let class = function.rsplit_once("::").map(|(class, _)| class);
    class
        .and_then(|class| {
            file.static_tests.iter().find(|t| {
                let of_class = t.unseen_in.as_deref() == Some(class);
                of_class || t.function_node_id().rsplit_once("::").map(|(c, _)| c) == Some(class)
            })
        })
        .map_or((0, "".into()), |t| (t.line, t.def_line.clone()))
}

fn group(
    item: &CollectedItem,
    path: &str,
    report: &mut impl FnMut(Diagnostic),
) -> (Option<GroupId>, bool) {
    match &item.group {
        MarkReading::Absent => (None, false),
        MarkReading::Value(id) => match id.validate() {
            Ok(()) => (Some(id.clone()), false),
            Err(e) => {
                report(
                    Diagnostic::error(
                        Code::InvalidGroupId,
                        path,
                        format!("{e} (pytest's group for `{}`)", item.node_id),
                    )
                    .with_hint("use letters, digits, spaces and `_ . - + @ , =` in group ids"),
                );
                (None, true)
            }
        },
        MarkReading::Unreadable(call) => {
            report(
                Diagnostic::error(
                    Code::InvalidGroupMark,
                    path,
                    format!(
                        "pytest's closest group mark of `{}` is `{call}`: a group mark takes exactly one int or str id",
                        item.node_id
                    ),
                )
                .with_hint("write @pytest.mark.group(ID) with one int or str id"),
            );
            (None, true)
        }
    }
}

fn runner(item: &CollectedItem, path: &str, report: &mut impl FnMut(Diagnostic)) -> Option<Runner> {
    let problem = match &item.runner {
        MarkReading::Absent => return None,
        MarkReading::Value(runner) => match runner.invalid_label() {
            None => return Some(runner.clone()),
            Some(why) => format!("a runner label of `{}` {why}", item.node_id),
        },
        MarkReading::Unreadable(call) => format!(
            "pytest's closest runner mark of `{}` is `{call}`: runner takes a string or a list of strings",
            item.node_id
        ),
    };
    report(
        Diagnostic::error(Code::InvalidRunner, path, problem).with_hint(
            "write @pytest.mark.runner(\"label\") or runner([\"self-hosted\", \"large\"])",
        ),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pytest_run::Location;

    fn item(node_id: &str, function: &str, group: MarkReading<GroupId>) -> CollectedItem {
        CollectedItem {
            node_id: node_id.into(),
            function_node_id: function.into(),
            group,
            runner: MarkReading::Absent,
            marks: Vec::new(),
            location: Some(Location {
                path: "t.py".into(),
                line: Some(2),
            }),
        }
    }

    const FILE: FileContext<'static> = FileContext {
        path: "t.py",
        test_root: "",
        static_tests: &[],
        source: Some("import pytest\n@pytest.mark.group(region())\ndef test_f(x): pass\n"),
    };

    #[test]
    fn cases_count_what_pytest_left_out() {
        let a = item("t.py::C::test_f[a]", "t.py::C::test_f", MarkReading::Absent);
        let b = item("t.py::C::test_f[b]", "t.py::C::test_f", MarkReading::Absent);
        let (tests, _) = test_items(&FILE, &[&a, &b], &["t.py::C::test_f[c]".into()]);
        let case = tests[0].param.as_deref().expect("a case");
        assert_eq!((case.id.as_str(), case.of), ("a", 3));
        assert_eq!(tests[0].class.as_deref(), Some("C"));
        assert_eq!(tests[0].function, "test_f");
        assert_eq!(tests[0].function_node_id(), "t.py::C::test_f");
        let plain = item("t.py::test_g", "t.py::test_g", MarkReading::Absent);
        let (tests, _) = test_items(&FILE, &[&plain], &[]);
        assert_eq!(tests[0].param, None);
        assert_eq!(tests[0].class, None);
    }

    #[test]
    fn groups_keep_their_type_and_bad_ones_are_reported_once_per_function() {
        let one = item(
            "t.py::test_f",
            "t.py::test_f",
            MarkReading::Value(GroupId::Int(1)),
        );
        let (tests, diagnostics) = test_items(&FILE, &[&one], &[]);
        assert_eq!(tests[0].group, Some(GroupId::Int(1)));
        assert_eq!(tests[0].group_source, Some(GroupSource::Pytest));
        assert!(diagnostics.is_empty());
        let bad = |case: &str| {
            item(
                &format!("t.py::test_f[{case}]"),
                "t.py::test_f",
                MarkReading::Value(GroupId::Str("a/b".into())),
            )
        };
        let (a, b) = (bad("a"), bad("b"));
        let (tests, diagnostics) = test_items(&FILE, &[&a, &b], &[]);
        assert!(tests.iter().all(|t| t.group_error && t.group.is_none()));
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::InvalidGroupId);
        // Line from pytest's location: fanout listed no such function.
        assert_eq!(diagnostics[0].line, 2);
        assert_eq!(
            diagnostics[0].source_line.as_deref(),
            Some("@pytest.mark.group(region())")
        );
    }
}
