//! Methods of known values. The table is what real parametrize data uses; any other method
//! is opaque.

use super::compare::lookup;
use super::{Evaluator, Outcome, Value};
use std::rc::Rc;

/// (receiver type, method) pairs fanout evaluates.
pub(super) const METHODS: &[(&str, &[&str])] = &[
    ("dict", &["keys", "values", "items", "get"]),
    (
        "str",
        &[
            "upper",
            "lower",
            "join",
            "split",
            "replace",
            "strip",
            "lstrip",
            "rstrip",
            "format",
            "startswith",
            "endswith",
        ],
    ),
    ("list", &["index", "count"]),
    ("tuple", &["index", "count"]),
];

impl Evaluator<'_, '_> {
    pub(super) fn method(
        &mut self,
        receiver: &Value,
        method: &str,
        args: Vec<Value>,
        kwargs: &[(Rc<str>, Value)],
    ) -> Outcome {
        let unsupported = || format!("the method `.{method}()` of {}", receiver.type_name());
        let receiver_type = match receiver {
            Value::Dict(_) => "dict",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            _ => "",
        };
        if !METHODS
            .iter()
            .any(|(t, methods)| *t == receiver_type && methods.contains(&method))
        {
            return Err(unsupported());
        }
        if let Some(Value::Opaque(u)) = args.iter().find(|a| matches!(a, Value::Opaque(_))) {
            return Ok(Value::Opaque(u.clone()));
        }
        if let Value::Str(s) = receiver {
            if method == "format" {
                return self.str_format(s, &args, kwargs);
            }
        }
        if !kwargs.is_empty() {
            return Err(unsupported());
        }
        match (receiver, method, &args[..]) {
            (Value::Dict(pairs), "keys", []) => {
                Ok(Value::List(pairs.iter().map(|(k, _)| k.clone()).collect()))
            }
            (Value::Dict(pairs), "values", []) => {
                Ok(Value::List(pairs.iter().map(|(_, v)| v.clone()).collect()))
            }
            (Value::Dict(pairs), "items", []) => Ok(Value::List(
                pairs
                    .iter()
                    .map(|(k, v)| Value::Tuple(Rc::from([k.clone(), v.clone()])))
                    .collect(),
            )),
            (Value::Dict(pairs), "get", [key, rest @ ..]) if rest.len() <= 1 => {
                self.charge(pairs.len())?;
                match lookup(pairs, key) {
                    Some(Some(v)) => Ok(v.clone()),
                    Some(None) => Ok(rest.first().cloned().unwrap_or(Value::None)),
                    None => Err("a dict lookup that an unknown key may match".into()),
                }
            }
            (Value::List(items) | Value::Tuple(items), "index" | "count", [needle]) => {
                self.charge(items.len())?;
                let mut count = 0;
                for (i, item) in items.iter().enumerate() {
                    match item.py_eq(needle) {
                        Some(true) if method == "index" => {
                            return Ok(Value::Int(i64::try_from(i).map_err(|_| "too long")?))
                        }
                        Some(true) => count += 1,
                        Some(false) => {}
                        None => return Err("comparing with an unknown item".into()),
                    }
                }
                if method == "index" {
                    return Err("`.index()` of a missing item (ValueError)".into());
                }
                Ok(Value::Int(count))
            }
            (Value::Str(s), _, args) => self
                .str_method(s, method, args)
                .unwrap_or_else(|| Err(unsupported())),
            _ => Err(unsupported()),
        }
    }

    /// Methods of str; None when the method or its arguments are not supported.
    fn str_method(&mut self, s: &str, method: &str, args: &[Value]) -> Option<Outcome> {
        let text = |t: String| Value::Str(Rc::from(t));
        Some(match (method, args) {
            ("upper", []) => Ok(text(s.to_uppercase())),
            ("lower", []) => Ok(text(s.to_lowercase())),
            ("strip" | "lstrip" | "rstrip", [] | [Value::None]) => {
                let t = match method {
                    "strip" => s.trim_matches(char::is_whitespace),
                    "lstrip" => s.trim_start_matches(char::is_whitespace),
                    _ => s.trim_end_matches(char::is_whitespace),
                };
                Ok(text(t.to_owned()))
            }
            ("strip" | "lstrip" | "rstrip", [Value::Str(chars)]) => {
                let set = |c: char| chars.contains(c);
                let t = match method {
                    "strip" => s.trim_matches(set),
                    "lstrip" => s.trim_start_matches(set),
                    _ => s.trim_end_matches(set),
                };
                Ok(text(t.to_owned()))
            }
            ("startswith" | "endswith", [prefix]) => {
                let candidates = match prefix {
                    Value::Str(p) => vec![p.clone()],
                    Value::Tuple(items) => items
                        .iter()
                        .map(|i| match i {
                            Value::Str(p) => Some(p.clone()),
                            _ => None,
                        })
                        .collect::<Option<Vec<_>>>()?,
                    _ => return None,
                };
                let hit = candidates.iter().any(|p| {
                    if method == "startswith" {
                        s.starts_with(&**p)
                    } else {
                        s.ends_with(&**p)
                    }
                });
                Ok(Value::Bool(hit))
            }
            ("replace", [Value::Str(old), Value::Str(new), count @ ..]) => {
                let count = match count {
                    [] => -1,
                    [Value::Int(n)] => *n,
                    _ => return None,
                };
                if old.is_empty() {
                    return None;
                }
                let occurrences = s.matches(&**old).count();
                let grown = occurrences.saturating_mul(new.len());
                if let Err(e) = self.text(s.len().saturating_add(grown)) {
                    return Some(Err(e));
                }
                Ok(text(match usize::try_from(count) {
                    Ok(n) => s.replacen(&**old, new.as_ref(), n),
                    Err(_) => s.replace(&**old, new.as_ref()),
                }))
            }
            ("split", args) => return self.split(s, args),
            ("join", [iterable]) => {
                let items = match self.iterate(iterable) {
                    Ok(items) => items,
                    Err(e) => return Some(Err(e)),
                };
                let mut parts = Vec::with_capacity(items.len());
                for item in &items {
                    match item {
                        Value::Str(p) => parts.push(p.clone()),
                        Value::Opaque(u) => return Some(Ok(Value::Opaque(u.clone()))),
                        other => {
                            return Some(Err(format!(
                                "`str.join()` of {} (TypeError)",
                                other.type_name()
                            )))
                        }
                    }
                }
                let len = parts.iter().map(|p| p.len()).sum::<usize>()
                    + s.len().saturating_mul(parts.len());
                if let Err(e) = self.text(len) {
                    return Some(Err(e));
                }
                Ok(text(parts.join(s)))
            }
            _ => return None,
        })
    }

    fn split(&mut self, s: &str, args: &[Value]) -> Option<Outcome> {
        let (sep, max) = match args {
            [] => (None, -1),
            [Value::None] => (None, -1),
            [Value::Str(sep)] => (Some(sep.clone()), -1),
            [Value::None, Value::Int(n)] => (None, *n),
            [Value::Str(sep), Value::Int(n)] => (Some(sep.clone()), *n),
            _ => return None,
        };
        let parts: Vec<String> = match (&sep, usize::try_from(max)) {
            (Some(sep), _) if sep.is_empty() => {
                return Some(Err("`split()` with an empty separator (ValueError)".into()))
            }
            (Some(sep), Ok(n)) => s.splitn(n + 1, &**sep).map(str::to_owned).collect(),
            (Some(sep), Err(_)) => s.split(&**sep).map(str::to_owned).collect(),
            (None, Err(_)) => s.split_whitespace().map(str::to_owned).collect(),
            // Whitespace split with a maximum: the rest keeps its inner whitespace.
            (None, Ok(n)) => {
                let mut out = Vec::new();
                let mut rest = s.trim_start();
                while !rest.is_empty() {
                    if out.len() == n {
                        out.push(rest.to_owned());
                        break;
                    }
                    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                    out.push(rest[..end].to_owned());
                    rest = rest[end..].trim_start();
                }
                out
            }
        };
        if let Err(e) = self.collection(parts.len()) {
            return Some(Err(e));
        }
        Some(Ok(Value::List(
            parts.into_iter().map(|p| Value::Str(Rc::from(p))).collect(),
        )))
    }
}
