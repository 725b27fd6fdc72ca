//! Tests that declare they need another test to have run first, in one pytest process:
//! pytest-dependency's `@pytest.mark.dependency(depends=[...])`, pytest-order's
//! `@pytest.mark.order(after=..., before=...)`, and classes marked `incremental` (pytest's
//! documented recipe: a failure skips the rest of the class). Jobs run apart, so such tests must
//! share a job: `fanout plan` keeps them in one group, `fanout check` warns where they are not.

use crate::TestItem;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// pytest-dependency `depends=`.
    Depends,
    /// pytest-order `after=` / `before=`.
    Order,
    /// A class marked `incremental`.
    Incremental,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Depends => "pytest-dependency `depends`",
            Kind::Order => "pytest-order `after`/`before`",
            Kind::Incremental => "an `incremental` class",
        }
    }
}

/// `tests[from]` needs `tests[to]` to run first, in the same process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub from: usize,
    pub to: usize,
    pub kind: Kind,
}

/// The name a test has for pytest-dependency in a scope: its explicit `name`, else its node
/// id (session), its node id below the module (module), or its name in its class (class).
fn dependency_name<'t>(test: &'t TestItem, scope: &str) -> &'t str {
    if let Some(name) = test
        .marks
        .iter()
        .filter(|m| &*m.name == "dependency")
        .find_map(|m| m.kwarg("name"))
        .and_then(|v| v.strings().first().copied())
    {
        return name;
    }
    let below_module = test
        .node_id
        .strip_prefix(&*test.path)
        .and_then(|r| r.strip_prefix("::"))
        .unwrap_or(&test.node_id);
    match scope {
        "session" | "package" => &test.node_id,
        "class" => below_module.rsplit("::").next().unwrap_or(below_module),
        _ => below_module,
    }
}

/// The parent of a node id: the class, or the module.
fn parent(node_id: &str) -> &str {
    node_id.rsplit_once("::").map_or(node_id, |(p, _)| p)
}

/// Every declared link between the tests, in test order; names that match no test are left
/// out (pytest-dependency skips such a test whatever the jobs).
pub fn links(tests: &[TestItem]) -> Vec<Link> {
    let mut by_node_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, t) in tests.iter().enumerate() {
        by_node_id.entry(&t.node_id).or_default().push(i);
        if t.param.is_some() {
            by_node_id.entry(t.function_node_id()).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    let mut first_of_class: HashMap<&str, usize> = HashMap::new();
    for (from, test) in tests.iter().enumerate() {
        for mark in test.marks.iter() {
            match &*mark.name {
                "dependency" => {
                    let scope = mark
                        .kwarg("scope")
                        .and_then(|v| v.strings().first().copied())
                        .unwrap_or("module");
                    let Some(depends) = mark.kwarg("depends") else {
                        continue;
                    };
                    for name in depends.strings() {
                        for (to, other) in tests.iter().enumerate() {
                            let same_scope = match scope {
                                "session" | "package" => true,
                                "class" => parent(&other.node_id) == parent(&test.node_id),
                                _ => other.path == test.path,
                            };
                            if to != from && same_scope && dependency_name(other, scope) == name {
                                out.push(Link {
                                    from,
                                    to,
                                    kind: Kind::Depends,
                                });
                            }
                        }
                    }
                }
                "order" => {
                    for key in ["after", "before"] {
                        let Some(value) = mark.kwarg(key) else {
                            continue;
                        };
                        for name in value.strings() {
                            for to in order_targets(&by_node_id, test, name) {
                                if to != from {
                                    out.push(Link {
                                        from,
                                        to,
                                        kind: Kind::Order,
                                    });
                                }
                            }
                        }
                    }
                }
                "incremental" => {
                    let class = parent(test.function_node_id());
                    let first = *first_of_class.entry(class).or_insert(from);
                    if first != from {
                        out.push(Link {
                            from,
                            to: first,
                            kind: Kind::Incremental,
                        });
                    }
                }
                _ => {}
            }
        }
    }
    out.sort_by_key(|l| (l.from, l.to));
    out.dedup();
    out
}

/// The tests pytest-order's `after="NAME"` names: `test_a` or `Class::test_a` in the same
/// module, or `module.py::test_a` relative to the test's folder (or to the rootdir).
fn order_targets(
    by_node_id: &HashMap<&str, Vec<usize>>,
    test: &TestItem,
    name: &str,
) -> Vec<usize> {
    let folder = test.path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut candidates = vec![format!("{}::{name}", test.path)];
    if name.contains(".py::") {
        if !folder.is_empty() {
            candidates.push(format!("{folder}/{name}"));
        }
        candidates.push(name.to_owned());
    }
    candidates
        .iter()
        .find_map(|id| by_node_id.get(id.as_str()))
        .cloned()
        .unwrap_or_default()
}
