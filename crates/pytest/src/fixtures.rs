//! The fixtures with `params=` a test requests. pytest adds their parameters to the test's case
//! ids (`test_backup[tls-aws]`), which fanout does not name: a test that requests one is never
//! listed case by case (see `module::items`), so no job names a case pytest does not know.
//!
//! A test requests the fixtures named by its arguments (those without a default, `self` aside),
//! by `usefixtures` marks, and every `autouse` fixture where it sits; a fixture requests its
//! own arguments. A name is looked up as pytest looks it up: the test's class (and its bases),
//! its module, then the `conftest.py` files from the test's folder up to the rootdir, closest
//! first; a fixture that requests its own name gets the next definition out. Fixtures from
//! plugins are not read: a plugin fixture with `params=` is not seen (rare, and documented).

use ruff_python_ast::{Expr, Parameters, Stmt, StmtFunctionDef};
use rustc_hash::FxHashMap as HashMap;
use std::collections::VecDeque;
use std::path::Path;

/// One fixture definition, as far as its parameters go.
#[derive(Debug, Clone)]
pub struct FixtureDef {
    pub params: bool,
    pub autouse: bool,
    /// The fixtures it requests (its arguments, `request` aside).
    pub requests: Vec<String>,
    /// Where it is defined, for messages: `conftest.py:12` or `the module, line 30`.
    pub place: String,
}

/// The fixture definitions of one scope (a class, a module, a conftest), by fixture name.
pub type Scope = HashMap<String, FixtureDef>;

/// The fixtures defined in `body` (a module's or a class's statements, not nested).
pub fn scope_of(body: &[Stmt], place: &dyn Fn(&StmtFunctionDef) -> String) -> Scope {
    scope_of_defs(
        body.iter().filter_map(|s| match s {
            Stmt::FunctionDef(def) => Some(def),
            _ => None,
        }),
        place,
    )
}

/// The fixtures among `defs`.
pub fn scope_of_defs<'d>(
    defs: impl Iterator<Item = &'d StmtFunctionDef>,
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
        let params = keyword("params").is_some_and(|v| !matches!(v, Expr::NoneLiteral(_)));
        let autouse = matches!(keyword("autouse"), Some(Expr::BooleanLiteral(b)) if b.value);
        let requests = requested_arguments(&def.parameters, false)
            .into_iter()
            .filter(|a| a != "request")
            .collect();
        scope.insert(
            name,
            FixtureDef {
                params,
                autouse,
                requests,
                place: place(def),
            },
        );
    }
    scope
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
pub fn conftest_scopes(test_dir: &Path, rootdir: &Path) -> Vec<Scope> {
    let mut scopes = Vec::new();
    for dir in test_dir.ancestors() {
        let file = dir.join("conftest.py");
        if let Ok(text) = fanout_core::files::read_to_string(&file) {
            let rel = file
                .strip_prefix(rootdir)
                .map_or_else(|_| file.display().to_string(), |p| p.display().to_string());
            let scope = crate::source::with_parse_stack(|| {
                let parsed = crate::source::parse(&text).ok()?;
                let lines = crate::source::LineIndex::new(&text);
                Some(scope_of(&parsed.syntax().body, &|def| {
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

/// The first fixture with `params=` among those a test requests: its name and place. `scopes`
/// are closest first (class and bases, module, conftests); `requested` the test's own names.
pub fn parametrized_fixture(scopes: &[&Scope], requested: &[String]) -> Option<(String, String)> {
    let mut queue: VecDeque<(String, usize)> = requested.iter().map(|n| (n.clone(), 0)).collect();
    for scope in scopes {
        for (name, def) in scope.iter() {
            if def.autouse {
                queue.push_back((name.clone(), 0));
            }
        }
    }
    let mut seen: std::collections::HashSet<(String, usize)> = Default::default();
    while let Some((name, from)) = queue.pop_front() {
        if !seen.insert((name.clone(), from)) {
            continue;
        }
        let Some((level, def)) = scopes
            .iter()
            .enumerate()
            .skip(from)
            .find_map(|(i, s)| s.get(&name).map(|d| (i, d)))
        else {
            continue;
        };
        if def.params {
            return Some((name, def.place.clone()));
        }
        for request in &def.requests {
            // A fixture asking for its own name gets the next definition out.
            let start = if *request == name { level + 1 } else { 0 };
            queue.push_back((request.clone(), start));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(text: &str) -> Scope {
        let parsed = crate::source::parse(text).expect("parses");
        scope_of(&parsed.syntax().body, &|def| def.name.to_string())
    }

    #[test]
    fn params_found_through_requests_autouse_and_overrides() {
        let conftest = scope(
            "import pytest\n\n@pytest.fixture(params=['aws', 'gcp'])\ndef cloud(request):\n    return request.param\n\n@pytest.fixture\ndef db(cloud):\n    pass\n\n@pytest.fixture(name='renamed', params=[1])\ndef _x():\n    pass\n",
        );
        let module = scope(
            "import pytest\n\n@pytest.fixture\ndef db():\n    pass\n\n@pytest.fixture\ndef wrapped(db):\n    pass\n",
        );
        let scopes = [&module, &conftest];
        let names = |n: &[&str]| n.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        // The module's `db` overrides the conftest's, which asked for `cloud`.
        assert_eq!(parametrized_fixture(&scopes, &names(&["db"])), None);
        assert_eq!(
            parametrized_fixture(&[&conftest], &names(&["db"])).map(|f| f.0),
            Some("cloud".to_owned())
        );
        assert_eq!(
            parametrized_fixture(&scopes, &names(&["renamed"])).map(|f| f.0),
            Some("renamed".to_owned())
        );
        assert_eq!(parametrized_fixture(&scopes, &names(&["tmp_path"])), None);
        let overriding =
            scope("import pytest\n\n@pytest.fixture\ndef cloud(cloud):\n    return cloud\n");
        assert_eq!(
            parametrized_fixture(&[&overriding, &conftest], &names(&["cloud"])).map(|f| f.0),
            Some("cloud".to_owned()),
            "an override that requests its own name gets the conftest's parameters"
        );
        let auto = scope("import pytest\n\n@pytest.fixture(autouse=True, params=[1, 2])\ndef each():\n    pass\n");
        assert_eq!(
            parametrized_fixture(&[&auto], &[]).map(|f| f.0),
            Some("each".to_owned())
        );
    }

    #[test]
    fn arguments_with_defaults_and_self_are_not_requests() {
        let parsed =
            crate::source::parse("def test(self, a, b=1, *, c, d=2):\n    pass\n").expect("parses");
        let Stmt::FunctionDef(def) = &parsed.syntax().body[0] else {
            panic!("a def");
        };
        assert_eq!(requested_arguments(&def.parameters, true), ["a", "c"]);
        assert_eq!(
            requested_arguments(&def.parameters, false),
            ["self", "a", "c"]
        );
    }
}
