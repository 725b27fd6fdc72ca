//! What the plugin writes (see `fanout_verify_plugin.py`), read into typed values.

use fanout_core::{Code, Diagnostic, GroupId, Mark, MarkValue, Runner};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::path::PathBuf;

/// One item pytest collected, with its marks as pytest resolved them.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectedItem {
    pub node_id: String,
    /// The node id of the function the item was generated from (`[...]` dropped).
    pub function_node_id: String,
    pub group: MarkReading<GroupId>,
    pub runner: MarkReading<Runner>,
    /// Every mark of the item, closest first, as `-m` sees them.
    pub marks: Vec<Mark>,
    /// `item.location`: the file that defines the function (relative to the rootdir,
    /// `/`-separated) and the 1-based line pytest reports for it.
    pub location: Option<Location>,
}

/// Where pytest says an item's function is defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    /// `None` when pytest knows no line.
    pub line: Option<u32>,
}

/// The closest mark of a name, read as fanout reads its literal form.
#[derive(Debug, Clone, PartialEq)]
pub enum MarkReading<T> {
    Absent,
    Value(T),
    /// A mark whose arguments fanout would not accept, as Python would write its call.
    Unreadable(String),
}

/// A collector pytest could not collect (an import error, an exception in a hook).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct CollectionError {
    pub node_id: String,
    /// pytest's report, as it prints it.
    pub message: String,
}

impl CollectionError {
    /// A `pytest-collection-error` at the collector, quoting the exception.
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error(
            Code::PytestCollectionError,
            self.node_id.clone(),
            format!("pytest could not collect this: {}", self.exception()),
        )
        .with_hint(format!(
            "`pytest --collect-only {}` shows pytest's whole report",
            self.node_id
        ))
    }

    /// The last line of pytest's report: the exception (`E   ModuleNotFoundError: ...`).
    fn exception(&self) -> &str {
        let last = self
            .message
            .lines()
            .rev()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .unwrap_or("no details");
        last.strip_prefix('E').map_or(last, str::trim_start)
    }
}

#[derive(Deserialize)]
pub(super) struct Document {
    pub pytest_version: String,
    pub rootdir: PathBuf,
    pub items: Vec<RawItem>,
    /// Absent from reports of older fanout plugins; never from this one.
    #[serde(default)]
    pub deselected: Vec<String>,
    pub errors: Vec<CollectionError>,
}

#[derive(Deserialize)]
pub(super) struct RawItem {
    node_id: String,
    function_node_id: String,
    group: Option<RawMark>,
    runner: Option<RawMark>,
    #[serde(default)]
    marks: Vec<RawNamedMark>,
    #[serde(default)]
    location: Option<(String, Option<u32>)>,
}

#[derive(Deserialize)]
struct RawNamedMark {
    name: String,
    kwargs: Map<String, Value>,
}

#[derive(Deserialize)]
struct RawMark {
    args: Vec<Value>,
    kwargs: Map<String, Value>,
}

impl RawItem {
    pub fn read(self) -> CollectedItem {
        CollectedItem {
            group: read_mark(self.group.as_ref(), "group", group_id),
            runner: read_mark(self.runner.as_ref(), "runner", runner),
            marks: self.marks.into_iter().map(RawNamedMark::read).collect(),
            location: self.location.map(|(path, line)| Location {
                path: path.replace('\\', "/"),
                line: line.map(|l| l.saturating_add(1)),
            }),
            node_id: self.node_id,
            function_node_id: self.function_node_id,
        }
    }
}

impl RawNamedMark {
    fn read(self) -> Mark {
        Mark {
            name: self.name.into(),
            kwargs: self
                .kwargs
                .into_iter()
                .map(|(k, v)| (k, mark_value(&v)))
                .collect(),
        }
    }
}

/// A kwarg as `-m 'name(kw=value)'` compares it; anything but a literal matches nothing.
fn mark_value(value: &Value) -> MarkValue {
    match value {
        Value::Null => MarkValue::None,
        Value::Bool(b) => MarkValue::Bool(*b),
        Value::String(s) => MarkValue::Str(s.clone()),
        Value::Number(n) => n.as_i64().map_or(MarkValue::Other, MarkValue::Int),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map_or(MarkValue::Other, MarkValue::Strs),
        Value::Object(_) => MarkValue::Other,
    }
}

fn read_mark<T>(
    mark: Option<&RawMark>,
    name: &str,
    read: fn(&RawMark) -> Option<T>,
) -> MarkReading<T> {
    match mark {
        None => MarkReading::Absent,
        Some(mark) => read(mark).map_or_else(
            || MarkReading::Unreadable(call_text(name, mark)),
            MarkReading::Value,
        ),
    }
}

/// One int or str id, positional or as `id=`, as fanout accepts it.
fn group_id(mark: &RawMark) -> Option<GroupId> {
    let value = match (&mark.args[..], mark.kwargs.len()) {
        ([value], 0) => value,
        ([], 1) => mark.kwargs.get("id")?,
        _ => return None,
    };
    match value {
        Value::Number(n) => n.as_i64().map(GroupId::Int),
        Value::String(s) => Some(GroupId::Str(s.clone())),
        _ => None,
    }
}

/// One label, or a list of labels.
fn runner(mark: &RawMark) -> Option<Runner> {
    let ([value], true) = (&mark.args[..], mark.kwargs.is_empty()) else {
        return None;
    };
    match value {
        Value::String(label) => Some(Runner::Label(label.clone())),
        Value::Array(labels) => labels
            .iter()
            .map(|label| label.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(Runner::Labels),
        _ => None,
    }
}

/// `group(1, 2)`, `runner(x=True)`: the mark as a Python call, roughly.
fn call_text(name: &str, mark: &RawMark) -> String {
    let args = mark
        .args
        .iter()
        .map(python_text)
        .chain(
            mark.kwargs
                .iter()
                .map(|(k, v)| format!("{k}={}", python_text(v))),
        )
        .collect::<Vec<_>>()
        .join(", ");
    format!("{name}({args})")
}

fn python_text(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(values) => {
            let inner: Vec<String> = values.iter().map(python_text).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(object) => match object.get("repr").and_then(Value::as_str) {
            Some(repr) => repr.to_owned(),
            None => value.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(group: Value, runner: Value) -> CollectedItem {
        let raw: RawItem = serde_json::from_value(serde_json::json!({
            "node_id": "t.py::f[1]", "function_node_id": "t.py::f",
            "group": group, "runner": runner,
        }))
        .expect("a plugin item");
        raw.read()
    }

    #[test]
    fn ints_and_strings_stay_apart() {
        let g = |args: Value| item(serde_json::json!({"args": args, "kwargs": {}}), Value::Null);
        assert_eq!(
            g(serde_json::json!([1])).group,
            MarkReading::Value(GroupId::Int(1))
        );
        assert_eq!(
            g(serde_json::json!(["1"])).group,
            MarkReading::Value(GroupId::Str("1".into()))
        );
        assert_eq!(
            g(serde_json::json!([true])).group,
            MarkReading::Unreadable("group(True)".into())
        );
        assert_eq!(
            g(serde_json::json!([1, {"repr": "<object>"}])).group,
            MarkReading::Unreadable("group(1, <object>)".into())
        );
        let by_keyword = item(
            serde_json::json!({"args": [], "kwargs": {"id": "a"}}),
            Value::Null,
        );
        assert_eq!(
            by_keyword.group,
            MarkReading::Value(GroupId::Str("a".into()))
        );
        assert_eq!(by_keyword.runner, MarkReading::Absent);
    }

    #[test]
    fn collection_errors_quote_the_exception() {
        let d = CollectionError {
            node_id: "tests/test_a.py".into(),
            message: "ImportError while importing\nE   ModuleNotFoundError: No module named 'x'\n"
                .into(),
        }
        .diagnostic();
        assert_eq!(
            d.message,
            "pytest could not collect this: ModuleNotFoundError: No module named 'x'"
        );
        assert_eq!(d.path, "tests/test_a.py");
    }

    #[test]
    fn every_mark_and_the_location() {
        let raw: RawItem = serde_json::from_value(serde_json::json!({
            "node_id": "t.py::f", "function_node_id": "t.py::f", "group": null, "runner": null,
            "marks": [{"name": "slow", "kwargs": {"n": 2, "why": "io", "x": [1]}}],
            "location": ["sub\\base.py", 4],
        }))
        .expect("a plugin item");
        let read = raw.read();
        assert_eq!(
            read.marks,
            [Mark {
                name: "slow".into(),
                kwargs: vec![
                    ("n".into(), MarkValue::Int(2)),
                    ("why".into(), MarkValue::Str("io".into())),
                    ("x".into(), MarkValue::Other),
                ],
            }]
        );
        assert_eq!(
            read.location,
            Some(Location {
                path: "sub/base.py".into(),
                line: Some(5)
            })
        );
    }

    #[test]
    fn runner_labels() {
        let r = |args: Value| item(Value::Null, serde_json::json!({"args": args, "kwargs": {}}));
        assert_eq!(
            r(serde_json::json!(["big"])).runner,
            MarkReading::Value(Runner::Label("big".into()))
        );
        assert_eq!(
            r(serde_json::json!([["a", "b"]])).runner,
            MarkReading::Value(Runner::Labels(vec!["a".into(), "b".into()]))
        );
        assert_eq!(
            r(serde_json::json!([3])).runner,
            MarkReading::Unreadable("runner(3)".into())
        );
    }
}
