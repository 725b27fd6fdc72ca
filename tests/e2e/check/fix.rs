//! `--fix` and `--diff`: byte-for-byte results, idempotence, and pytest agreeing afterwards.

use super::{check_json, codes, grouped_module};
use crate::e2e::project::Project;
use crate::support::pytest_oracle::pytest_collect;
use std::fs;

fn read(p: &Project, rel: &str) -> String {
    fs::read_to_string(p.join(rel)).expect("reading a fixture file")
}

/// Fixes `file` (written as `before`), expects exactly `after`, and checks a second run changes
/// nothing and pytest `--strict-markers` then collects.
fn round_trip(file: &str, before: &str, after: &str) {
    let p = Project::new();
    p.bytes(file, before.as_bytes())
        .file("tests/test_a.py", &grouped_module("@pytest.mark.juju3\n"));
    let diff = p.run(&["check", "--diff"]);
    assert_eq!(diff.code, 1, "{}", diff.describe());
    assert!(
        diff.stdout.contains(&format!("+++ b/{file}")),
        "{}",
        diff.stdout
    );
    assert_eq!(read(&p, file), before, "--diff writes nothing");

    let fixed = p.run(&["check", "--fix"]);
    assert_eq!(fixed.code, 0, "{}", fixed.describe());
    assert_eq!(read(&p, file), after, "{file} after --fix");

    let again = p.run(&["check", "--fix"]);
    assert_eq!(again.code, 0, "{}", again.describe());
    assert_eq!(read(&p, file), after, "a second --fix changes nothing");
    let diff = p.run(&["check", "--diff"]);
    assert_eq!(
        (diff.code, diff.stdout.as_str()),
        (0, ""),
        "{}",
        diff.describe()
    );

    let pytest = pytest_collect(&p.path(), &["--strict-markers"]);
    assert!(
        pytest.exit_code == 0 && pytest.errors.is_empty(),
        "pytest --strict-markers after the fix: {pytest:?}"
    );
}

const GROUP: &str =
    "group(id): run this test in the CI job of its (test file, group id); see fanout";

#[test]
fn fix_pytest_ini_keeps_comments_and_indentation() {
    round_trip(
        "pytest.ini",
        "# project settings\n[pytest]\naddopts = --strict-markers\nmarkers =\n  slow: slow ones\n  # more below\n\nxfail_strict = true\n",
        &format!("# project settings\n[pytest]\naddopts = --strict-markers\nmarkers =\n  slow: slow ones\n  {GROUP}\n  juju3\n  # more below\n\nxfail_strict = true\n"),
    );
}

#[test]
fn fix_setup_cfg_adds_the_key_and_keeps_crlf() {
    round_trip(
        "setup.cfg",
        "[metadata]\r\nname = x\r\n\r\n[tool:pytest]\r\naddopts = -v\r\n\r\n[flake8]\r\nmax-line-length = 99\r\n",
        &format!("[metadata]\r\nname = x\r\n\r\n[tool:pytest]\r\naddopts = -v\r\nmarkers =\r\n    {GROUP}\r\n    juju3\r\n\r\n[flake8]\r\nmax-line-length = 99\r\n"),
    );
}

#[test]
fn fix_tox_ini_section() {
    round_trip(
        "tox.ini",
        "[tox]\nenvlist = py3\n\n[pytest]\nmarkers = slow\n\n[testenv]\ndeps = pytest\n",
        &format!("[tox]\nenvlist = py3\n\n[pytest]\nmarkers = slow\n    {GROUP}\n    juju3\n\n[testenv]\ndeps = pytest\n"),
    );
}

#[test]
fn fix_pyproject_ini_options_array() {
    round_trip(
        "pyproject.toml",
        "[project]\nname = \"x\"  # the name\n\n[tool.pytest.ini_options]\naddopts = \"--strict-markers\"\nmarkers = [\n    \"slow: x\",  # why\n]\n\n[tool.ruff]\nline-length = 99\n",
        &format!("[project]\nname = \"x\"  # the name\n\n[tool.pytest.ini_options]\naddopts = \"--strict-markers\"\nmarkers = [\n    \"slow: x\",  # why\n    \"{GROUP}\",\n    \"juju3\",\n]\n\n[tool.ruff]\nline-length = 99\n"),
    );
}

#[test]
fn fix_native_tool_pytest_and_pytest_toml() {
    round_trip(
        "pyproject.toml",
        "[tool.pytest]\nstrict_markers = true\n",
        &format!("[tool.pytest]\nstrict_markers = true\nmarkers = [\n    \"{GROUP}\",\n    \"juju3\",\n]\n"),
    );
    round_trip(
        "pytest.toml",
        "[pytest]\naddopts = [\"--strict-markers\"]\nmarkers = [\"slow\"]\n",
        &format!("[pytest]\naddopts = [\"--strict-markers\"]\nmarkers = [\"slow\", \"{GROUP}\", \"juju3\"]\n"),
    );
}

#[test]
fn fix_writes_pytest_ini_when_there_is_no_config_and_skips_typos() {
    let p = Project::new();
    p.file(
        "tests/test_a.py",
        &grouped_module("@pytest.mark.gruop(1)\n"),
    );
    let fixed = p.run(&["check", "--fix"]);
    assert_eq!(
        read(&p, "pytest.ini"),
        format!("[pytest]\nmarkers =\n    {GROUP}\n")
    );
    // The typo is not registered: it is still reported.
    assert_eq!(
        fixed.code,
        0,
        "a warning without strict markers: {}",
        fixed.describe()
    );
    let (_, doc) = check_json(&p, &[]);
    assert_eq!(codes(&doc), ["unknown-marker"]);
}
