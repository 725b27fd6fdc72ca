//! One expression node at a time: literals, containers, operators, subscripts.

use super::compare::{hash_key, lookup};
use super::{Evaluator, Outcome, Value};
use ruff_python_ast::{BoolOp, Expr, Number};
use std::rc::Rc;

impl<'a> Evaluator<'_, 'a> {
    pub(super) fn eval_node(&mut self, expr: &'a Expr) -> Outcome {
        match expr {
            Expr::NumberLiteral(n) => Ok(match &n.value {
                Number::Int(i) => Value::Int(
                    i.as_i64()
                        .ok_or("an int of more than 64 bits, which fanout does not evaluate")?,
                ),
                Number::Float(f) => Value::Float(*f),
                Number::Complex { real, imag } => Value::Complex {
                    real: *real,
                    imag: *imag,
                },
            }),
            Expr::StringLiteral(s) => {
                let text = s.value.to_str();
                self.text(text.len())?;
                Ok(Value::Str(Rc::from(text)))
            }
            Expr::BytesLiteral(b) => {
                self.text(b.value.len())?;
                Ok(Value::Bytes(b.value.bytes().collect()))
            }
            Expr::BooleanLiteral(b) => Ok(Value::Bool(b.value)),
            Expr::NoneLiteral(_) => Ok(Value::None),
            Expr::FString(f) => self.fstring(f),
            Expr::Name(name) => self.name(name),
            Expr::UnaryOp(u) => {
                let operand = self.eval(&u.operand);
                super::ops::unary(u.op, &operand)
            }
            Expr::BinOp(b) => {
                let left = self.eval(&b.left);
                let right = self.eval(&b.right);
                self.binary(b.op, &left, &right)
            }
            Expr::BoolOp(b) => self.bool_op(b.op, &b.values),
            Expr::Compare(c) => self.compare(c),
            Expr::If(e) => {
                let test = self.eval(&e.test);
                match test.truthy() {
                    Some(true) => Ok(self.eval(&e.body)),
                    Some(false) => Ok(self.eval(&e.orelse)),
                    None => opaque_or(test, "a condition fanout cannot decide"),
                }
            }
            Expr::Tuple(t) => Ok(Value::Tuple(self.items(&t.elts)?.into())),
            Expr::List(l) => Ok(Value::List(self.items(&l.elts)?.into())),
            Expr::Set(s) => {
                let items = self.items(&s.elts)?;
                self.make_set(items)
            }
            Expr::Dict(d) => {
                let mut pairs = Vec::new();
                for item in &d.items {
                    match &item.key {
                        Some(key) => {
                            let key = self.eval(key);
                            pairs.push((key, self.eval(&item.value)));
                        }
                        None => match self.eval(&item.value) {
                            Value::Dict(more) => pairs.extend(more.iter().cloned()),
                            Value::Opaque(u) => return Ok(Value::Opaque(u)),
                            _ => return Err("`**` unpacks something that is not a dict".into()),
                        },
                    }
                }
                self.make_dict(pairs)
            }
            Expr::ListComp(c) => {
                let items = self.comprehension(&c.generators, |ev| vec![ev.eval(&c.elt)])?;
                Ok(Value::List(items.into()))
            }
            // A generator is what pytest iterates: its items, in order.
            Expr::Generator(c) => {
                let items = self.comprehension(&c.generators, |ev| vec![ev.eval(&c.elt)])?;
                Ok(Value::List(items.into()))
            }
            Expr::SetComp(c) => {
                let items = self.comprehension(&c.generators, |ev| vec![ev.eval(&c.elt)])?;
                self.make_set(items)
            }
            Expr::DictComp(c) => {
                let Some(key) = &c.key else {
                    return Err("`**` in a dict comprehension".into());
                };
                let flat = self.comprehension(&c.generators, |ev| {
                    let k = ev.eval(key);
                    vec![k, ev.eval(&c.value)]
                })?;
                let mut pairs = Vec::with_capacity(flat.len() / 2);
                let mut flat = flat.into_iter();
                while let (Some(k), Some(v)) = (flat.next(), flat.next()) {
                    pairs.push((k, v));
                }
                self.make_dict(pairs)
            }
            Expr::Subscript(s) => self.subscript(s),
            Expr::Attribute(a) => self.attribute(a, expr),
            Expr::Call(call) => self.call(call, expr),
            Expr::Starred(_) => Err("`*` unpacking outside a list, tuple, set or call".into()),
            Expr::Lambda(_) => Err("a lambda is a function defined at run time".into()),
            Expr::Named(_) => Err("an assignment expression (`:=`)".into()),
            Expr::EllipsisLiteral(_) => Err("`...` (Ellipsis)".into()),
            Expr::Slice(_) => Err("a slice outside a subscript".into()),
            Expr::Await(_) | Expr::Yield(_) | Expr::YieldFrom(_) => {
                Err("`await` or `yield` only happens at run time".into())
            }
            Expr::TString(_) => Err("a template string (t-string)".into()),
            Expr::IpyEscapeCommand(_) => Err("an IPython escape command".into()),
        }
    }

    /// The items of a tuple, list or set display, with `*` unpacking.
    pub(super) fn items(&mut self, elts: &'a [Expr]) -> Result<Vec<Value>, String> {
        let mut out = Vec::with_capacity(elts.len());
        for elt in elts {
            match elt {
                Expr::Starred(s) => {
                    let value = self.eval(&s.value);
                    let items = self.iterate(&value)?;
                    out.extend(items);
                }
                other => out.push(self.eval(other)),
            }
            self.collection(out.len())?;
        }
        Ok(out)
    }

    /// `and`/`or`: the operand that decides, as Python returns it.
    fn bool_op(&mut self, op: BoolOp, values: &'a [Expr]) -> Outcome {
        let mut last = Value::None;
        for (i, expr) in values.iter().enumerate() {
            last = self.eval(expr);
            if i + 1 == values.len() {
                break;
            }
            match (op, last.truthy()) {
                (BoolOp::And, Some(false)) | (BoolOp::Or, Some(true)) => return Ok(last),
                (_, Some(_)) => {}
                (_, None) => return opaque_or(last, "an operand whose truth fanout cannot decide"),
            }
        }
        Ok(last)
    }

    /// A set from items in order, without duplicates.
    pub(super) fn make_set(&mut self, items: Vec<Value>) -> Outcome {
        self.collection(items.len())?;
        let mut seen = rustc_hash::FxHashSet::default();
        let mut out: Vec<Value> = Vec::with_capacity(items.len());
        for item in items {
            match hash_key(&item)? {
                Some(key) => {
                    if seen.insert(key) {
                        out.push(item);
                    }
                }
                None => out.push(item),
            }
        }
        Ok(Value::Set(out.into()))
    }

    /// A dict from pairs in order: a repeated key keeps its first position and last value.
    pub(super) fn make_dict(&mut self, pairs: Vec<(Value, Value)>) -> Outcome {
        self.collection(pairs.len())?;
        let mut index: rustc_hash::FxHashMap<_, usize> = rustc_hash::FxHashMap::default();
        let mut out: Vec<(Value, Value)> = Vec::with_capacity(pairs.len());
        for (key, value) in pairs {
            match hash_key(&key)? {
                Some(k) => match index.get(&k) {
                    Some(&i) => {
                        if let Some(slot) = out.get_mut(i) {
                            slot.1 = value;
                        }
                    }
                    None => {
                        index.insert(k, out.len());
                        out.push((key, value));
                    }
                },
                None => out.push((key, value)),
            }
        }
        Ok(Value::Dict(out.into()))
    }

    /// The items of iterating a value, or why not.
    pub(super) fn iterate(&mut self, value: &Value) -> Result<Vec<Value>, String> {
        if let Value::Named(name) = value {
            if let Some(members) = self.enum_members(name) {
                return members;
            }
        }
        if let Value::Set(items) = value {
            if items.len() > 1 {
                return Err("iterating a set: its order comes from hashing".into());
            }
        }
        let items = value.iter_items().ok_or_else(|| match value {
            Value::Opaque(u) => u.reason.clone(),
            _ => format!("iterating {}", value.type_name()),
        })?;
        self.collection(items.len())?;
        Ok(items)
    }

    /// `value[index]` and `value[start:stop:step]`.
    fn subscript(&mut self, s: &'a ruff_python_ast::ExprSubscript) -> Outcome {
        let value = self.eval(&s.value);
        if let Expr::Slice(slice) = &*s.slice {
            let mut bound = |e: &'a Option<Box<Expr>>| -> Result<Option<i64>, Value> {
                match e.as_deref().map(|e| self.eval(e)) {
                    None | Some(Value::None) => Ok(None),
                    Some(Value::Int(i)) => Ok(Some(i)),
                    Some(Value::Bool(b)) => Ok(Some(i64::from(b))),
                    Some(other) => Err(other),
                }
            };
            let bounds = (bound(&slice.lower), bound(&slice.upper), bound(&slice.step));
            let (Ok(lower), Ok(upper), Ok(step)) = bounds else {
                return Err("slice bounds that are not ints".into());
            };
            if let Value::Opaque(_) = value {
                return Ok(value);
            }
            return self.slice(&value, lower, upper, step);
        }
        let index = self.eval(&s.slice);
        self.index(&value, &index)
    }

    pub(super) fn index(&mut self, value: &Value, index: &Value) -> Outcome {
        for v in [value, index] {
            if let Value::Opaque(_) = v {
                return Ok(v.clone());
            }
        }
        if let Value::Dict(pairs) = value {
            self.charge(pairs.len())?;
            return match lookup(pairs, index) {
                Some(Some(found)) => Ok(found.clone()),
                Some(None) => Err(format!(
                    "the key {} is not in the dict (KeyError)",
                    index.repr().unwrap_or_default()
                )),
                None => Err("a dict lookup that an unknown key may match".into()),
            };
        }
        let i = match index {
            Value::Int(i) => *i,
            Value::Bool(b) => i64::from(*b),
            _ => return Err(format!("indexing with {}", index.type_name())),
        };
        let pick = |len: usize| -> Result<usize, String> {
            let len = i64::try_from(len).map_err(|_| "too long")?;
            let at = if i < 0 { i + len } else { i };
            usize::try_from(at)
                .ok()
                .filter(|&at| i64::try_from(at).is_ok_and(|a| a < len))
                .ok_or_else(|| "index out of range (IndexError)".to_owned())
        };
        match value {
            Value::Tuple(items) | Value::List(items) => Ok(items
                .get(pick(items.len())?)
                .cloned()
                .unwrap_or(Value::None)),
            Value::Str(s) => {
                let chars: Vec<char> = s.chars().collect();
                let c = chars.get(pick(chars.len())?).copied().unwrap_or(' ');
                Ok(Value::Str(Rc::from(c.to_string())))
            }
            Value::Bytes(b) => Ok(Value::Int(
                b.get(pick(b.len())?).copied().map_or(0, i64::from),
            )),
            _ => Err(format!("indexing {}", value.type_name())),
        }
    }

    fn slice(
        &mut self,
        value: &Value,
        lower: Option<i64>,
        upper: Option<i64>,
        step: Option<i64>,
    ) -> Outcome {
        let step = step.unwrap_or(1);
        if step == 0 {
            return Err("a slice step of zero (ValueError)".into());
        }
        let positions = |len: usize| -> Vec<usize> {
            let len = i64::try_from(len).unwrap_or(i64::MAX);
            let clamp = |b: Option<i64>, default: i64| -> i64 {
                match b {
                    None => default,
                    Some(b) if b < 0 => {
                        let b = b.saturating_add(len);
                        if b < 0 {
                            if step < 0 {
                                -1
                            } else {
                                0
                            }
                        } else {
                            b
                        }
                    }
                    Some(b) if b >= len => {
                        if step < 0 {
                            len - 1
                        } else {
                            len
                        }
                    }
                    Some(b) => b,
                }
            };
            let (start, stop) = if step > 0 {
                (clamp(lower, 0), clamp(upper, len))
            } else {
                (clamp(lower, len - 1), clamp(upper, -1))
            };
            let mut out = Vec::new();
            let mut i = start;
            while (step > 0 && i < stop) || (step < 0 && i > stop) {
                if let Ok(at) = usize::try_from(i) {
                    out.push(at);
                }
                i = match i.checked_add(step) {
                    Some(next) => next,
                    None => break,
                };
            }
            out
        };
        match value {
            Value::Tuple(items) | Value::List(items) => {
                self.charge(items.len())?;
                let picked: Rc<[Value]> = positions(items.len())
                    .into_iter()
                    .filter_map(|i| items.get(i).cloned())
                    .collect();
                Ok(match value {
                    Value::Tuple(_) => Value::Tuple(picked),
                    _ => Value::List(picked),
                })
            }
            Value::Str(s) => {
                self.text(s.len())?;
                let chars: Vec<char> = s.chars().collect();
                let picked: String = positions(chars.len())
                    .into_iter()
                    .filter_map(|i| chars.get(i))
                    .collect();
                Ok(Value::Str(picked.into()))
            }
            Value::Bytes(b) => {
                self.text(b.len())?;
                let picked: Vec<u8> = positions(b.len())
                    .into_iter()
                    .filter_map(|i| b.get(i).copied())
                    .collect();
                Ok(Value::Bytes(picked.into()))
            }
            _ => Err(format!("slicing {}", value.type_name())),
        }
    }
}

/// The value itself when it is opaque (it already says why), else `reason`.
pub(super) fn opaque_or(value: Value, reason: &str) -> Outcome {
    match value {
        Value::Opaque(_) => Ok(value),
        _ => Err(reason.into()),
    }
}
