//! Registration checks for each config format and precedence case, each asked of a real
//! pytest with `--strict-markers`: a project `fanout check` calls clean collects there, and one
//! it flags for an unregistered marker fails there.

use super::{check_json, codes, grouped_module};
use crate::e2e::project::Project;
use crate::support::pytest_oracle::pytest_collect;

const MARKER_CODES: [&str; 2] = ["unknown-marker", "unregistered-marker"];

/// Runs both and checks they agree; returns the marker codes fanout reported.
fn agrees_with_pytest(p: &Project) -> Vec<String> {
    let (out, doc) = check_json(p, &[]);
    let flagged: Vec<String> = codes(&doc)
        .into_iter()
        .filter(|c| MARKER_CODES.contains(&c.as_str()))
        .collect();
    let pytest = pytest_collect(&p.path(), &["--strict-markers"]);
    if flagged.is_empty() {
        assert!(
            pytest.exit_code == 0 && pytest.errors.is_empty(),
            "fanout calls it clean but pytest --strict-markers fails: exit {} errors {:?}\n{}",
            pytest.exit_code,
            pytest.errors,
            out.describe()
        );
    } else {
        assert!(
            pytest.exit_code != 0 && !pytest.errors.is_empty(),
            "fanout flags {flagged:?} but pytest --strict-markers collects fine\n{}",
            out.describe()
        );
    }
    flagged
}

fn project(config: &[(&str, &str)]) -> Project {
    let p = Project::new();
    for (name, text) in config {
        p.file(name, text);
    }
    p.file("tests/test_a.py", &grouped_module(""));
    p
}

#[test]
fn each_config_format_registers_the_group_marker() {
    let cases: [(&str, &str); 6] = [
        ("pytest.ini", "[pytest]\nmarkers =\n    group(id): x\n"),
        ("pytest.toml", "[pytest]\nmarkers = [\"group(id): x\"]\n"),
        (
            "pyproject.toml",
            "[tool.pytest.ini_options]\nmarkers = [\"group(id): x\"]\n",
        ),
        (
            "pyproject.toml",
            "[tool.pytest]\nmarkers = [\"group(id): x\"]\n",
        ),
        (
            "tox.ini",
            "[tox]\nenvlist = py3\n\n[pytest]\nmarkers =\n  group: x\n",
        ),
        (
            "setup.cfg",
            "[metadata]\nname = x\n[tool:pytest]\nmarkers = group\n",
        ),
    ];
    for (name, text) in cases {
        let p = project(&[(name, text)]);
        assert_eq!(
            agrees_with_pytest(&p),
            Vec::<String>::new(),
            "{name}:\n{text}"
        );
    }
}

#[test]
fn unregistered_group_marker_in_each_format() {
    for (name, text) in [
        ("pytest.ini", "[pytest]\nmarkers =\n    slow: x\n"),
        (
            "pyproject.toml",
            "[tool.pytest.ini_options]\naddopts = \"-v\"\n",
        ),
        ("setup.cfg", "[tool:pytest]\naddopts = -v\n"),
    ] {
        let p = project(&[(name, text)]);
        // Used twice in test_a.py, reported once.
        assert_eq!(agrees_with_pytest(&p), ["unregistered-marker"], "{name}");
    }
}

#[test]
fn pytest_ini_wins_over_pyproject_and_says_so() {
    let p = project(&[
        ("pytest.ini", "[pytest]\naddopts = -v\n"),
        (
            "pyproject.toml",
            "[tool.pytest.ini_options]\nmarkers = [\"group(id): x\"]\n",
        ),
    ]);
    assert!(!agrees_with_pytest(&p).is_empty());
    let (_, doc) = check_json(&p, &[]);
    let ignored: Vec<_> = doc["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["code"] == "ignored-markers")
        .collect();
    assert_eq!(ignored.len(), 1, "{doc:#}");
    assert_eq!(ignored[0]["path"], "pyproject.toml");
    let message = ignored[0]["message"].as_str().expect("a message");
    assert!(
        message.contains("pytest.ini exists, so the markers in pyproject.toml are not read"),
        "{message}"
    );
}

#[test]
fn tox_ini_is_read_only_with_a_pytest_section() {
    // tox.ini with [tool:pytest] is not a pytest config: the setup.cfg spelling does not count.
    let p = project(&[("tox.ini", "[tool:pytest]\nmarkers =\n    group: x\n")]);
    assert!(!agrees_with_pytest(&p).is_empty());
    let (_, doc) = check_json(&p, &[]);
    assert!(
        codes(&doc).contains(&"ignored-markers".to_owned()),
        "{doc:#}"
    );
}

#[test]
fn closer_config_file_wins_over_the_parent_one() {
    let p = Project::new();
    p.file("pytest.ini", "[pytest]\nmarkers =\n    group: x\n")
        .file("tests/tox.ini", "[pytest]\naddopts = -v\n")
        .file("tests/test_a.py", &grouped_module(""));
    // Run from tests/: pytest finds tests/tox.ini first.
    let out = p.run_in("tests", &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert!(
        codes(&doc).contains(&"unregistered-marker".to_owned()),
        "{doc:#}"
    );
    let pytest = pytest_collect(&p.join("tests"), &["--strict-markers"]);
    assert!(!pytest.errors.is_empty(), "pytest fails as well");
}

#[test]
fn conftest_registration_and_strict_from_config() {
    let p = project(&[(
        "pytest.ini",
        "[pytest]\nstrict_markers = true\nmarkers =\n    slow: x\n",
    )]);
    p.file(
        "conftest.py",
        "def pytest_configure(config):\n    config.addinivalue_line(\"markers\", \"group(id): the CI group\")\n",
    )
    .file("tests/test_b.py", &grouped_module("@pytest.mark.slow\n"));
    assert_eq!(agrees_with_pytest(&p), Vec::<String>::new());
}

#[test]
fn typo_is_an_error_with_strict_markers_and_a_warning_without() {
    let p = project(&[(
        "pyproject.toml",
        "[tool.pytest.ini_options]\naddopts = \"--strict-markers\"\nmarkers = [\"group(id): x\"]\n",
    )]);
    p.file(
        "tests/test_b.py",
        &grouped_module("@pytest.mark.gruop(3)\n"),
    );
    assert_eq!(agrees_with_pytest(&p), ["unknown-marker"]);
    let (out, doc) = check_json(&p, &[]);
    assert_eq!(out.code, 1);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["severity"], "error", "{doc:#}");
    assert!(d["message"]
        .as_str()
        .expect("message")
        .contains("did you mean `group`?"));
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(14))
    );

    p.file(
        "pyproject.toml",
        "[tool.pytest.ini_options]\nmarkers = [\"group(id): x\"]\n",
    );
    let (out, doc) = check_json(&p, &[]);
    assert_eq!(out.code, 0, "only a warning: {doc:#}");
    assert_eq!(doc["diagnostics"][0]["severity"], "warning");
}

#[test]
fn plugins_and_known_markers_register_markers() {
    let p = project(&[
        ("pytest.ini", "[pytest]\naddopts = -p pytest_asyncio\n"),
        (
            "pyproject.toml",
            "[tool.fanout]\nknown-markers = [\"juju3\"]\n",
        ),
        (
            "requirements.txt",
            "pytest-operator==0.35\ngit+https://github.com/canonical/data-platform-workflows@v2#subdirectory=python/pytest_plugins/pytest_operator_groups\n",
        ),
    ]);
    p.file(
        "tests/test_b.py",
        &grouped_module("@pytest.mark.abort_on_fail\n@pytest.mark.asyncio\n@pytest.mark.juju3\n"),
    );
    let (out, doc) = check_json(&p, &[]);
    assert_eq!(codes(&doc), Vec::<String>::new(), "{}", out.describe());
    // Without the plugins, the same marks are unknown.
    p.remove("requirements.txt");
    p.file("pytest.ini", "[pytest]\naddopts = -p no:asyncio\n");
    let (_, doc) = check_json(&p, &[]);
    let flagged = codes(&doc);
    assert_eq!(
        flagged.iter().filter(|c| *c == "unknown-marker").count(),
        2,
        "{doc:#}"
    );
    assert_eq!(
        flagged
            .iter()
            .filter(|c| *c == "unregistered-marker")
            .count(),
        1,
        "`group`, used four times, is reported once: {doc:#}"
    );
}

#[test]
fn pytester_markers_count_only_when_the_builtin_plugin_is_loaded() {
    // pytester ships with pytest but is off by default: the oracle's pytest has it.
    let p = project(&[("pytest.ini", "[pytest]\nmarkers =\n    group(id): x\n")]);
    p.file(
        "tests/test_b.py",
        &grouped_module("@pytest.mark.pytester_example_path(\"x\")\n"),
    );
    assert_eq!(agrees_with_pytest(&p), ["unknown-marker"]);
    p.file("conftest.py", "pytest_plugins = [\"pytester\"]\n");
    assert_eq!(agrees_with_pytest(&p), Vec::<String>::new());
    p.remove("conftest.py").file(
        "pytest.ini",
        "[pytest]\naddopts = -p pytester\nmarkers =\n    group(id): x\n",
    );
    assert_eq!(agrees_with_pytest(&p), Vec::<String>::new());
}

#[test]
fn ignored_registrations_are_an_error_naming_the_file_pytest_reads() {
    let p = project(&[
        ("pytest.ini", "[pytest]\nmarkers =\n    group(id): x\n"),
        (
            "pyproject.toml",
            "[tool.pytest.ini_options]\nmarkers = [\"slow: x\"]\n",
        ),
    ]);
    let (out, doc) = check_json(&p, &[]);
    assert_eq!(out.code, 1, "{}", out.describe());
    let d = &doc["diagnostics"][0];
    assert_eq!(
        (&d["code"], &d["severity"]),
        (
            &serde_json::json!("ignored-markers"),
            &serde_json::json!("error")
        )
    );
    let hint = d["hint"].as_str().unwrap_or_default();
    assert!(
        hint.starts_with("pytest reads pytest.ini [pytest]"),
        "{hint}"
    );
}
