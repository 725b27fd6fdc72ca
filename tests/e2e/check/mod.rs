//! `fanout check`: marker registration (cross-checked with a real pytest `--strict-markers`),
//! grouping lint, `--fix`/`--diff` round trips and the output formats.

mod fix;
mod lint;
mod output;
mod plugins;
mod precision;
mod registration;
mod spread;

use crate::e2e::project::{Output, Project};
use serde_json::Value;

/// A test module whose tests all carry group marks, plus `extra` decorators on the first.
pub fn grouped_module(extra: &str) -> String {
    format!(
        "import pytest\n\n{extra}@pytest.mark.group(1)\ndef test_a():\n    pass\n\n@pytest.mark.group(2)\ndef test_b():\n    pass\n"
    )
}

/// `fanout check --format json` in the project root.
pub fn check_json(p: &Project, args: &[&str]) -> (Output, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = p.run(&all);
    assert!(out.code == 0 || out.code == 1, "{}", out.describe());
    let doc = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("check JSON does not parse ({e})\n{}", out.describe()));
    (out, doc)
}

/// The codes of a check document's diagnostics.
pub fn codes(doc: &Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics is an array")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}
