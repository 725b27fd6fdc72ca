//! pytest's parametrize ids (pytest 9.2's `IdMaker` and `ParameterSet._for_parametrize`),
//! from statically known values. Whatever pytest would compute from an object fanout cannot
//! see is an error that says why, never a guessed id.

use crate::eval::{EnumMixin, Value};
use ruff_text_size::TextRange;
use rustc_hash::FxHashMap;

/// The ini options that change ids.
#[derive(Clone, Copy, Debug, Default)]
pub struct IdRules {
    /// `disable_test_id_escaping_and_forfeit_all_rights_to_community_support`.
    pub no_escaping: bool,
    /// `parametrize_long_str_id_strategy`.
    pub long_str: LongStrIds,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LongStrIds {
    /// Values over 100 characters fall back to argname + index (pytest 9's default).
    #[default]
    Short,
    /// The whole value, escaped.
    Legacy,
    /// `sha256` or `disallow`: fanout does not compute these.
    Other,
}

/// Why the ids of a `parametrize` cannot be known statically, and where when an unknown
/// value is the cause.
#[derive(Debug, Clone, PartialEq)]
pub struct Why {
    pub reason: String,
    pub range: Option<TextRange>,
}

impl From<String> for Why {
    fn from(reason: String) -> Self {
        Why {
            reason,
            range: None,
        }
    }
}

impl From<&str> for Why {
    fn from(reason: &str) -> Self {
        reason.to_owned().into()
    }
}

/// One parameter set of one `parametrize` call.
#[derive(Debug)]
pub struct ParamSet {
    pub values: Vec<Value>,
    pub id: Option<Value>,
    pub marks: Vec<Value>,
}

/// The argument names, and whether each value is one argument (`"x"`) rather than a
/// sequence of them (`"x,"`, `("x",)`, `"x,y"`).
pub fn argnames(value: &Value) -> Result<(Vec<String>, bool), Why> {
    match value {
        Value::Str(s) => {
            let names: Vec<String> = s
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .collect();
            let force_tuple = names.len() == 1 && !s.trim_end().ends_with(',');
            Ok((names, force_tuple))
        }
        Value::List(items) | Value::Tuple(items) => {
            let names = items
                .iter()
                .map(|item| match item {
                    Value::Str(s) => Ok(s.to_string()),
                    other => Err(unknown_or("an argument name that is not a str", other)),
                })
                .collect::<Result<_, _>>()?;
            Ok((names, false))
        }
        other => Err(unknown_or(
            "argument names that are not a str or a list",
            other,
        )),
    }
}

/// The parameter sets of `argvalues`, each with one value per argument name. An empty
/// `argvalues` is one set pytest marks skipped, with the id `NOTSET`.
pub fn parameter_sets(
    argvalues: &Value,
    names: usize,
    force_tuple: bool,
) -> Result<Vec<ParamSet>, Why> {
    let items = iterate(argvalues)?;
    if items.is_empty() {
        return Ok(vec![ParamSet {
            values: Vec::new(),
            id: Some(Value::Str("NOTSET".into())),
            marks: Vec::new(),
        }]);
    }
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let set = match item {
                Value::Param(param) => ParamSet {
                    values: param.values.clone(),
                    id: param.id.clone().filter(|id| !matches!(id, Value::None)),
                    marks: param.marks.clone(),
                },
                other if force_tuple => ParamSet {
                    values: vec![other],
                    id: None,
                    marks: Vec::new(),
                },
                Value::Tuple(values) | Value::List(values) => ParamSet {
                    values: values.to_vec(),
                    id: None,
                    marks: Vec::new(),
                },
                other => {
                    return Err(unknown_or(
                        &format!("parameter set {index} is not a sequence of values"),
                        &other,
                    ))
                }
            };
            if set.values.len() != names {
                return Err(format!(
                    "parameter set {index} has {} values for {names} argument names (pytest fails collecting it)",
                    set.values.len()
                ).into());
            }
            Ok(set)
        })
        .collect()
}

/// The items a value iterates over, in order.
fn iterate(value: &Value) -> Result<Vec<Value>, Why> {
    match value {
        Value::List(items) | Value::Tuple(items) => Ok(items.to_vec()),
        Value::Dict(pairs) => Ok(pairs.iter().map(|(k, _)| k.clone()).collect()),
        Value::Set(items) if items.len() <= 1 => Ok(items.to_vec()),
        Value::Set(_) => {
            Err("the parameters are a set, whose order changes from run to run".into())
        }
        other => Err(unknown_or("the parameters are not a list or tuple", other)),
    }
}

/// The id of each parameter set, made unique as pytest does.
pub fn make_ids(
    argnames: &[String],
    sets: &[ParamSet],
    ids: Option<&Value>,
    rules: IdRules,
) -> Result<Vec<String>, Why> {
    let explicit = match ids {
        None | Some(Value::None) => Vec::new(),
        Some(Value::Named(name)) => {
            return Err(format!(
                "the ids come from the function `{name}`, which only runs under pytest"
            )
            .into())
        }
        Some(value) => iterate(value)?,
    };
    if !explicit.is_empty() && explicit.len() != sets.len() {
        return Err(format!(
            "{} parameter sets but {} ids (pytest fails collecting it)",
            sets.len(),
            explicit.len()
        )
        .into());
    }
    let mut resolved = Vec::with_capacity(sets.len());
    for (index, set) in sets.iter().enumerate() {
        let id = match (&set.id, explicit.get(index)) {
            (Some(Value::Str(id)), _) => escape(id, rules),
            (Some(other), _) => return Err(unknown_or("a `pytest.param` id that is not a str", other)),
            (None, Some(given)) if !matches!(given, Value::None) => {
                id_from_value(given, rules)?.ok_or_else(|| {
                    Why::from(format!("the id at index {index} is not a str, number, bool, enum or named object (pytest fails collecting it)"))
                })?
            }
            _ => {
                let parts = set
                    .values
                    .iter()
                    .zip(argnames)
                    .map(|(value, argname)| auto_id(value, argname, index, rules))
                    .collect::<Result<Vec<_>, _>>()?;
                parts.join("-")
            }
        };
        resolved.push(id);
    }
    Ok(unique(resolved))
}

/// `IdMaker._idval` without the `ids=` function and the `pytest_make_parametrize_id` hook.
fn auto_id(value: &Value, argname: &str, index: usize, rules: IdRules) -> Result<String, Why> {
    let by_position = || format!("{argname}{index}");
    let long = match value {
        Value::Str(s) => Some(s.chars().count() > 100),
        Value::Bytes(b) => Some(b.len() > 100),
        Value::EnumMember(e) if e.mixin == EnumMixin::Str => match &e.value {
            Value::Str(s) => Some(s.chars().count() > 100),
            _ => None,
        },
        _ => None,
    };
    if long == Some(true) {
        return match rules.long_str {
            LongStrIds::Short => Ok(by_position()),
            LongStrIds::Legacy => Ok(id_from_value(value, rules)?.unwrap_or_else(by_position)),
            LongStrIds::Other => Err("a str parameter over 100 characters, with `parametrize_long_str_id_strategy` set to a strategy fanout does not compute".into()),
        };
    }
    Ok(id_from_value(value, rules)?.unwrap_or_else(by_position))
}

/// `IdMaker._idval_from_value`: Ok(None) when pytest falls back to argname + index.
fn id_from_value(value: &Value, rules: IdRules) -> Result<Option<String>, Why> {
    Ok(Some(match value {
        Value::Str(s) => escape(s, rules),
        Value::Bytes(b) => escape_bytes(b, rules),
        Value::None => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => fanout_core::pyrepr::float_repr(*f),
        Value::Complex { real, imag } => fanout_core::pyrepr::complex_repr(*real, *imag),
        Value::Named(name) => name.to_string(),
        Value::EnumMember(e) => match (e.mixin, &e.value) {
            (EnumMixin::None, _) => format!("{}.{}", e.class, e.member),
            (EnumMixin::Str, Value::Str(s)) => escape(s, rules),
            // IntEnum's str() changed in Python 3.11; other mixins print their own way.
            _ => {
                return Err(format!(
                    "the enum member `{}.{}` prints differently across Python versions",
                    e.class, e.member
                )
                .into())
            }
        },
        Value::Opaque(_) => return Err(unknown_or("", value)),
        Value::Tuple(_)
        | Value::List(_)
        | Value::Set(_)
        | Value::Dict(_)
        | Value::Param(_)
        | Value::Mark(_) => return Ok(None),
    }))
}

/// Suffixes repeated ids with a counter, as `make_unique_parameterset_ids`: a candidate
/// must not equal any id in the list as it stands (originals not yet renamed, and renamed).
fn unique(mut ids: Vec<String>) -> Vec<String> {
    let mut original: FxHashMap<String, usize> = FxHashMap::default();
    for id in &ids {
        *original.entry(id.clone()).or_default() += 1;
    }
    if original.len() == ids.len() {
        return ids;
    }
    let mut current = original.clone();
    let mut suffixes: FxHashMap<String, usize> = FxHashMap::default();
    for id in &mut ids {
        if original.get(id.as_str()).copied().unwrap_or(0) < 2 {
            continue;
        }
        let separator = if id.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let next = suffixes.entry(id.clone()).or_default();
        let mut candidate = format!("{id}{separator}{next}");
        while current.get(&candidate).is_some_and(|&n| n > 0) {
            *next += 1;
            candidate = format!("{id}{separator}{next}");
        }
        *next += 1;
        if let Some(n) = current.get_mut(id.as_str()) {
            *n -= 1;
        }
        *current.entry(candidate.clone()).or_default() += 1;
        *id = candidate;
    }
    ids
}

fn unknown_or(what: &str, value: &Value) -> Why {
    match value.first_unknown() {
        Some(unknown) => Why {
            reason: unknown.reason.clone(),
            range: Some(unknown.range),
        },
        None => what.into(),
    }
}

/// pytest's `ascii_escaped` for a str: Python's `unicode_escape` codec.
pub fn escape(s: &str, rules: IdRules) -> String {
    if rules.no_escaping {
        return s.to_owned();
    }
    fanout_core::pyrepr::unicode_escape(s)
}

/// pytest's `ascii_escaped` for bytes: ASCII kept (control characters escaped), the rest `\xNN`.
fn escape_bytes(bytes: &[u8], rules: IdRules) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b' '..=b'~' => out.push(char::from(b)),
            // Without escaping, pytest would put raw bytes in a str: leave those to it.
            _ if rules.no_escaping && b < 0x80 => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out
}

#[cfg(test)]
mod tests;
