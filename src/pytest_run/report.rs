//! What the plugin writes (see `fanout_verify_plugin.py`), read into typed values.

use fanout_core::{GroupId, Runner};
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

#[derive(Deserialize)]
pub(super) struct Document {
    pub pytest_version: String,
    pub rootdir: PathBuf,
    pub items: Vec<RawItem>,
    pub errors: Vec<CollectionError>,
}

#[derive(Deserialize)]
pub(super) struct RawItem {
    node_id: String,
    function_node_id: String,
    group: Option<RawMark>,
    runner: Option<RawMark>,
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
            node_id: self.node_id,
            function_node_id: self.function_node_id,
        }
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
