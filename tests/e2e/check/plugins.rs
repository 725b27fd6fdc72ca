//! Markers of known plugins: accepted when the project declares or loads the plugin, in each
//! way it can; never registered by `--fix`.

use super::{check_json, codes, grouped_module};
use crate::e2e::project::Project;
use std::fs;

/// A project whose test uses `@pytest.mark.timeout(5)`, plus `files`.
fn with_timeout_mark(files: &[(&str, &str)]) -> Project {
    let p = Project::new();
    p.file("pytest.ini", "[pytest]\nmarkers =\n    group(id): x\n");
    for (name, text) in files {
        p.file(name, text);
    }
    p.file(
        "tests/test_a.py",
        &grouped_module("@pytest.mark.timeout(5)\n"),
    );
    p
}

#[test]
fn each_declaration_style_loads_the_plugin() {
    let cases: [&[(&str, &str)]; 11] = [
        &[("requirements.txt", "pytest-timeout==2.3\n")],
        &[("requirements-dev.txt", "Pytest_Timeout>=2 ; python_version>'3'\n")],
        &[("requirements/test.txt", "-r base.txt\npytest-timeout\n")],
        &[("pyproject.toml", "[project]\nname = \"x\"\ndependencies = [\"pytest-timeout\"]\n")],
        &[("pyproject.toml", "[project]\nname = \"x\"\n[project.optional-dependencies]\ntest = [\"pytest-timeout\"]\n")],
        &[("pyproject.toml", "[dependency-groups]\ntest = [\"pytest-timeout>=2\"]\n")],
        &[("pyproject.toml", "[tool.poetry.group.test.dependencies]\npytest-timeout = \"^2\"\n")],
        &[("tox.ini", "[testenv]\ndeps =\n    pytest\n    pytest-timeout\n")],
        &[("setup.cfg", "[options]\ninstall_requires =\n    requests\n    pytest-timeout\n")],
        &[("setup.cfg", "[options.extras_require]\ntest = pytest-timeout\n")],
        &[("conftest.py", "pytest_plugins = [\"pytest_timeout\"]\n")],
    ];
    for files in cases {
        let p = with_timeout_mark(files);
        let (out, doc) = check_json(&p, &[]);
        assert_eq!(
            codes(&doc),
            Vec::<String>::new(),
            "{files:?}\n{}",
            out.describe()
        );
    }
    let p = with_timeout_mark(&[]);
    p.file(
        "pytest.ini",
        "[pytest]\naddopts = -p timeout\nmarkers =\n    group(id): x\n",
    );
    let (out, doc) = check_json(&p, &[]);
    assert_eq!(codes(&doc), Vec::<String>::new(), "{}", out.describe());
}

#[test]
fn undeclared_plugin_marker_is_reported_with_the_plugin_and_never_fixed() {
    let p = Project::new();
    p.file(
        "pytest.ini",
        "[pytest]\naddopts = --strict-markers\nmarkers =\n    group(id): x\n",
    )
    .file(
        "tests/test_a.py",
        &grouped_module("@pytest.mark.xdist_group(\"db\")\n@pytest.mark.juju3\n"),
    );
    let (out, doc) = check_json(&p, &[]);
    assert_eq!(out.code, 1);
    assert_eq!(
        doc["fixable_markers"],
        serde_json::json!(["juju3"]),
        "{doc:#}"
    );
    let xdist = doc["diagnostics"]
        .as_array()
        .expect("an array")
        .iter()
        .find(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.contains("xdist_group"))
        })
        .expect("xdist_group is reported");
    let hint = xdist["hint"].as_str().expect("a hint");
    assert!(
        hint.contains("pytest-xdist") && hint.contains("-p xdist"),
        "{hint}"
    );

    let diff = p.run(&["check", "--diff"]);
    assert!(diff.stdout.contains("+    juju3"), "{}", diff.stdout);
    assert!(!diff.stdout.contains("xdist_group"), "{}", diff.stdout);
    p.run(&["check", "--fix"]);
    let ini = fs::read_to_string(p.join("pytest.ini")).expect("pytest.ini");
    assert!(
        ini.contains("juju3") && !ini.contains("xdist_group"),
        "{ini}"
    );

    // Turned off with `-p no:`: the hint says so.
    p.file(
        "pytest.ini",
        "[pytest]\naddopts = -p no:xdist\nmarkers =\n    group(id): x\n    juju3\n",
    )
    .file("requirements.txt", "pytest-xdist\n");
    let (_, doc) = check_json(&p, &[]);
    let hint = doc["diagnostics"][0]["hint"].as_str().unwrap_or_default();
    assert!(hint.contains("`-p no:` turns off"), "{doc:#}");
}

#[test]
fn names_projects_register_themselves_are_still_fixable() {
    // pytest-skip-slow registers `slow`, but most projects that use it register it themselves.
    let p = Project::new();
    p.file("tests/test_a.py", &grouped_module("@pytest.mark.slow\n"));
    let (_, doc) = check_json(&p, &[]);
    assert_eq!(
        doc["fixable_markers"],
        serde_json::json!(["group", "slow"]),
        "{doc:#}"
    );
}
