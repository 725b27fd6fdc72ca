//! What a `conftest.py` registers: `config.addinivalue_line("markers", "name: ...")` calls and
//! `pytest_plugins`, read from the syntax tree (never by pattern matching on text).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::config_files::marker_name;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ConftestFacts {
    /// Marker names with the 1-based line of the call.
    pub markers: Vec<(String, u32)>,
    /// Modules named in `pytest_plugins`.
    pub plugins: Vec<String>,
}

/// `None` when the file does not parse (pytest would fail on it too). The visit recurses on
/// nesting, so it runs on a big stack, as the parse does.
pub fn read(source: &str) -> Option<ConftestFacts> {
    fanout_pytest::source::with_parse_stack(|| read_here(source)).flatten()
}

fn read_here(source: &str) -> Option<ConftestFacts> {
    let parsed = fanout_pytest::source::parse(source).ok()?;
    let mut finder = Finder {
        index: fanout_pytest::source::LineIndex::new(source),
        facts: ConftestFacts::default(),
    };
    finder.visit_body(&parsed.syntax().body);
    Some(finder.facts)
}

struct Finder<'s> {
    index: fanout_pytest::source::LineIndex<'s>,
    facts: ConftestFacts,
}

fn string(expr: &Expr) -> Option<String> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_owned()),
        _ => None,
    }
}

impl<'a> Visitor<'a> for Finder<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::Assign(assign) = stmt {
            let named = assign
                .targets
                .iter()
                .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "pytest_plugins"));
            if named {
                let values: Vec<&Expr> = match &*assign.value {
                    Expr::List(l) => l.elts.iter().collect(),
                    Expr::Tuple(t) => t.elts.iter().collect(),
                    other => vec![other],
                };
                self.facts
                    .plugins
                    .extend(values.into_iter().filter_map(string));
            }
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            let is_add =
                matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "addinivalue_line");
            let args = &call.arguments.args;
            if is_add && args.len() == 2 && string(&args[0]).as_deref() == Some("markers") {
                if let Some(line) = string(&args[1]) {
                    let (lineno, _) = self.index.position(expr.range().start());
                    self.facts.markers.push((marker_name(&line), lineno));
                }
            }
        }
        visitor::walk_expr(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_and_plugins() {
        let src = "\
pytest_plugins = ['pytest_operator_groups', 'x.y']

def pytest_configure(config):
    config.addinivalue_line('markers', 'group(id): the CI group')
    config.addinivalue_line(\"markers\", \"slow\")
    config.addinivalue_line('filterwarnings', 'ignore')
    name = 'dyn'
    config.addinivalue_line('markers', name)
";
        let facts = read(src).unwrap();
        assert_eq!(
            facts.markers,
            [("group".to_owned(), 4), ("slow".to_owned(), 5)]
        );
        assert_eq!(facts.plugins, ["pytest_operator_groups", "x.y"]);
        assert_eq!(read("pytest_plugins = 'a'\n").unwrap().plugins, ["a"]);
        assert!(read("def (:").is_none());
    }

    #[test]
    fn deep_sources_are_read_or_rejected_without_overflowing() {
        let deep =
            |terms: usize| format!("x = {}1\npytest_plugins = ['a']\n", "1 + ".repeat(terms));
        assert_eq!(
            read(&deep(2900)).map(|f| f.plugins),
            Some(vec!["a".to_owned()])
        );
        assert!(read(&deep(100_000)).is_none());
    }
}
