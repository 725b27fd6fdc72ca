//! Builtin functions (and `itertools.product`/`chain`) on known values.

use super::compare::py_cmp;
use super::{Evaluator, Outcome, Value};
use std::cmp::Ordering;
use std::rc::Rc;

/// Builtins fanout calls; any other builtin call is opaque.
pub(super) const BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "bool",
    "dict",
    "enumerate",
    "float",
    "int",
    "len",
    "list",
    "max",
    "min",
    "range",
    "repr",
    "reversed",
    "set",
    "sorted",
    "str",
    "sum",
    "tuple",
    "zip",
];

impl Evaluator<'_, '_> {
    pub(super) fn builtin(
        &mut self,
        name: &str,
        args: Vec<Value>,
        kwargs: &[(Rc<str>, Value)],
    ) -> Outcome {
        // An unknown argument makes the result unknown, with the argument's reason. (Unknown
        // items inside a known list stay in place: `list([f(), 1])` has two items.)
        for v in args.iter().chain(kwargs.iter().map(|(_, v)| v)) {
            if let Value::Opaque(_) = v {
                return Ok(v.clone());
            }
        }
        let kw = |key: &str| kwargs.iter().find(|(k, _)| &**k == key).map(|(_, v)| v);
        let allowed = match name {
            "sorted" | "min" | "max" => &["reverse", "default"][..],
            "enumerate" => &["start"][..],
            "int" => &["base"][..],
            "dict" => &[][..],
            _ => &[][..],
        };
        if let Some((k, _)) = kwargs
            .iter()
            .find(|(k, _)| !allowed.contains(&&**k) && name != "dict")
        {
            return Err(format!("`{name}()` with the keyword `{k}`"));
        }
        match (name, &args[..]) {
            ("len", [v]) => {
                let n = match v {
                    Value::Str(s) => s.chars().count(),
                    Value::Bytes(b) => b.len(),
                    Value::Tuple(i) | Value::List(i) | Value::Set(i) => i.len(),
                    Value::Dict(p) => p.len(),
                    Value::Named(_) => self.iterate(v)?.len(),
                    _ => return Err(format!("`len()` of {}", v.type_name())),
                };
                Ok(Value::Int(i64::try_from(n).map_err(|_| "too long")?))
            }
            ("str", []) => Ok(Value::Str(Rc::from(""))),
            ("str", [v]) => self.str_of(v),
            ("repr", [v]) => {
                let repr = v.repr().ok_or("the repr of a value fanout cannot know")?;
                self.text(repr.len())?;
                Ok(Value::Str(repr.into()))
            }
            ("bool", []) => Ok(Value::Bool(false)),
            ("bool", [v]) => v
                .truthy()
                .map(Value::Bool)
                .ok_or_else(|| "the truth of an unknown value".into()),
            ("int", []) => Ok(Value::Int(0)),
            ("int", [v]) => to_int(v, kw("base")),
            ("int", [v, base]) => to_int(v, Some(base)),
            ("float", []) => Ok(Value::Float(0.0)),
            ("float", [v]) => to_float(v),
            ("abs", [v]) => match v {
                Value::Int(i) => i
                    .checked_abs()
                    .map(Value::Int)
                    .ok_or_else(|| "an int beyond 64 bits".into()),
                Value::Bool(b) => Ok(Value::Int(i64::from(*b))),
                Value::Float(f) => Ok(Value::Float(f.abs())),
                Value::Complex { real, imag } => Ok(Value::Float(real.hypot(*imag))),
                _ => Err(format!("`abs()` of {}", v.type_name())),
            },
            ("list", []) => Ok(Value::List(Rc::from([]))),
            ("tuple", []) => Ok(Value::Tuple(Rc::from([]))),
            ("set", []) => Ok(Value::Set(Rc::from([]))),
            ("list", [v]) => Ok(Value::List(self.iterate(v)?.into())),
            ("tuple", [v]) => Ok(Value::Tuple(self.iterate(v)?.into())),
            ("set", [v]) => {
                let items = match v {
                    // A set's items are known even when their order is not.
                    Value::Set(items) => items.to_vec(),
                    other => self.iterate(other)?,
                };
                self.make_set(items)
            }
            ("dict", args) => self.dict(args, kwargs),
            ("reversed", [v]) => {
                let mut items = match v {
                    Value::Tuple(_) | Value::List(_) | Value::Str(_) | Value::Bytes(_) => {
                        self.iterate(v)?
                    }
                    _ => return Err(format!("`reversed()` of {}", v.type_name())),
                };
                items.reverse();
                Ok(Value::List(items.into()))
            }
            ("range", bounds) => self.range(bounds),
            ("enumerate", [v]) | ("enumerate", [v, _]) => {
                let start = match (args.get(1).or(kw("start")), 0) {
                    (None, _) => 0,
                    (Some(Value::Int(i)), _) => *i,
                    (Some(other), _) => {
                        return Err(format!("`enumerate()` starting at {}", other.type_name()))
                    }
                };
                let items = self.iterate(v)?;
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    let i = i64::try_from(i)
                        .ok()
                        .and_then(|i| i.checked_add(start))
                        .ok_or("an int beyond 64 bits")?;
                    out.push(Value::Tuple(Rc::from([Value::Int(i), item])));
                }
                Ok(Value::List(out.into()))
            }
            ("zip", iterables) => {
                let mut columns = Vec::new();
                for v in iterables {
                    columns.push(self.iterate(v)?);
                }
                let len = columns.iter().map(Vec::len).min().unwrap_or(0);
                self.collection(len.saturating_mul(columns.len()))?;
                let rows: Vec<Value> = (0..len)
                    .map(|i| {
                        Value::Tuple(columns.iter().filter_map(|c| c.get(i).cloned()).collect())
                    })
                    .collect();
                Ok(Value::List(rows.into()))
            }
            ("sorted", [v]) => {
                let mut items = self.iterate_any_order(v)?;
                let reverse = match kw("reverse") {
                    None => false,
                    Some(r) => r.truthy().ok_or("`sorted()` with an unknown `reverse`")?,
                };
                self.sort(&mut items, reverse)?;
                Ok(Value::List(items.into()))
            }
            ("min" | "max", candidates) if !candidates.is_empty() => {
                let items = match candidates {
                    [one] => self.iterate_any_order(one)?,
                    many => many.to_vec(),
                };
                self.charge(items.len())?;
                let wanted = if name == "min" {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
                let mut best: Option<Value> = None;
                for item in items {
                    best = Some(match best {
                        None => item,
                        Some(b) => {
                            let order =
                                py_cmp(&item, &b).ok_or("comparing values of different types")?;
                            if order == wanted {
                                item
                            } else {
                                b
                            }
                        }
                    });
                }
                match (best, kw("default")) {
                    (Some(b), _) => Ok(b),
                    (None, Some(d)) => Ok(d.clone()),
                    (None, None) => Err(format!("`{name}()` of an empty sequence (ValueError)")),
                }
            }
            ("sum", [v]) | ("sum", [v, _]) => {
                let mut total = args.get(1).cloned().unwrap_or(Value::Int(0));
                for item in self.iterate_any_order(v)? {
                    total = self.binary(ruff_python_ast::Operator::Add, &total, &item)?;
                }
                Ok(total)
            }
            ("any" | "all", [v]) => {
                let mut unknown = false;
                for item in self.iterate_any_order(v)? {
                    match item.truthy() {
                        Some(t) if t == (name == "any") => return Ok(Value::Bool(t)),
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
                if unknown {
                    return Err(format!("`{name}()` over values whose truth is unknown"));
                }
                Ok(Value::Bool(name == "all"))
            }
            ("itertools.chain", iterables) => {
                let mut out = Vec::new();
                for v in iterables {
                    out.extend(self.iterate(v)?);
                    self.collection(out.len())?;
                }
                Ok(Value::List(out.into()))
            }
            ("itertools.product", iterables) => {
                if let Some((k, _)) = kwargs.first() {
                    return Err(format!("`itertools.product()` with `{k}=`"));
                }
                let mut rows: Vec<Vec<Value>> = vec![Vec::new()];
                for v in iterables {
                    let column = self.iterate(v)?;
                    self.collection(rows.len().saturating_mul(column.len()))?;
                    rows = rows
                        .iter()
                        .flat_map(|row| {
                            column.iter().map(move |item| {
                                let mut next = row.clone();
                                next.push(item.clone());
                                next
                            })
                        })
                        .collect();
                }
                Ok(Value::List(
                    rows.into_iter().map(|r| Value::Tuple(r.into())).collect(),
                ))
            }
            _ => Err(format!("`{name}()` with these arguments")),
        }
    }

    /// Items where order does not matter to the result (`sorted`, `min`, `sum`): a set's too.
    fn iterate_any_order(&mut self, v: &Value) -> Result<Vec<Value>, String> {
        match v {
            Value::Set(items) => {
                self.collection(items.len())?;
                Ok(items.to_vec())
            }
            other => self.iterate(other),
        }
    }

    /// A stable sort by Python's `<` (reversed comparisons for `reverse=True`, which keeps
    /// equal items in order); fails on mixed types or unknown items.
    fn sort(&mut self, items: &mut [Value], reverse: bool) -> Result<(), String> {
        let n = items.len();
        self.charge(n.saturating_mul(usize::BITS as usize - n.leading_zeros() as usize))?;
        let mut failed = false;
        items.sort_by(|a, b| {
            let (a, b) = if reverse { (b, a) } else { (a, b) };
            py_cmp(a, b).unwrap_or_else(|| {
                failed = true;
                Ordering::Equal
            })
        });
        if failed {
            return Err("sorting values that do not compare (TypeError or unknown)".into());
        }
        Ok(())
    }

    pub(super) fn str_of(&mut self, v: &Value) -> Outcome {
        let s = v.str().ok_or("the str() of a value fanout cannot know")?;
        self.text(s.len())?;
        Ok(Value::Str(s.into()))
    }

    fn range(&mut self, bounds: &[Value]) -> Outcome {
        let mut ints = Vec::with_capacity(bounds.len());
        for b in bounds {
            match b {
                Value::Int(i) => ints.push(*i),
                Value::Bool(b) => ints.push(i64::from(*b)),
                other => return Err(format!("`range()` of {}", other.type_name())),
            }
        }
        let (start, stop, step) = match ints[..] {
            [stop] => (0, stop, 1),
            [start, stop] => (start, stop, 1),
            [start, stop, step] => (start, stop, step),
            _ => return Err("`range()` takes one to three ints".into()),
        };
        if step == 0 {
            return Err("`range()` with a step of zero (ValueError)".into());
        }
        let span = if step > 0 {
            i128::from(stop) - i128::from(start)
        } else {
            i128::from(start) - i128::from(stop)
        };
        let step_size = i128::from(step).abs();
        let len = if span <= 0 {
            0
        } else {
            (span + step_size - 1) / step_size
        };
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        self.collection(len)?;
        let items: Rc<[Value]> = (0..len)
            .filter_map(|i| {
                let i = i64::try_from(i).ok()?;
                start.checked_add(i.checked_mul(step)?).map(Value::Int)
            })
            .collect();
        Ok(Value::List(items))
    }

    fn dict(&mut self, args: &[Value], kwargs: &[(Rc<str>, Value)]) -> Outcome {
        let mut pairs = Vec::new();
        match args {
            [] => {}
            [Value::Dict(p)] => pairs.extend(p.iter().cloned()),
            [other] => {
                for item in self.iterate(other)? {
                    match self.iterate(&item)?[..] {
                        [ref k, ref v] => pairs.push((k.clone(), v.clone())),
                        _ => return Err("`dict()` of items that are not pairs".into()),
                    }
                }
            }
            _ => return Err("`dict()` with more than one positional argument".into()),
        }
        pairs.extend(
            kwargs
                .iter()
                .map(|(k, v)| (Value::Str(k.clone()), v.clone())),
        );
        self.make_dict(pairs)
    }
}

fn to_int(v: &Value, base: Option<&Value>) -> Outcome {
    let base = match base {
        None => None,
        Some(Value::Int(b)) if *b == 0 || (2..=36).contains(b) => u32::try_from(*b).ok(),
        Some(_) => return Err("`int()` with an unusual base".into()),
    };
    match (v, base) {
        (Value::Int(i), None) => Ok(Value::Int(*i)),
        (Value::Bool(b), None) => Ok(Value::Int(i64::from(*b))),
        (Value::Float(f), None) => {
            let t = f.trunc();
            if !t.is_finite() || t.abs() >= 9.2e18 {
                return Err("`int()` of a float too large or not finite".into());
            }
            #[allow(clippy::cast_possible_truncation)]
            Ok(Value::Int(t as i64))
        }
        (Value::Str(s), base) => parse_int(s, base.unwrap_or(10))
            .map(Value::Int)
            .ok_or_else(|| format!("`int()` of {s:?}, which is not a (small) int literal")),
        _ => Err(format!("`int()` of {}", v.type_name())),
    }
}

/// `int(text, base)`: whitespace around, a sign, `_` between digits, a prefix for base 0.
fn parse_int(text: &str, base: u32) -> Option<i64> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let lower = t.to_ascii_lowercase();
    let prefixed = |p: &str| {
        lower
            .strip_prefix(p)
            .map(|r| r.trim_start_matches('_').to_owned())
    };
    let (digits, base) = match base {
        0 | 16 if lower.starts_with("0x") => (prefixed("0x")?, 16),
        0 | 8 if lower.starts_with("0o") => (prefixed("0o")?, 8),
        0 | 2 if lower.starts_with("0b") => (prefixed("0b")?, 2),
        0 => {
            // Base 0 rejects leading zeros on non-zero numbers, as Python literals do.
            if lower.len() > 1
                && lower.starts_with('0')
                && !lower.trim_matches(['0', '_']).is_empty()
            {
                return None;
            }
            (lower, 10)
        }
        b => (lower, b),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    let magnitude = i128::from_str_radix(&clean, base).ok()?;
    let value = if negative { -magnitude } else { magnitude };
    i64::try_from(value).ok()
}

fn to_float(v: &Value) -> Outcome {
    match v {
        Value::Float(f) => Ok(Value::Float(*f)),
        #[allow(clippy::cast_precision_loss)]
        Value::Int(i) => Ok(Value::Float(*i as f64)),
        Value::Bool(b) => Ok(Value::Float(f64::from(u8::from(*b)))),
        Value::Str(s) => {
            let t = s.trim().to_ascii_lowercase().replace('_', "");
            let body = t.trim_start_matches(['+', '-']);
            let special = matches!(body, "inf" | "infinity" | "nan");
            let plain = body
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-'));
            if !(special || plain) || s.contains("__") {
                return Err(format!("`float()` of {s:?}"));
            }
            t.parse::<f64>()
                .map(Value::Float)
                .map_err(|_| format!("`float()` of {s:?}"))
        }
        _ => Err(format!("`float()` of {}", v.type_name())),
    }
}
