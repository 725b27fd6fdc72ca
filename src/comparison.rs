//! fanout's static collection against pytest's: which tests only one of them has, and which
//! closest `group` and `runner` marks differ.

use crate::pytest_run::{CollectedItem, CollectionError, MarkReading};
use fanout_core::{GroupId, Runner, TestItem};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What the comparison needs of a test fanout lists. Built in one place, [`StaticTest::of`],
/// so that listing parameters one by one changes one function.
#[derive(Debug, Clone)]
pub struct StaticTest<'a> {
    pub node_id: &'a str,
    /// The node id of the function (equal to `node_id` when fanout lists the function whole).
    pub function_node_id: &'a str,
    pub group: Option<&'a GroupId>,
    /// The group mark is there but its id is only known at run time.
    pub group_unknown: bool,
    pub runner: Option<&'a Runner>,
    /// A class fanout names whole: it may hold tests fanout does not list.
    pub unseen_in: Option<&'a str>,
    pub path: &'a str,
    pub line: u32,
}

impl<'a> StaticTest<'a> {
    pub fn of(t: &'a TestItem) -> Self {
        StaticTest {
            node_id: &t.node_id,
            function_node_id: t.function_node_id(),
            group: t.group.as_ref(),
            group_unknown: t.group_error,
            runner: t.runner.as_deref(),
            unseen_in: t.unseen_in.as_deref(),
            path: &t.path,
            line: t.line,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DifferenceKind {
    /// pytest collects a test fanout does not list.
    OnlyPytest,
    /// fanout lists a test pytest does not collect.
    OnlyFanout,
    Group,
    Runner,
}

impl DifferenceKind {
    pub fn heading(self) -> &'static str {
        match self {
            DifferenceKind::OnlyPytest => "only pytest collects",
            DifferenceKind::OnlyFanout => "only fanout lists",
            DifferenceKind::Group => "group differs",
            DifferenceKind::Runner => "runner differs",
        }
    }
}

/// One way the two collections disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub kind: DifferenceKind,
    /// pytest's node id of the item, or fanout's for `only-fanout`.
    pub node_id: String,
    /// The test file, relative to the rootdir.
    pub path: String,
    /// The line of fanout's `def`, 0 when fanout has none.
    pub line: u32,
    /// pytest's and fanout's values (group and runner differences), as Python writes them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pytest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fanout: Option<String>,
}

impl Difference {
    /// One sentence, for an annotation or a JSON reader.
    pub fn message(&self) -> String {
        let none = || "none".to_owned();
        let pytest = self.pytest.clone().unwrap_or_else(none);
        let fanout = self.fanout.clone().unwrap_or_else(none);
        match self.kind {
            DifferenceKind::OnlyPytest => format!(
                "pytest collects `{}`, which fanout does not list: no job would run it",
                self.node_id
            ),
            DifferenceKind::OnlyFanout => format!(
                "fanout lists `{}`, which pytest does not collect",
                self.node_id
            ),
            DifferenceKind::Group => format!(
                "`{}`: pytest's group is {pytest}, fanout's is {fanout}",
                self.node_id
            ),
            DifferenceKind::Runner => format!(
                "`{}`: pytest's runner is {pytest}, fanout's is {fanout}",
                self.node_id
            ),
        }
    }
}

/// The differences, in kind then node-id order.
pub fn compare(
    fanout: &[StaticTest<'_>],
    pytest: &[CollectedItem],
    errors: &[CollectionError],
) -> Vec<Difference> {
    let by_node: HashMap<&str, &StaticTest<'_>> = fanout.iter().map(|t| (t.node_id, t)).collect();
    let unseen_groups = unseen_class_groups(fanout);
    let mut matched: HashSet<&str> = HashSet::new();
    let mut differences = Vec::new();
    for item in pytest {
        let own = by_node.get(item.node_id.as_str()).or_else(|| {
            // A function fanout lists whole stands for each of pytest's parameter items.
            by_node
                .get(item.function_node_id.as_str())
                .filter(|t| t.node_id == t.function_node_id)
        });
        if let Some(test) = own {
            matched.insert(test.node_id);
            differences.extend(mark_differences(item, test));
            continue;
        }
        if let Some((class, group)) = unseen_groups
            .iter()
            .find(|(class, _)| below(&item.node_id, class))
        {
            // Named whole in the matrix: covered. Its group is known when the class has one.
            matched.extend(
                fanout
                    .iter()
                    .filter(|t| t.unseen_in == Some(class))
                    .map(|t| t.node_id),
            );
            if let Some(group) = group {
                if let Some(d) = group_difference(item, Some(group), false, file_of(class), 0) {
                    differences.push(d);
                }
            }
            continue;
        }
        differences.push(Difference {
            kind: DifferenceKind::OnlyPytest,
            node_id: item.node_id.clone(),
            path: file_of(&item.node_id).to_owned(),
            line: 0,
            pytest: None,
            fanout: None,
        });
    }
    for test in fanout {
        // A file pytest could not collect is reported once, as its collection error.
        let failed = errors.iter().any(|e| below(test.node_id, &e.node_id));
        if !matched.contains(test.node_id) && !failed {
            differences.push(Difference {
                kind: DifferenceKind::OnlyFanout,
                node_id: test.node_id.to_owned(),
                path: test.path.to_owned(),
                line: test.line,
                pytest: None,
                fanout: None,
            });
        }
    }
    differences.sort_by(|a, b| (a.kind, &a.node_id).cmp(&(b.kind, &b.node_id)));
    differences
}

fn mark_differences(item: &CollectedItem, test: &StaticTest<'_>) -> Vec<Difference> {
    let mut out = Vec::new();
    out.extend(group_difference(
        item,
        test.group,
        test.group_unknown,
        test.path,
        test.line,
    ));
    let fanout_runner = test.runner.map(runner_text);
    let pytest_runner = reading_text(&item.runner, runner_text);
    if fanout_runner != pytest_runner {
        out.push(Difference {
            kind: DifferenceKind::Runner,
            node_id: item.node_id.clone(),
            path: test.path.to_owned(),
            line: test.line,
            pytest: Some(pytest_runner.unwrap_or_else(|| "none".to_owned())),
            fanout: Some(fanout_runner.unwrap_or_else(|| "none".to_owned())),
        });
    }
    out
}

fn group_difference(
    item: &CollectedItem,
    fanout: Option<&GroupId>,
    fanout_unknown: bool,
    path: &str,
    line: u32,
) -> Option<Difference> {
    let pytest = reading_text(&item.group, GroupId::quoted);
    let fanout_text = fanout.map(GroupId::quoted);
    if pytest == fanout_text {
        return None;
    }
    let shown_fanout = match fanout_text {
        Some(text) => text,
        None if fanout_unknown => "unknown until run time".to_owned(),
        None => "none".to_owned(),
    };
    Some(Difference {
        kind: DifferenceKind::Group,
        node_id: item.node_id.clone(),
        path: path.to_owned(),
        line,
        pytest: Some(pytest.unwrap_or_else(|| "none".to_owned())),
        fanout: Some(shown_fanout),
    })
}

fn reading_text<T>(reading: &MarkReading<T>, text: impl Fn(&T) -> String) -> Option<String> {
    match reading {
        MarkReading::Absent => None,
        MarkReading::Value(value) => Some(text(value)),
        MarkReading::Unreadable(call) => Some(call.clone()),
    }
}

fn runner_text(runner: &Runner) -> String {
    match runner {
        Runner::Label(label) => format!("{label:?}"),
        Runner::Labels(labels) => {
            let quoted: Vec<String> = labels.iter().map(|l| format!("{l:?}")).collect();
            format!("[{}]", quoted.join(", "))
        }
    }
}

/// Each class fanout names whole, with the group of its tests when they share one.
fn unseen_class_groups<'a>(fanout: &[StaticTest<'a>]) -> BTreeMap<&'a str, Option<&'a GroupId>> {
    let mut groups: BTreeMap<&str, Vec<Option<&GroupId>>> = BTreeMap::new();
    for t in fanout {
        if let Some(class) = t.unseen_in {
            groups.entry(class).or_default().push(t.group);
        }
    }
    groups
        .into_iter()
        .map(|(class, mut list)| {
            list.dedup();
            let shared = match list[..] {
                [Some(group)] => Some(group),
                _ => None,
            };
            (class, shared)
        })
        .collect()
}

/// `node_id` is `prefix` or lies below it (a file below a directory, a test below a file or
/// class). An empty prefix (the session) holds everything.
fn below(node_id: &str, prefix: &str) -> bool {
    match node_id.strip_prefix(prefix) {
        Some(rest) => {
            prefix.is_empty() || rest.is_empty() || rest.starts_with("::") || rest.starts_with('/')
        }
        None => false,
    }
}

/// The file part of a node id.
fn file_of(node_id: &str) -> &str {
    node_id.split_once("::").map_or(node_id, |(file, _)| file)
}

#[cfg(test)]
mod tests;
