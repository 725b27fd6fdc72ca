//! Python equality, ordering, truthiness and hashing of known values.

use super::value::{EnumMixin, Value};
use std::cmp::Ordering;
use std::rc::Rc;

/// Deeper than this, comparisons give up rather than risk the stack.
const MAX_COMPARE_DEPTH: usize = 500;

impl Value {
    /// Python's `==`: `1 == 1.0 == True`, containers element-wise, dicts and sets ignoring
    /// order. `None` when an unknown part decides the answer.
    pub fn py_eq(&self, other: &Value) -> Option<bool> {
        eq_at(self, other, 0)
    }

    /// Python's `bool(value)`; `None` when not known.
    pub fn truthy(&self) -> Option<bool> {
        Some(match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Complex { real, imag } => *real != 0.0 || *imag != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::Tuple(items) | Value::List(items) | Value::Set(items) => !items.is_empty(),
            Value::Dict(pairs) => !pairs.is_empty(),
            // Functions, classes, params and marks are always true.
            Value::Named(_) | Value::Param(_) | Value::Mark(_) => true,
            Value::EnumMember(e) => match e.mixin {
                EnumMixin::None => true,
                _ => e.value.truthy()?,
            },
            Value::Opaque(_) => return None,
        })
    }

    /// The items of iterating over the value, in order: a tuple's or list's items, a dict's
    /// keys, a str's characters, a bytes' ints. `None` when not iterable, not known, or in an
    /// order fanout cannot know (a set of more than one element).
    pub fn iter_items(&self) -> Option<Vec<Value>> {
        match self {
            Value::Tuple(items) | Value::List(items) => Some(items.to_vec()),
            Value::Set(items) if items.len() <= 1 => Some(items.to_vec()),
            Value::Dict(pairs) => Some(pairs.iter().map(|(k, _)| k.clone()).collect()),
            Value::Str(s) => Some(
                s.chars()
                    .map(|c| Value::Str(Rc::from(c.encode_utf8(&mut [0; 4]) as &str)))
                    .collect(),
            ),
            Value::Bytes(b) => Some(b.iter().map(|&b| Value::Int(i64::from(b))).collect()),
            _ => None,
        }
    }
}

/// A number as Python's numeric tower sees it.
enum Num {
    Int(i64),
    Float(f64),
    Complex(f64, f64),
}

fn number(v: &Value) -> Option<Num> {
    match v {
        Value::Bool(b) => Some(Num::Int(i64::from(*b))),
        Value::Int(i) => Some(Num::Int(*i)),
        Value::Float(f) => Some(Num::Float(*f)),
        Value::Complex { real, imag } => Some(Num::Complex(*real, *imag)),
        Value::EnumMember(e) if e.mixin == EnumMixin::Int => match e.value {
            Value::Int(i) => Some(Num::Int(i)),
            _ => None,
        },
        _ => None,
    }
}

/// Exact comparison of an int with a float, as CPython does (no rounding of the int).
pub(crate) fn cmp_int_float(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    // 2^63 as a float; an i64 is always below it and at or above its negation.
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if f >= TWO_63 {
        return Some(Ordering::Less);
    }
    if f < -TWO_63 {
        return Some(Ordering::Greater);
    }
    #[allow(clippy::cast_possible_truncation)]
    let whole = f.trunc() as i64;
    Some(i.cmp(&whole).then_with(|| {
        let frac = f - f.trunc();
        0.0_f64.partial_cmp(&frac).unwrap_or(Ordering::Equal)
    }))
}

fn num_eq(a: &Num, b: &Num) -> bool {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x == y,
        (Num::Int(i), Num::Float(f)) | (Num::Float(f), Num::Int(i)) => {
            cmp_int_float(*i, *f) == Some(Ordering::Equal)
        }
        (Num::Float(x), Num::Float(y)) => x == y,
        (Num::Complex(r, i), other) | (other, Num::Complex(r, i)) => {
            *i == 0.0 && num_eq(&Num::Float(*r), other)
                || matches!(other, Num::Complex(r2, i2) if r == r2 && i == i2)
        }
    }
}

fn eq_at(a: &Value, b: &Value, depth: usize) -> Option<bool> {
    if depth > MAX_COMPARE_DEPTH {
        return None;
    }
    if let (Some(x), Some(y)) = (number(a), number(b)) {
        return Some(num_eq(&x, &y));
    }
    Some(match (a, b) {
        (Value::Opaque(_), _) | (_, Value::Opaque(_)) => return None,
        (Value::Param(_) | Value::Mark(_), _) | (_, Value::Param(_) | Value::Mark(_)) => {
            return None
        }
        (Value::None, Value::None) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::Tuple(x), Value::Tuple(y)) | (Value::List(x), Value::List(y)) => {
            seq_eq(x, y, depth)?
        }
        (Value::Set(x), Value::Set(y)) => {
            x.len() == y.len() && all_found(x, y, depth)? && all_found(y, x, depth)?
        }
        (Value::Dict(x), Value::Dict(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            for (k, v) in x.iter() {
                match lookup_at(y, k, depth + 1)? {
                    Some(w) => {
                        if !eq_at(v, w, depth + 1)? {
                            return Some(false);
                        }
                    }
                    None => return Some(false),
                }
            }
            true
        }
        (Value::Named(x), Value::Named(y)) => x == y,
        (Value::EnumMember(x), Value::EnumMember(y)) => {
            if x.mixin == EnumMixin::None || y.mixin == EnumMixin::None {
                x.class == y.class && x.member == y.member
            } else {
                eq_at(&x.value, &y.value, depth + 1)?
            }
        }
        // A member with `str` mixed in equals its value.
        (Value::EnumMember(e), other) | (other, Value::EnumMember(e)) => match e.mixin {
            EnumMixin::None => false,
            EnumMixin::Str | EnumMixin::Int => eq_at(&e.value, other, depth + 1)?,
            EnumMixin::Other => return None,
        },
        _ => false,
    })
}

fn seq_eq(x: &[Value], y: &[Value], depth: usize) -> Option<bool> {
    if x.len() != y.len() {
        return Some(false);
    }
    for (a, b) in x.iter().zip(y) {
        if !eq_at(a, b, depth + 1)? {
            return Some(false);
        }
    }
    Some(true)
}

fn all_found(needles: &[Value], haystack: &[Value], depth: usize) -> Option<bool> {
    for n in needles {
        if !contains_at(haystack, n, depth + 1)? {
            return Some(false);
        }
    }
    Some(true)
}

fn contains_at(items: &[Value], needle: &Value, depth: usize) -> Option<bool> {
    let mut unknown = false;
    for item in items {
        match eq_at(item, needle, depth) {
            Some(true) => return Some(true),
            Some(false) => {}
            None => unknown = true,
        }
    }
    if unknown {
        None
    } else {
        Some(false)
    }
}

/// `needle in items` over a sequence; `None` when an unknown item could match.
pub(crate) fn contains(items: &[Value], needle: &Value) -> Option<bool> {
    contains_at(items, needle, 0)
}

fn lookup_at<'v>(
    pairs: &'v [(Value, Value)],
    key: &Value,
    depth: usize,
) -> Option<Option<&'v Value>> {
    let mut unknown = false;
    for (k, v) in pairs {
        match eq_at(k, key, depth) {
            Some(true) => return Some(Some(v)),
            Some(false) => {}
            None => unknown = true,
        }
    }
    if unknown {
        None
    } else {
        Some(None)
    }
}

/// `dict[key]` by Python equality; `Some(None)` when surely absent, `None` when unknown.
pub(crate) fn lookup<'v>(pairs: &'v [(Value, Value)], key: &Value) -> Option<Option<&'v Value>> {
    lookup_at(pairs, key, 0)
}

/// Python's `<` family; `None` for a `TypeError` or an unknown part.
pub(crate) fn py_cmp(a: &Value, b: &Value) -> Option<Ordering> {
    cmp_at(a, b, 0)
}

fn cmp_at(a: &Value, b: &Value, depth: usize) -> Option<Ordering> {
    if depth > MAX_COMPARE_DEPTH {
        return None;
    }
    match (number(a), number(b)) {
        (Some(Num::Int(x)), Some(Num::Int(y))) => return Some(x.cmp(&y)),
        (Some(Num::Float(x)), Some(Num::Float(y))) => return x.partial_cmp(&y),
        (Some(Num::Int(i)), Some(Num::Float(f))) => return cmp_int_float(i, f),
        (Some(Num::Float(f)), Some(Num::Int(i))) => {
            return cmp_int_float(i, f).map(Ordering::reverse)
        }
        _ => {}
    }
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        (Value::Bytes(x), Value::Bytes(y)) => Some(x.cmp(y)),
        (Value::Tuple(x), Value::Tuple(y)) | (Value::List(x), Value::List(y)) => {
            // Lexicographic: the first unequal pair decides.
            for (p, q) in x.iter().zip(y.iter()) {
                if !eq_at(p, q, depth + 1)? {
                    return cmp_at(p, q, depth + 1);
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        _ => None,
    }
}

/// A canonical form of a hashable value: equal values have equal keys.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) enum HashKey {
    None,
    Int(i64),
    Float(u64),
    Complex(u64, u64),
    Str(Rc<str>),
    Bytes(Rc<[u8]>),
    Tuple(Vec<HashKey>),
    Named(Rc<str>),
    Enum(Rc<str>, Rc<str>),
}

/// The key of a hashable value: `Err` for an unhashable one (list, dict, set), `Ok(None)`
/// for one fanout cannot key (unknown, or an enum with a mixed-in type).
pub(crate) fn hash_key(v: &Value) -> Result<Option<HashKey>, &'static str> {
    hash_key_at(v, 0)
}

fn hash_key_at(v: &Value, depth: usize) -> Result<Option<HashKey>, &'static str> {
    if depth > MAX_COMPARE_DEPTH {
        return Ok(None);
    }
    let float_key = |f: f64| {
        #[allow(clippy::cast_possible_truncation)]
        let whole = f as i64;
        if f.fract() == 0.0 && cmp_int_float(whole, f) == Some(Ordering::Equal) {
            HashKey::Int(whole)
        } else {
            HashKey::Float(f.to_bits())
        }
    };
    Ok(Some(match v {
        Value::None => HashKey::None,
        Value::Bool(b) => HashKey::Int(i64::from(*b)),
        Value::Int(i) => HashKey::Int(*i),
        Value::Float(f) => float_key(*f),
        Value::Complex { real, imag } if *imag == 0.0 => float_key(*real),
        Value::Complex { real, imag } => HashKey::Complex(real.to_bits(), imag.to_bits()),
        Value::Str(s) => HashKey::Str(s.clone()),
        Value::Bytes(b) => HashKey::Bytes(b.clone()),
        Value::Tuple(items) => {
            let mut keys = Vec::with_capacity(items.len());
            for item in items.iter() {
                match hash_key_at(item, depth + 1)? {
                    Some(k) => keys.push(k),
                    None => return Ok(None),
                }
            }
            HashKey::Tuple(keys)
        }
        Value::List(_) => return Err("a list is unhashable"),
        Value::Dict(_) => return Err("a dict is unhashable"),
        Value::Set(_) => return Err("a set is unhashable"),
        Value::Named(n) => HashKey::Named(n.clone()),
        Value::EnumMember(e) if e.mixin == EnumMixin::None => {
            HashKey::Enum(e.class.clone(), e.member.clone())
        }
        Value::EnumMember(_) | Value::Param(_) | Value::Mark(_) | Value::Opaque(_) => {
            return Ok(None)
        }
    }))
}
