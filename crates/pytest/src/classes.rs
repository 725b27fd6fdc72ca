//! Class-level rules: which classes pytest collects, and their method resolution order.

use crate::namespace::{Binding, Namespace};
use ruff_python_ast::{Expr, StmtClassDef};

/// How pytest treats a class.
#[derive(Debug, PartialEq, Eq)]
pub enum ClassKind {
    /// Collected by the python plugin when its name matches `python_classes`.
    Plain,
    /// A `unittest.TestCase` subclass, collected by pytest's unittest plugin whatever its name.
    UnitTest,
}

/// `__test__ = <bool>` in a class body.
pub fn dunder_test(ns: &Namespace<'_>) -> Option<bool> {
    match ns.get("__test__") {
        Some(Binding::Value(Some(Expr::BooleanLiteral(b)))) => Some(b.value),
        _ => None,
    }
}

/// The class itself followed by its bases defined in the same module, in C3 order.
/// Bases fanout cannot see (imported ones) are left out, and reported by name.
pub struct Mro<'a> {
    pub classes: Vec<&'a StmtClassDef>,
    pub unresolved_bases: Vec<String>,
    pub unittest: bool,
}

const UNITTEST_BASES: &[&str] = &["TestCase", "IsolatedAsyncioTestCase"];
const HARMLESS_BASES: &[&str] = &["object", "ABC", "Generic", "Protocol"];

pub fn mro<'a>(class: &'a StmtClassDef, module: &Namespace<'a>) -> Mro<'a> {
    let mut unresolved = Vec::new();
    let mut unittest = false;
    let classes =
        linearize(class, module, &mut unresolved, &mut unittest, 0).unwrap_or_else(|| vec![class]);
    unresolved.sort();
    unresolved.dedup();
    Mro {
        classes,
        unresolved_bases: unresolved,
        unittest,
    }
}

fn linearize<'a>(
    class: &'a StmtClassDef,
    module: &Namespace<'a>,
    unresolved: &mut Vec<String>,
    unittest: &mut bool,
    depth: usize,
) -> Option<Vec<&'a StmtClassDef>> {
    if depth > 32 {
        return None;
    }
    let mut sequences: Vec<Vec<&'a StmtClassDef>> = Vec::new();
    let mut direct = Vec::new();
    for base in class.bases() {
        let name = base_name(base);
        if UNITTEST_BASES.contains(&name.as_str()) {
            *unittest = true;
            continue;
        }
        match module.get(&name) {
            Some(Binding::Class(def)) if !std::ptr::eq(def, class) => {
                sequences.push(linearize(def, module, unresolved, unittest, depth + 1)?);
                direct.push(def);
            }
            _ if HARMLESS_BASES.contains(&name.as_str()) => {}
            _ => unresolved.push(name),
        }
    }
    sequences.push(direct);
    let mut out = vec![class];
    loop {
        sequences.retain(|s| !s.is_empty());
        if sequences.is_empty() {
            return Some(out);
        }
        let head = sequences.iter().map(|s| s[0]).find(|candidate| {
            !sequences
                .iter()
                .any(|s| s[1..].iter().any(|c| std::ptr::eq(*c, *candidate)))
        })?;
        out.push(head);
        for s in &mut sequences {
            if std::ptr::eq(s[0], head) {
                s.remove(0);
            }
        }
    }
}

/// `Base`, `module.Base` -> the last dotted component, which is what fanout can match.
fn base_name(expr: &Expr) -> String {
    match expr {
        Expr::Name(n) => n.id.to_string(),
        Expr::Attribute(a) => a.attr.to_string(),
        Expr::Subscript(s) => base_name(&s.value),
        _ => "<expression>".into(),
    }
}

/// pytest's `_matches_prefix_or_glob_option`.
pub fn name_matches(name: &str, options: &[String]) -> bool {
    options.iter().any(|option| {
        name.starts_with(option.as_str())
            || (crate::fnmatch::is_glob(option) && crate::fnmatch::fnmatch(name, option))
    })
}

/// `@dataclass` (without `init=False`) and attrs' class decorators generate `__init__`, so
/// pytest's `hasinit` check rejects the class.
pub fn generates_init(class: &StmtClassDef) -> bool {
    class.decorator_list.iter().any(|d| {
        let (target, call) = match &d.expression {
            Expr::Call(call) => (&*call.func, Some(call)),
            other => (other, None),
        };
        let (owner, name) = match target {
            Expr::Name(n) => (None, n.id.as_str()),
            Expr::Attribute(a) => match &*a.value {
                Expr::Name(owner) => (Some(owner.id.as_str()), a.attr.as_str()),
                _ => (None, a.attr.as_str()),
            },
            _ => return false,
        };
        let init_off = call.is_some_and(|c| {
            c.arguments.keywords.iter().any(|k| {
                k.arg.as_ref().is_some_and(|a| a.as_str() == "init")
                    && matches!(&k.value, Expr::BooleanLiteral(b) if !b.value)
            })
        });
        let generator = match owner {
            None | Some("dataclasses") => {
                name == "dataclass" || matches!(name, "define" | "frozen" | "mutable")
            }
            Some("attr" | "attrs") => matches!(
                name,
                "s" | "attrs" | "define" | "frozen" | "mutable" | "dataclass"
            ),
            Some(_) => false,
        };
        generator && !init_off
    })
}
