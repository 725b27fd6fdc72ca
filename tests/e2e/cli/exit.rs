//! Exit status is a contract: 0 success, 1 findings, 2 usage, I/O or config errors.

use crate::e2e::project::Project;

const GROUPED: &str = "import pytest\n\n@pytest.mark.group(1)\ndef test_it():\n    pass\n";

#[test]
fn backends_lists_every_linked_backend() {
    let out = Project::new().run(&["backends"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let names: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for name in ["github", "json", "spread"] {
        assert!(
            names.contains(&name),
            "{name} missing from `fanout backends`:\n{}",
            out.stdout
        );
    }
    for line in out.stdout.lines() {
        assert!(
            line.split_whitespace().count() > 1,
            "{line:?} has a summary"
        );
    }
}

#[test]
fn success_is_zero() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED);
    let out = p.run(&["collect"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(
        out.stdout.contains("tests/test_ok.py::test_it"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.is_empty(), "nothing to report: {}", out.stderr);
    assert_eq!(p.run(&["matrix", "--backend", "json"]).code, 0);
}

#[test]
fn findings_are_one_and_printed_like_a_compiler() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED).file(
        "tests/test_dyn.py",
        "import os\nimport pytest\n\n@pytest.mark.group(os.environ[\"G\"])\ndef test_it():\n    pass\n",
    );
    let out = p.run(&["collect"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    let mut lines = out.stderr.lines();
    let header = lines
        .by_ref()
        .find(|l| l.contains("error[dynamic-group-id]"))
        .unwrap_or_else(|| panic!("no dynamic-group-id diagnostic:\n{}", out.stderr));
    assert!(
        header.starts_with("tests/test_dyn.py:4:"),
        "`path:line:col: error[code]: message`, got {header:?}"
    );
    let column: String = header["tests/test_dyn.py:4:".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert!(!column.is_empty(), "a column follows the line: {header:?}");
    let rest: Vec<&str> = lines.take(3).collect();
    assert!(
        rest.iter()
            .any(|l| l.contains("@pytest.mark.group(os.environ[\"G\"])")),
        "the source line follows the header:\n{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("\x1b["),
        "no colour when stderr is not a terminal"
    );
}

#[test]
fn bad_marker_expression_is_a_usage_error() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED);
    for expr in ["smoke and", "(smoke", "not", "group(id=)"] {
        for command in [
            &["collect", "-m", expr][..],
            &["matrix", "--backend", "json", "-m", expr],
        ] {
            let out = p.run(command);
            assert_eq!(out.code, 2, "-m {expr:?}: {}", out.describe());
            assert!(
                out.stderr
                    .starts_with("error[invalid-mark-expression]: Wrong expression passed to '-m'"),
                "-m {expr:?}: {}",
                out.stderr
            );
            assert!(out.stdout.is_empty(), "-m {expr:?}: {}", out.stdout);
        }
    }
}

#[test]
fn usage_errors_are_two() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED);
    let out = p.run(&["matrix", "--backend", "nope"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr.contains("nope") && out.stderr.contains("github"),
        "{}",
        out.stderr
    );
    assert_eq!(p.run(&["collect", "--no-such-flag"]).code, 2);
    assert_eq!(p.run(&["matrix"]).code, 2, "--backend is required");
}

#[test]
fn nonexistent_path_is_two_and_named() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED);
    let out = p.run(&["collect", "tests/test_ok.py", "tests/missing_dir"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(out.stderr.contains("tests/missing_dir"), "{}", out.stderr);
}

#[test]
fn empty_tree_has_no_tests() {
    let p = Project::new();
    p.file("tests/helpers.py", "def helper():\n    pass\n");
    let out = p.run(&["collect", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(doc["diagnostics"][0]["code"], "no-tests", "{doc:#}");
    assert_eq!(p.run(&["matrix", "--backend", "json"]).code, 1);
}

#[test]
fn malformed_config_files_are_two_and_located() {
    let cases = [
        (
            "pyproject.toml",
            "[tool.pytest.ini_options]\ntestpaths = [\"tests\"\n",
            2,
        ),
        (
            "pytest.ini",
            "[pytest]\npython_files = test_*.py\nthis is not a key\n",
            3,
        ),
        (
            "pyproject.toml",
            "[tool.fanout]\nungrouped = \"sometimes\"\n",
            2,
        ),
        ("pyproject.toml", "[tool.fanout]\nno-such-key = 1\n", 2),
    ];
    for (name, text, line) in cases {
        let p = Project::new();
        p.file(name, text).file("tests/test_ok.py", GROUPED);
        let out = p.run(&["collect"]);
        assert_eq!(out.code, 2, "{name} {text:?}: {}", out.describe());
        assert!(
            out.stderr.starts_with(&format!("{name}:{line}:")),
            "{name} {text:?}: names file:line {line}: {}",
            out.stderr
        );
        assert!(out.stderr.contains("error[config-error]"), "{}", out.stderr);
    }
}
