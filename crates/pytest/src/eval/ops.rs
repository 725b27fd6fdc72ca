//! Operators with Python semantics: int arithmetic checked for overflow, floor division and
//! modulo rounding toward negative infinity, sequence concatenation and repetition.

use super::compare::{contains, hash_key, lookup, py_cmp};
use super::{EnumMixin, Evaluator, Outcome, Value};
use ruff_python_ast::{CmpOp, ExprCompare, Operator, UnaryOp};
use std::cmp::Ordering;
use std::rc::Rc;

#[derive(Clone, Copy)]
enum Num {
    Int(i64),
    Float(f64),
    Complex(f64, f64),
}

fn num(v: &Value) -> Option<Num> {
    match v {
        Value::Bool(b) => Some(Num::Int(i64::from(*b))),
        Value::Int(i) => Some(Num::Int(*i)),
        Value::Float(f) => Some(Num::Float(*f)),
        Value::Complex { real, imag } => Some(Num::Complex(*real, *imag)),
        Value::EnumMember(e) if e.mixin == EnumMixin::Int => num(&e.value),
        _ => None,
    }
}

#[allow(clippy::cast_precision_loss)]
fn to_float(n: Num) -> f64 {
    match n {
        Num::Int(i) => i as f64,
        Num::Float(f) | Num::Complex(f, _) => f,
    }
}

fn to_complex(n: Num) -> (f64, f64) {
    match n {
        Num::Complex(r, i) => (r, i),
        other => (to_float(other), 0.0),
    }
}

const OVERFLOW: &str = "an int beyond 64 bits, which fanout does not evaluate";
const ZERO_DIVISION: &str = "a division by zero (ZeroDivisionError)";

pub(super) fn unary(op: UnaryOp, operand: &Value) -> Outcome {
    if let Value::Opaque(_) = operand {
        return Ok(operand.clone());
    }
    if op == UnaryOp::Not {
        return operand
            .truthy()
            .map(|t| Value::Bool(!t))
            .ok_or_else(|| "`not` of a value whose truth is unknown".into());
    }
    let Some(n) = num(operand) else {
        return Err(format!("a unary operator on {}", operand.type_name()));
    };
    Ok(match (op, n) {
        (UnaryOp::UAdd, Num::Int(i)) => Value::Int(i),
        (UnaryOp::UAdd, Num::Float(f)) => Value::Float(f),
        (UnaryOp::UAdd, Num::Complex(real, imag)) => Value::Complex { real, imag },
        (UnaryOp::USub, Num::Int(i)) => Value::Int(i.checked_neg().ok_or(OVERFLOW)?),
        (UnaryOp::USub, Num::Float(f)) => Value::Float(-f),
        (UnaryOp::USub, Num::Complex(real, imag)) => Value::Complex {
            real: -real,
            imag: -imag,
        },
        (UnaryOp::Invert, Num::Int(i)) => Value::Int(!i),
        _ => return Err(format!("`~` on {}", operand.type_name())),
    })
}

impl<'a> Evaluator<'_, 'a> {
    pub(super) fn binary(&mut self, op: Operator, left: &Value, right: &Value) -> Outcome {
        for v in [left, right] {
            if let Value::Opaque(_) = v {
                return Ok(v.clone());
            }
        }
        if let (Some(a), Some(b)) = (num(left), num(right)) {
            return arithmetic(op, a, b);
        }
        match (op, left, right) {
            (Operator::Add, Value::Str(a), Value::Str(b)) => {
                self.text(a.len() + b.len())?;
                Ok(Value::Str(Rc::from(format!("{a}{b}"))))
            }
            (Operator::Add, Value::Bytes(a), Value::Bytes(b)) => {
                self.text(a.len() + b.len())?;
                Ok(Value::Bytes(a.iter().chain(b.iter()).copied().collect()))
            }
            (Operator::Add, Value::List(a), Value::List(b)) => {
                self.collection(a.len() + b.len())?;
                Ok(Value::List(a.iter().chain(b.iter()).cloned().collect()))
            }
            (Operator::Add, Value::Tuple(a), Value::Tuple(b)) => {
                self.collection(a.len() + b.len())?;
                Ok(Value::Tuple(a.iter().chain(b.iter()).cloned().collect()))
            }
            (Operator::Mult, seq, count) | (Operator::Mult, count, seq)
                if matches!(count, Value::Int(_) | Value::Bool(_))
                    && !matches!(seq, Value::Int(_) | Value::Bool(_)) =>
            {
                let times = match count {
                    Value::Int(i) => usize::try_from(*i).unwrap_or(0),
                    Value::Bool(b) => usize::from(*b),
                    _ => 0,
                };
                self.repeat(seq, times)
            }
            (Operator::Mod, Value::Str(format), args) => self.percent_format(format, args),
            (Operator::BitOr, Value::Dict(a), Value::Dict(b)) => {
                self.make_dict(a.iter().chain(b.iter()).cloned().collect())
            }
            _ => Err(format!(
                "the operator `{}` between {} and {}",
                op.as_str(),
                left.type_name(),
                right.type_name()
            )),
        }
    }

    /// `seq * times`, paying for the size of the result before building it.
    fn repeat(&mut self, seq: &Value, times: usize) -> Outcome {
        let too_big = || "a repetition too large for fanout's limits".to_owned();
        match seq {
            Value::Str(s) => {
                self.text(s.len().checked_mul(times).ok_or_else(too_big)?)?;
                Ok(Value::Str(Rc::from(s.repeat(times))))
            }
            Value::Bytes(b) => {
                self.text(b.len().checked_mul(times).ok_or_else(too_big)?)?;
                Ok(Value::Bytes(b.repeat(times).into()))
            }
            Value::List(items) | Value::Tuple(items) => {
                self.collection(items.len().checked_mul(times).ok_or_else(too_big)?)?;
                let repeated: Rc<[Value]> =
                    (0..times).flat_map(|_| items.iter().cloned()).collect();
                Ok(match seq {
                    Value::List(_) => Value::List(repeated),
                    _ => Value::Tuple(repeated),
                })
            }
            _ => Err(format!("repeating {}", seq.type_name())),
        }
    }

    /// A comparison chain: `a < b <= c` is `a < b and b <= c`, each operand evaluated once.
    pub(super) fn compare(&mut self, c: &'a ExprCompare) -> Outcome {
        let equality = c
            .ops
            .iter()
            .any(|op| !matches!(op, CmpOp::In | CmpOp::NotIn));
        if equality {
            let operands = std::iter::once(&*c.left).chain(c.comparators.iter());
            if let Some(reason) = operands.clone().find_map(|e| self.iterator_object(e)) {
                return Err(reason);
            }
        }
        let mut left = self.eval(&c.left);
        for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
            let right = self.eval(right);
            match self.compare_pair(*op, &left, &right)? {
                Value::Bool(true) => {}
                other => return Ok(other),
            }
            left = right;
        }
        Ok(Value::Bool(true))
    }

    fn compare_pair(&mut self, op: CmpOp, left: &Value, right: &Value) -> Outcome {
        for v in [left, right] {
            if let Value::Opaque(_) = v {
                return Ok(v.clone());
            }
        }
        let unknown = || format!("comparing {} with {}", left.type_name(), right.type_name());
        let result = match op {
            CmpOp::Eq => left.py_eq(right).ok_or_else(unknown)?,
            CmpOp::NotEq => !left.py_eq(right).ok_or_else(unknown)?,
            CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE => {
                let Some(order) = py_cmp(left, right) else {
                    // NaN compares false with everything.
                    if matches!(left, Value::Float(f) if f.is_nan())
                        || matches!(right, Value::Float(f) if f.is_nan())
                    {
                        return Ok(Value::Bool(false));
                    }
                    return Err(unknown());
                };
                match op {
                    CmpOp::Lt => order == Ordering::Less,
                    CmpOp::LtE => order != Ordering::Greater,
                    CmpOp::Gt => order == Ordering::Greater,
                    _ => order != Ordering::Less,
                }
            }
            CmpOp::In | CmpOp::NotIn => {
                let found = self.contains(right, left)?;
                (op == CmpOp::In) == found
            }
            CmpOp::Is | CmpOp::IsNot => {
                // Identity is only certain for singletons.
                let same = match (left, right) {
                    (Value::None, other) | (other, Value::None) => matches!(other, Value::None),
                    (Value::Bool(a), Value::Bool(b)) => a == b,
                    (Value::EnumMember(a), Value::EnumMember(b)) => {
                        a.class == b.class && a.member == b.member
                    }
                    _ => return Err("`is` between values whose identity is not known".into()),
                };
                (op == CmpOp::Is) == same
            }
        };
        Ok(Value::Bool(result))
    }

    /// `needle in container`.
    pub(super) fn contains(&mut self, container: &Value, needle: &Value) -> Result<bool, String> {
        let unknown = || "membership that an unknown item may decide".to_owned();
        match container {
            Value::Str(s) => match needle {
                Value::Str(n) => Ok(s.contains(&**n)),
                _ => Err(format!("`in` a str with {}", needle.type_name())),
            },
            Value::Bytes(b) => match needle {
                Value::Bytes(n) => Ok(n.is_empty() || b.windows(n.len()).any(|w| w == &n[..])),
                Value::Int(i) => Ok(u8::try_from(*i).is_ok_and(|i| b.contains(&i))),
                _ => Err(format!("`in` a bytes with {}", needle.type_name())),
            },
            Value::Tuple(items) | Value::List(items) => {
                self.charge(items.len())?;
                contains(items, needle).ok_or_else(unknown)
            }
            Value::Set(items) => {
                hash_key(needle)?;
                self.charge(items.len())?;
                contains(items, needle).ok_or_else(unknown)
            }
            Value::Dict(pairs) => {
                hash_key(needle)?;
                self.charge(pairs.len())?;
                lookup(pairs, needle)
                    .map(|found| found.is_some())
                    .ok_or_else(unknown)
            }
            _ => {
                let items = self.iterate(container)?;
                contains(&items, needle).ok_or_else(unknown)
            }
        }
    }
}

fn arithmetic(op: Operator, a: Num, b: Num) -> Outcome {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => int_arithmetic(op, x, y),
        (Num::Complex(..), _) | (_, Num::Complex(..)) => {
            let ((ar, ai), (br, bi)) = (to_complex(a), to_complex(b));
            let (real, imag) = match op {
                Operator::Add => (ar + br, ai + bi),
                Operator::Sub => (ar - br, ai - bi),
                Operator::Mult => (ar * br - ai * bi, ar * bi + ai * br),
                _ => return Err(format!("the operator `{}` on complex numbers", op.as_str())),
            };
            Ok(Value::Complex { real, imag })
        }
        _ => float_arithmetic(op, to_float(a), to_float(b)),
    }
}

fn int_arithmetic(op: Operator, x: i64, y: i64) -> Outcome {
    let int = |r: Option<i64>| r.map(Value::Int).ok_or_else(|| OVERFLOW.to_owned());
    match op {
        Operator::Add => int(x.checked_add(y)),
        Operator::Sub => int(x.checked_sub(y)),
        Operator::Mult => int(x.checked_mul(y)),
        Operator::FloorDiv | Operator::Mod => {
            if y == 0 {
                return Err(ZERO_DIVISION.into());
            }
            let (q, r) = (
                x.checked_div(y).ok_or(OVERFLOW)?,
                x.checked_rem(y).ok_or(OVERFLOW)?,
            );
            // Python rounds the quotient down, so the remainder takes the divisor's sign.
            let adjust = r != 0 && ((r < 0) != (y < 0));
            if op == Operator::Mod {
                int(Some(if adjust { r + y } else { r }))
            } else {
                int(Some(if adjust { q - 1 } else { q }))
            }
        }
        Operator::Div => {
            if y == 0 {
                return Err(ZERO_DIVISION.into());
            }
            // Exact below 2^53; CPython rounds true division of bigger ints correctly.
            const EXACT: i64 = 1 << 53;
            if x.abs() > EXACT || y.abs() > EXACT {
                return Err("true division of ints beyond 2**53".into());
            }
            float_arithmetic(Operator::Div, to_float(Num::Int(x)), to_float(Num::Int(y)))
        }
        Operator::Pow => {
            if y < 0 {
                return float_arithmetic(op, to_float(Num::Int(x)), to_float(Num::Int(y)));
            }
            let exp = u32::try_from(y).map_err(|_| OVERFLOW)?;
            int(x.checked_pow(exp))
        }
        Operator::LShift => {
            let shift = u32::try_from(y).map_err(|_| "a negative or huge shift")?;
            let shifted = if shift >= 63 {
                (x == 0).then_some(0)
            } else {
                x.checked_mul(1_i64 << shift)
            };
            int(shifted)
        }
        Operator::RShift => {
            let shift = u32::try_from(y).map_err(|_| "a negative or huge shift")?;
            Ok(Value::Int(x >> shift.min(63)))
        }
        Operator::BitAnd => Ok(Value::Int(x & y)),
        Operator::BitOr => Ok(Value::Int(x | y)),
        Operator::BitXor => Ok(Value::Int(x ^ y)),
        Operator::MatMult => Err("`@` on ints".into()),
    }
}

fn float_arithmetic(op: Operator, x: f64, y: f64) -> Outcome {
    let value = match op {
        Operator::Add => x + y,
        Operator::Sub => x - y,
        Operator::Mult => x * y,
        Operator::Div => {
            if y == 0.0 {
                return Err(ZERO_DIVISION.into());
            }
            x / y
        }
        Operator::FloorDiv | Operator::Mod => {
            if y == 0.0 {
                return Err(ZERO_DIVISION.into());
            }
            let (div, rem) = float_divmod(x, y);
            if op == Operator::Mod {
                rem
            } else {
                div
            }
        }
        Operator::Pow => {
            if x == 0.0 && y < 0.0 {
                return Err(ZERO_DIVISION.into());
            }
            if x < 0.0 && y.fract() != 0.0 && y.is_finite() {
                return Err("a negative number to a fractional power is complex".into());
            }
            let r = x.powf(y);
            if r.is_infinite() && x.is_finite() && y.is_finite() {
                return Err("a float power that overflows (OverflowError)".into());
            }
            r
        }
        _ => return Err(format!("the operator `{}` on floats", op.as_str())),
    };
    Ok(Value::Float(value))
}

/// CPython's `float_divmod`: the floor quotient and a remainder with the divisor's sign.
fn float_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut rem = x % y;
    let mut div = (x - rem) / y;
    if rem != 0.0 {
        if (y < 0.0) != (rem < 0.0) {
            rem += y;
            div -= 1.0;
        }
    } else {
        rem = 0.0_f64.copysign(y);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0_f64.copysign(x / y)
    };
    (floordiv, rem)
}
