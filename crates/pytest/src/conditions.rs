//! The truth of module-level `if` conditions that do not depend on the machine pytest runs on.
//!
//! pytest 9 runs on CPython 3.10 and later, so `sys.version_info >= (3, 10)` is true wherever
//! the suite can be collected, and `sys.version_info < (3, 8)` false. Conditions on later
//! versions, on `sys.platform`, or on anything else are unknown: fanout then assumes the first
//! branch runs and says so.

use ruff_python_ast::{CmpOp, Expr, Number, UnaryOp};

/// The oldest Python pytest 9 runs on: version conditions true for it and every later version
/// are decided.
pub const OLDEST_PYTHON: (u64, u64) = (3, 10);

/// `Some(truth)` when the condition has the same value on every Python pytest supports.
pub fn truth(expr: &Expr) -> Option<bool> {
    match expr {
        Expr::BooleanLiteral(b) => Some(b.value),
        Expr::NoneLiteral(_) => Some(false),
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => Some(i.as_u64() != Some(0)),
            _ => None,
        },
        Expr::Name(n) if n.id.as_str() == "TYPE_CHECKING" => Some(false),
        Expr::Attribute(a) if a.attr.as_str() == "TYPE_CHECKING" => Some(false),
        Expr::UnaryOp(u) if u.op == UnaryOp::Not => truth(&u.operand).map(|t| !t),
        Expr::BoolOp(b) => {
            let values: Vec<Option<bool>> = b.values.iter().map(truth).collect();
            let and = b.op == ruff_python_ast::BoolOp::And;
            // A decided operand that settles the whole expression wins over unknown ones.
            if values.contains(&Some(!and)) {
                Some(!and)
            } else if values.iter().all(Option::is_some) {
                Some(and)
            } else {
                None
            }
        }
        Expr::Compare(c) => match (c.ops.as_ref(), c.comparators.as_ref()) {
            ([op], [right]) => version_comparison(&c.left, *op, right),
            _ => None,
        },
        _ => None,
    }
}

/// `sys.version_info OP (3, N)` (also `[:2]`), and `sys.version_info.major`/`[0]` against an int.
fn version_comparison(left: &Expr, op: CmpOp, right: &Expr) -> Option<bool> {
    if is_major_version(left) {
        let wanted = int(right)?;
        return holds(op, 3.cmp(&wanted));
    }
    let sliced = match left {
        Expr::Subscript(s) if matches!(&*s.slice, Expr::Slice(_)) => true,
        _ if is_sys_attr(left, "version_info") => false,
        _ => return None,
    };
    if sliced && !is_version_info(left) {
        return None;
    }
    let wanted = int_tuple(right)?;
    if wanted.len() > 3 {
        return None;
    }
    // The comparison is monotone in the minor version: decided when the oldest supported
    // minor and a far future one agree. A full `version_info` is longer than any 3-tuple.
    let at = |minor: u64| {
        let mut version = vec![3, minor, 0];
        if !sliced {
            version.push(0);
        }
        holds(op, version.as_slice().cmp(wanted.as_slice()))
    };
    let (oldest, future) = (at(OLDEST_PYTHON.1), at(999));
    (oldest == future).then_some(oldest?)
}

fn holds(op: CmpOp, ordering: std::cmp::Ordering) -> Option<bool> {
    Some(match op {
        CmpOp::Eq => ordering.is_eq(),
        CmpOp::NotEq => ordering.is_ne(),
        CmpOp::Lt => ordering.is_lt(),
        CmpOp::LtE => ordering.is_le(),
        CmpOp::Gt => ordering.is_gt(),
        CmpOp::GtE => ordering.is_ge(),
        _ => return None,
    })
}

fn is_sys_attr(expr: &Expr, attr: &str) -> bool {
    matches!(expr, Expr::Attribute(a) if a.attr.as_str() == attr
        && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "sys"))
}

/// `sys.version_info` or `sys.version_info[:N]`.
fn is_version_info(expr: &Expr) -> bool {
    match expr {
        Expr::Subscript(s) => {
            matches!(&*s.slice, Expr::Slice(_)) && is_sys_attr(&s.value, "version_info")
        }
        other => is_sys_attr(other, "version_info"),
    }
}

/// `sys.version_info.major` or `sys.version_info[0]`.
fn is_major_version(expr: &Expr) -> bool {
    match expr {
        Expr::Attribute(a) => a.attr.as_str() == "major" && is_sys_attr(&a.value, "version_info"),
        Expr::Subscript(s) => int(&s.slice) == Some(0) && is_sys_attr(&s.value, "version_info"),
        _ => false,
    }
}

fn int(expr: &Expr) -> Option<u64> {
    match expr {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_u64(),
            _ => None,
        },
        _ => None,
    }
}

fn int_tuple(expr: &Expr) -> Option<Vec<u64>> {
    match expr {
        Expr::Tuple(t) => t.elts.iter().map(int).collect(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide(condition: &str) -> Option<bool> {
        let parsed = crate::source::parse(&format!("if {condition}:\n    pass\n")).expect("parses");
        match parsed.syntax().body.first() {
            Some(ruff_python_ast::Stmt::If(s)) => truth(&s.test),
            _ => None,
        }
    }

    #[test]
    fn versions_every_supported_python_agrees_on() {
        assert_eq!(decide("sys.version_info >= (3, 8)"), Some(true));
        assert_eq!(decide("sys.version_info[:2] >= (3, 10)"), Some(true));
        assert_eq!(decide("sys.version_info < (3, 9)"), Some(false));
        assert_eq!(decide("sys.version_info >= (3,)"), Some(true));
        assert_eq!(decide("sys.version_info[0] == 2"), Some(false));
        assert_eq!(decide("sys.version_info.major >= 3"), Some(true));
        assert_eq!(decide("sys.version_info == (3, 7)"), Some(false));
        assert_eq!(decide("sys.version_info >= (3, 12)"), None);
        assert_eq!(decide("sys.version_info < (3, 13)"), None);
    }

    #[test]
    fn literals_and_logic() {
        assert_eq!(decide("True"), Some(true));
        assert_eq!(decide("0"), Some(false));
        assert_eq!(decide("TYPE_CHECKING"), Some(false));
        assert_eq!(decide("not typing.TYPE_CHECKING"), Some(true));
        assert_eq!(decide("HAS_NUMPY and False"), Some(false));
        assert_eq!(
            decide("HAS_NUMPY or sys.version_info >= (3, 0)"),
            Some(true)
        );
        assert_eq!(decide("HAS_NUMPY"), None);
        assert_eq!(decide("sys.platform == 'win32'"), None);
    }
}
