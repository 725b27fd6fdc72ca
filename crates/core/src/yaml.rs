//! An ordered tree of YAML values: what the CI backends build their files from and read their
//! users' templates into. Mappings keep the order they are written or read in, so a generated
//! file is deterministic and a template's fields stay where its author put them. Scalars keep
//! their type (`timeout_in_minutes: 60` stays a number).
//!
//! [`parse_mapping`] reads a user's template; [`to_quoted_yaml`] writes a generated file with
//! every string quoted (GitLab, Buildkite and CircleCI read YAML 1.1, where `on`, `yes` or `012`
//! are not strings).

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::fmt;

/// A template file's text as a mapping of fields; `expected` says what the mapping should
/// hold when the text is another kind of value. The error is one line, for a message that
/// names the file.
pub fn parse_mapping(text: &str, expected: &str) -> Result<Vec<(String, Node)>, String> {
    let node: Node = serde_saphyr::from_str(text).map_err(|e| {
        let message = e.to_string();
        format!("not YAML: {}", message.lines().next().unwrap_or(&message))
    })?;
    match node {
        Node::Map(fields) => Ok(fields),
        other => Err(format!("is {}; write {expected}", other.kind())),
    }
}

/// `node` as YAML with every string quoted; `what` names the document in an error.
pub fn to_quoted_yaml(node: &Node, what: &str) -> Result<String, crate::BackendError> {
    serde_saphyr::to_string_with_options(node, serde_saphyr::ser_options! { quote_all: true })
        .map_err(|e| crate::BackendError::Unsupported(format!("cannot write {what} as YAML: {e}")))
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    pub fn str(s: impl Into<String>) -> Node {
        Node::Str(s.into())
    }

    /// Sets `key` in a mapping: replaced where it is, or appended.
    pub fn set(entries: &mut Vec<(String, Node)>, key: &str, value: Node) {
        match entries.iter_mut().find(|(k, _)| k == key) {
            Some((_, old)) => *old = value,
            None => entries.push((key.to_owned(), value)),
        }
    }

    /// What the node is, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Int(_) | Node::Float(_) => "a number",
            Node::Str(_) => "a string",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(b) => serializer.serialize_bool(*b),
            Node::Int(i) => serializer.serialize_i64(*i),
            Node::Float(f) => serializer.serialize_f64(*f),
            Node::Str(s) => serializer.serialize_str(s),
            Node::Seq(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Node, E> {
        i64::try_from(v)
            .map(Node::Int)
            .map_err(|_| E::custom(format!("the number {v} is too large")))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries: Vec<(String, Node)> = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let key = match key {
                Node::Str(s) => s,
                Node::Int(i) => i.to_string(),
                Node::Bool(b) => b.to_string(),
                other => {
                    return Err(serde::de::Error::custom(format!(
                        "a mapping key is {}; fanout reads only string keys",
                        other.kind()
                    )))
                }
            };
            let value = map.next_value()?;
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(serde::de::Error::custom(format!("duplicate key `{key}`")));
            }
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}
