//! The comparison every fidelity test makes: fanout's `collect --format json` against the
//! oracle's collection of the same directory with the same arguments.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::e2e::project::{codes, Project};
use crate::support::pytest_oracle::{pytest_collect, OracleCollection, OracleGroup, OracleItem};

/// Diagnostics that say "I cannot tell this file's groups": the group of a test in such a
/// file is not compared with pytest's (the tests that expect them check them explicitly).
const UNCERTAIN: &[&str] = &[
    "dynamic-group-id",
    "invalid-group-id",
    "invalid-group-mark",
    "duplicate-group-mark",
    "parameter-groups",
    "unresolved-base",
    "syntax-error",
    "invalid-utf8",
    "io-error",
];

pub struct Compared {
    pub fanout: Value,
    pub oracle: OracleCollection,
}

impl Compared {
    /// fanout's diagnostics with `code` whose path is `path`.
    pub fn fanout_codes_in(&self, path: &str) -> Vec<String> {
        diagnostics(&self.fanout)
            .iter()
            .filter(|d| d["path"] == path)
            .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    pub fn assert_fanout_reports(&self, path: &str, code: &str) {
        assert!(
            self.fanout_codes_in(path).iter().any(|c| c == code),
            "fanout should report {code} for {path}; it reported {:?}",
            codes(&self.fanout)
        );
    }

    pub fn oracle_item(&self, node_id: &str) -> &OracleItem {
        self.oracle
            .items
            .iter()
            .find(|item| item.node_id == node_id)
            .unwrap_or_else(|| {
                panic!(
                    "pytest did not collect {node_id}: {:?}",
                    self.oracle.node_ids()
                )
            })
    }

    pub fn fanout_test(&self, node_id: &str) -> &Value {
        tests(&self.fanout)
            .iter()
            .find(|t| t["node_id"] == node_id)
            .unwrap_or_else(|| panic!("fanout did not collect {node_id}"))
    }

    pub fn node_ids(&self) -> Vec<&str> {
        self.oracle.node_ids()
    }
}

/// Runs both in the project root with `args` and asserts they agree.
pub fn assert_matches_pytest(project: &Project, args: &[&str]) -> Compared {
    assert_matches_pytest_in(project, "", args)
}

/// Runs both in `rel_cwd` (below the project root) with `args` and asserts they agree.
pub fn assert_matches_pytest_in(project: &Project, rel_cwd: &str, args: &[&str]) -> Compared {
    let fanout = project.collect_json_in(rel_cwd, args);
    let oracle = pytest_collect(&project.join(rel_cwd), args);
    let context = format!(
        "in {:?} with args {args:?}\nfanout diagnostics: {:?}\npytest errors: {:?}",
        rel_cwd,
        codes(&fanout),
        oracle.errors
    );

    assert_eq!(
        real(Path::new(
            fanout["rootdir"].as_str().expect("rootdir is a string")
        )),
        real(&oracle.rootdir),
        "rootdir {context}"
    );
    assert_eq!(
        fanout["inifile"].as_str().map(|p| real(Path::new(p))),
        oracle.inifile.as_deref().map(real),
        "inifile {context}"
    );

    // fanout lists a function's cases one by one when their parameters carry marks.
    let mut fanout_ids: Vec<&str> = tests(&fanout).iter().map(function_node_id).collect();
    fanout_ids.dedup();
    let mut oracle_ids = oracle.node_ids();
    fanout_ids.sort_unstable();
    fanout_ids.dedup();
    oracle_ids.sort_unstable();
    assert_eq!(
        fanout_ids, oracle_ids,
        "node ids (left fanout, right pytest) {context}"
    );

    let uncertain: BTreeSet<&str> = diagnostics(&fanout)
        .iter()
        .filter(|d| UNCERTAIN.contains(&d["code"].as_str().unwrap_or_default()))
        .filter_map(|d| d["path"].as_str())
        .collect();
    let mut by_function: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for t in tests(&fanout) {
        by_function.entry(function_node_id(t)).or_default().push(t);
    }
    for item in &oracle.items {
        let listed = &by_function[item.node_id.as_str()];
        let path = listed[0]["path"].as_str().expect("path is a string");
        assert_eq!(
            Some(path),
            item.node_id.split("::").next(),
            "path of {} {context}",
            item.node_id
        );
        let as_cases = listed.iter().any(|t| t.get("param_id").is_some());
        if as_cases {
            let mut fanout_cases: Vec<&str> = listed
                .iter()
                .map(|t| t["node_id"].as_str().unwrap_or_default())
                .collect();
            let mut oracle_cases: Vec<&str> =
                item.cases.iter().map(|c| c.node_id.as_str()).collect();
            fanout_cases.sort_unstable();
            oracle_cases.sort_unstable();
            assert_eq!(
                fanout_cases, oracle_cases,
                "cases of {} (left fanout, right pytest) {context}",
                item.node_id
            );
        }
        if uncertain.contains(path) {
            continue;
        }
        let compared: Vec<(&Value, Option<&OracleGroup>, Option<&Value>, &str)> = if as_cases {
            item.cases
                .iter()
                .filter_map(|case| {
                    let test = listed
                        .iter()
                        .find(|t| t["node_id"] == case.node_id.as_str())?;
                    Some((
                        *test,
                        case.group.as_ref(),
                        case.runner.as_ref(),
                        case.node_id.as_str(),
                    ))
                })
                .collect()
        } else {
            vec![(
                listed[0],
                item.group.as_ref(),
                item.runner.as_ref(),
                item.node_id.as_str(),
            )]
        };
        for (test, group, runner, node_id) in compared {
            let expected = group.map(|g| {
                let id = g.args.first().or_else(|| g.kwargs.get("id"));
                (id.map(id_string), g.level.clone())
            });
            let actual = test["group_id"].as_str().map(|id| {
                // A parameter's mark sits on pytest's Function node.
                let level = match test["group_source"].as_str() {
                    Some("parameter") => "function",
                    Some(level) => level,
                    None => "<none>",
                };
                (Some(id.to_owned()), level.to_owned())
            });
            assert_eq!(
                actual, expected,
                "group (id, level) of {node_id} (left fanout, right pytest) {context}"
            );
            assert_eq!(
                test.get("runner").map(runner_labels),
                runner.map(runner_labels),
                "runner of {node_id} (left fanout, right pytest) {context}"
            );
        }
        assert!(
            item.group_count_at_level <= 1,
            "pytest sees {} group marks at one level on {} but fanout reported nothing {context}",
            item.group_count_at_level,
            item.node_id
        );
        assert!(
            as_cases || item.param_groups.is_none(),
            "pytest sees different groups on the parameters of {} ({:?}) but fanout reported nothing {context}",
            item.node_id,
            item.param_groups
        );
    }
    Compared { fanout, oracle }
}

/// pytest's id as fanout must print it: ints in decimal, strings as they are.
fn id_string(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
        other => format!("<not an int or str: {other}>"),
    }
}

/// A runner mark's labels: `"x"` and `["x"]` ask for the same runner.
fn runner_labels(value: &Value) -> Value {
    match value {
        Value::String(_) => Value::Array(vec![value.clone()]),
        other => other.clone(),
    }
}

fn real(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A test's function node id: its node id without the case's `[id]`.
fn function_node_id(test: &Value) -> &str {
    let node_id = test["node_id"].as_str().expect("node_id is a string");
    match test.get("param_id").and_then(Value::as_str) {
        Some(id) => node_id
            .strip_suffix(']')
            .and_then(|s| s.strip_suffix(id))
            .and_then(|s| s.strip_suffix('['))
            .unwrap_or(node_id),
        None => node_id,
    }
}

pub fn tests(doc: &Value) -> &Vec<Value> {
    doc["tests"].as_array().expect("tests is an array")
}

pub fn diagnostics(doc: &Value) -> &Vec<Value> {
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics is an array")
}

/// The `node_ids` of each job `fanout matrix --backend json ARGS` writes (exit 0 expected).
pub fn job_node_ids(p: &Project, args: &[&str]) -> Vec<Vec<String>> {
    let mut command = vec!["matrix", "--backend", "json"];
    command.extend_from_slice(args);
    let out = p.run(&command);
    assert_eq!(out.code, 0, "{args:?}: {}", out.describe());
    let doc: Value = serde_json::from_str(&out.stdout).expect("JSON");
    doc["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            g["node_ids"]
                .as_array()
                .expect("node_ids")
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// The item node ids pytest collects with `args`, sorted; pytest must collect without error.
pub fn pytest_item_ids(p: &Project, args: &[&str]) -> Vec<String> {
    let oracle = pytest_collect(&p.path(), args);
    assert!(
        oracle.errors.is_empty() && matches!(oracle.exit_code, 0 | 5),
        "pytest {args:?}: {oracle:?}"
    );
    let mut ids: Vec<String> = oracle
        .items
        .iter()
        .flat_map(|item| item.cases.iter().map(|c| c.node_id.clone()))
        .collect();
    ids.sort();
    ids
}
