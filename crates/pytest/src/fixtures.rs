//! The fixtures with `params=` a test requests, and the ids pytest makes of them. pytest adds
//! each such fixture's parameters to the test's cases (`test_backup[tls-aws]`): fanout names the
//! product where every parameter and id is literal, and otherwise never lists the test case by
//! case (see `module::items`), so no job names a case pytest does not know.
//!
//! As pytest (`FixtureManager.getfixtureclosure`, `fixtures.pytest_generate_tests`): a test
//! requests the autouse fixtures where it sits (outermost conftest first), its `usefixtures`,
//! then its arguments (without a default, `self` aside); each requested fixture adds the
//! arguments of its closest definition; the closure is ordered by scope, widest first. A name is
//! looked up in the test's class (and its bases), its module, then the `conftest.py` files from
//! its folder up to the rootdir, closest first; a fixture that requests its own name passes its
//! parameters on to the next definition out. Each fixture with `params=`, in closure order, adds
//! its ids in front of the `parametrize` ids. Fixtures from plugins are not read: a plugin
//! fixture with `params=` is not seen (rare, and documented).

use crate::eval::{Evaluator, Value};
use crate::ids::{self, IdRules};
use ruff_python_ast::{Expr, Parameters, Stmt, StmtFunctionDef};
use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

/// One fixture definition, as far as its parameters go.
#[derive(Debug, Clone)]
pub struct FixtureDef {
    /// `None` without `params=`; the ids of its parameters, or why they cannot be named.
    pub params: Option<Result<Vec<String>, String>>,
    pub autouse: bool,
    /// 0 for `function` up to 4 for `session`: the closure is ordered widest first.
    pub scope: u8,
    /// Its arguments (`request` aside), in order.
    pub requests: Vec<String>,
    /// Where it is defined, for messages: `tests/conftest.py:12` or `line 30`.
    pub place: String,
}

/// The fixture definitions of one scope (a class, a module, a conftest), in definition order.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    defs: HashMap<String, FixtureDef>,
    order: Vec<String>,
}

impl Scope {
    fn get(&self, name: &str) -> Option<&FixtureDef> {
        self.defs.get(name)
    }
}

/// The fixtures defined in `body` (a module's or a class's statements, not nested).
pub fn scope_of<'a>(
    body: &'a [Stmt],
    evaluator: &mut Evaluator<'_, 'a>,
    rules: IdRules,
    place: &dyn Fn(&StmtFunctionDef) -> String,
) -> Scope {
    scope_of_defs(
        body.iter().filter_map(|s| match s {
            Stmt::FunctionDef(def) => Some(def),
            _ => None,
        }),
        evaluator,
        rules,
        place,
    )
}

/// The fixtures among `defs`.
pub fn scope_of_defs<'a>(
    defs: impl Iterator<Item = &'a StmtFunctionDef>,
    evaluator: &mut Evaluator<'_, 'a>,
    rules: IdRules,
    place: &dyn Fn(&StmtFunctionDef) -> String,
) -> Scope {
    let mut scope = Scope::default();
    for def in defs {
        let Some(call) = def
            .decorator_list
            .iter()
            .find_map(|d| fixture_decorator(&d.expression))
        else {
            continue;
        };
        let keyword = |name: &str| {
            call.and_then(|args| {
                args.keywords
                    .iter()
                    .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == name))
                    .map(|k| &k.value)
            })
        };
        let name = match keyword("name") {
            Some(Expr::StringLiteral(s)) => s.value.to_str().to_owned(),
            _ => def.name.to_string(),
        };
        let params = keyword("params")
            .filter(|v| !matches!(v, Expr::NoneLiteral(_)))
            .map(|params| param_ids(&name, params, keyword("ids"), evaluator, rules));
        let autouse = matches!(keyword("autouse"), Some(Expr::BooleanLiteral(b)) if b.value);
        let scope_rank = match keyword("scope") {
            Some(Expr::StringLiteral(s)) => match s.value.to_str() {
                "class" => 1,
                "module" => 2,
                "package" => 3,
                "session" => 4,
                _ => 0,
            },
            _ => 0,
        };
        let requests = requested_arguments(&def.parameters, false)
            .into_iter()
            .filter(|a| a != "request")
            .collect();
        if !scope.defs.contains_key(&name) {
            scope.order.push(name.clone());
        }
        scope.defs.insert(
            name,
            FixtureDef {
                params,
                autouse,
                scope: scope_rank,
                requests,
                place: place(def),
            },
        );
    }
    scope
}

/// pytest's ids of a fixture's `params` (with `ids=`), as `metafunc.parametrize(name, params,
/// ids=ids)` makes them; why not, where a value, an id or a mark is not known.
fn param_ids<'a>(
    name: &str,
    params: &'a Expr,
    ids: Option<&'a Expr>,
    evaluator: &mut Evaluator<'_, 'a>,
    rules: IdRules,
) -> Result<Vec<String>, String> {
    let values = evaluator.eval(params);
    let sets = ids::parameter_sets(&values, 1, true).map_err(|why| why.reason)?;
    if sets.iter().any(|s| !s.marks.is_empty()) {
        return Err(MARKED.to_owned());
    }
    let ids_value = ids.map(|e| evaluator.eval(e));
    if matches!(ids_value, Some(Value::Opaque(_))) {
        return Err("its `ids=` is not a list fanout can read".to_owned());
    }
    ids::make_ids(&[name.to_owned()], &sets, ids_value.as_ref(), rules).map_err(|why| why.reason)
}

/// `Some(arguments)` when `expr` is a fixture decorator (`pytest.fixture`, `fixture(...)`,
/// `pytest_asyncio.fixture(...)`): the call's arguments, `None` inside for a bare decorator.
fn fixture_decorator(expr: &Expr) -> Option<Option<&ruff_python_ast::Arguments>> {
    let (target, arguments) = match expr {
        Expr::Call(call) => (&*call.func, Some(&call.arguments)),
        other => (other, None),
    };
    let named = match target {
        Expr::Attribute(a) => matches!(a.attr.as_str(), "fixture" | "yield_fixture"),
        Expr::Name(n) => matches!(n.id.as_str(), "fixture" | "yield_fixture"),
        _ => false,
    };
    named.then_some(arguments)
}

/// The argument names pytest reads as requested fixtures: positional and keyword-only ones
/// without a default, the first (`self`, `cls`) skipped for a method.
pub fn requested_arguments(parameters: &Parameters, method: bool) -> Vec<String> {
    parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .skip(usize::from(method))
        .chain(&parameters.kwonlyargs)
        .filter(|p| p.default.is_none())
        .map(|p| p.parameter.name.to_string())
        .collect()
}

/// The scopes of the conftest files from `test_dir` up to `rootdir`, closest first. A conftest
/// that cannot be read or parsed is left out.
pub fn conftest_scopes(test_dir: &Path, rootdir: &Path, rules: IdRules) -> Vec<Scope> {
    let mut scopes = Vec::new();
    for dir in test_dir.ancestors() {
        let file = dir.join("conftest.py");
        if let Ok(text) = fanout_core::files::read_to_string(&file) {
            let rel = file
                .strip_prefix(rootdir)
                .map_or_else(|_| file.display().to_string(), |p| p.display().to_string());
            let scope = crate::source::with_parse_stack(|| {
                let parsed = crate::source::parse(&text).ok()?;
                let body = &parsed.syntax().body;
                let namespace = crate::namespace::Namespace::of_body(body);
                let bindings = crate::marks::Bindings::new(body, &namespace);
                let mut evaluator = Evaluator::new(&bindings);
                let lines = crate::source::LineIndex::new(&text);
                Some(scope_of(body, &mut evaluator, rules, &|def| {
                    let (line, _) =
                        lines.position(ruff_text_size::Ranged::range(&def.name).start());
                    format!("{rel}:{line}")
                }))
            })
            .flatten();
            scopes.extend(scope);
        }
        if dir == rootdir {
            break;
        }
    }
    scopes
}

/// A fixture whose parameters are part of a test's case ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parametrizing {
    pub name: String,
    pub ids: Vec<String>,
}

/// Why the fixtures' part of the case ids cannot be named: the fixture and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unnamed {
    pub name: String,
    pub place: String,
    pub why: String,
}

impl Unnamed {
    /// The fixture's parameters carry marks, which `-m` reads on each case: which cases a mark
    /// expression keeps is then unknown too.
    pub fn marks_unknown(&self) -> bool {
        self.why == MARKED
    }
}

const MARKED: &str = "a parameter of it carries marks";

/// The fixtures with `params=` a test requests, in the order pytest adds their ids (the
/// closure's, widest scope first): empty when none does. `scopes` are closest first (class and
/// bases, module, conftests); `usefixtures` and `arguments` the test's own names; `direct`
/// the names its `parametrize` marks give values to (they win over a fixture's params).
pub fn parametrizing(
    scopes: &[&Scope],
    usefixtures: &[String],
    arguments: &[String],
    direct: &[String],
) -> Result<Vec<Parametrizing>, Unnamed> {
    let closest = |name: &str, from: usize| {
        scopes
            .iter()
            .enumerate()
            .skip(from)
            .find_map(|(i, s)| s.get(name).map(|d| (i, d)))
    };
    // Autouse fixtures, outermost scope first, each scope in definition order.
    let mut closure: Vec<String> = Vec::new();
    let add = |name: &str, closure: &mut Vec<String>| {
        if !closure.iter().any(|n| n == name) {
            closure.push(name.to_owned());
        }
    };
    for scope in scopes.iter().rev() {
        for name in &scope.order {
            // Only where it is the definition the test sees.
            if scope.get(name).is_some_and(|d| d.autouse) {
                add(name, &mut closure);
            }
        }
    }
    for name in usefixtures.iter().chain(arguments) {
        add(name, &mut closure);
    }
    let mut i = 0;
    while i < closure.len() {
        let name = closure[i].clone();
        if !direct.contains(&name) {
            if let Some((_, def)) = closest(&name, 0) {
                for request in def.requests.clone() {
                    add(&request, &mut closure);
                }
            }
        }
        i += 1;
    }
    let scope_of = |name: &String| closest(name, 0).map_or(0, |(_, d)| d.scope);
    closure.sort_by_key(|name| std::cmp::Reverse(scope_of(name)));
    let mut out = Vec::new();
    for name in closure {
        if direct.contains(&name) {
            continue;
        }
        let mut from = 0;
        while let Some((level, def)) = closest(&name, from) {
            match &def.params {
                Some(Ok(ids)) => {
                    out.push(Parametrizing {
                        name: name.clone(),
                        ids: ids.clone(),
                    });
                    break;
                }
                Some(Err(why)) => {
                    return Err(Unnamed {
                        name,
                        place: def.place.clone(),
                        why: why.clone(),
                    })
                }
                None if def.requests.contains(&name) => from = level + 1,
                None => break,
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
