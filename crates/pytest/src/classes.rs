//! Class-level rules: which classes pytest collects, and their method resolution order.

use crate::index::{unittest_bases, ProjectIndex, Target};
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

/// A class and the module it is defined in (an index into the project index).
#[derive(Clone, Copy)]
pub struct ClassRef<'a> {
    pub module: usize,
    pub def: &'a StmtClassDef,
}

/// The class itself followed by its bases defined in the project, in C3 order. Bases fanout
/// cannot see (outside the project and not a known `unittest.TestCase` subclass) are left
/// out, and reported by name.
pub struct Mro<'a> {
    pub classes: Vec<ClassRef<'a>>,
    pub unresolved_bases: Vec<String>,
    /// Derives from `unittest.TestCase`, through any chain of bases.
    pub unittest: bool,
}

pub fn mro<'a>(class: ClassRef<'a>, index: &ProjectIndex<'a>) -> Mro<'a> {
    let mut unresolved = Vec::new();
    let mut unittest = false;
    let classes =
        linearize(class, index, &mut unresolved, &mut unittest, 0).unwrap_or_else(|| vec![class]);
    unresolved.sort();
    unresolved.dedup();
    Mro {
        classes,
        unresolved_bases: unresolved,
        unittest,
    }
}

fn linearize<'a>(
    class: ClassRef<'a>,
    index: &ProjectIndex<'a>,
    unresolved: &mut Vec<String>,
    unittest: &mut bool,
    depth: usize,
) -> Option<Vec<ClassRef<'a>>> {
    if depth > 32 {
        return None;
    }
    let mut sequences: Vec<Vec<ClassRef<'a>>> = Vec::new();
    let mut direct = Vec::new();
    for base in class.def.bases() {
        match index.resolve_expr(class.module, base) {
            Target::Class { module, def } if !std::ptr::eq(def, class.def) => {
                let base = ClassRef { module, def };
                sequences.push(linearize(base, index, unresolved, unittest, depth + 1)?);
                direct.push(base);
            }
            Target::External(q) if unittest_bases::is_testcase(&q) => *unittest = true,
            Target::External(q) if unittest_bases::is_harmless(&q) => {}
            _ => unresolved.push(base_name(base)),
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
                .any(|s| s[1..].iter().any(|c| std::ptr::eq(c.def, candidate.def)))
        })?;
        out.push(head);
        for s in &mut sequences {
            if std::ptr::eq(s[0].def, head.def) {
                s.remove(0);
            }
        }
    }
}

/// A base as written, for messages: `Base`, `module.Base`.
fn base_name(expr: &Expr) -> String {
    match expr {
        Expr::Name(n) => n.id.to_string(),
        Expr::Attribute(a) => format!("{}.{}", base_name(&a.value), a.attr),
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
