//! Reporting that stays readable on real suites: one line for a suite without groups, one
//! diagnostic per unknown marker; and positions that match Python's (bare `\r` line endings,
//! chained mark calls).

use super::{check_json, codes};
use crate::e2e::project::Project;
use crate::support::pytest_oracle::{self, pytest_collect};
use std::process::Command;

const REGISTERED: &str = "[pytest]\nmarkers =\n    group(id): x\n";

#[test]
fn a_suite_without_groups_is_one_line() {
    let p = Project::new();
    p.file("pytest.ini", REGISTERED);
    for name in ["a", "b", "c"] {
        p.file(
            &format!("tests/test_{name}.py"),
            "def test_x():\n    pass\n\ndef test_y():\n    pass\n",
        );
    }
    let out = p.run(&["check", "--format", "human"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    insta::assert_snapshot!("no_groups", out.stdout);
    // Once one file has groups, each ungrouped file is reported where it is.
    p.file(
        "tests/test_a.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_x():\n    pass\n",
    );
    let (_, doc) = check_json(&p, &[]);
    assert_eq!(codes(&doc), ["ungrouped-file", "ungrouped-file"], "{doc:#}");
}

#[test]
fn an_unknown_marker_is_reported_once_with_its_count() {
    let p = Project::new();
    p.file("pytest.ini", REGISTERED)
        .file(
            "tests/test_b.py",
            "import pytest\n\n@pytest.mark.group(1)\n@pytest.mark.juju3\ndef test_x():\n    pass\n",
        )
        .file(
            "tests/test_a.py",
            "import pytest\n\n@pytest.mark.group(1)\ndef test_x():\n    pass\n\n@pytest.mark.group(1)\n@pytest.mark.juju3\ndef test_y():\n    pass\n\n@pytest.mark.group(2)\n@pytest.mark.juju3\ndef test_z():\n    pass\n",
        );
    let (_, doc) = check_json(&p, &[]);
    let found = &doc["diagnostics"];
    assert_eq!(codes(&doc), ["unknown-marker"], "{doc:#}");
    assert_eq!(found[0]["path"], "tests/test_a.py");
    assert_eq!(found[0]["line"], 8);
    let message = found[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("used 3 times in 2 files"), "{message}");
}

/// What `python3 -c script` prints with `input` on its standard input; it must succeed.
fn python_stdout(script: &str, input: &[u8]) -> String {
    let output = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().expect("piped stdin").write_all(input)?;
            child.wait_with_output()
        })
        .expect("python3 runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// 1-based line of each decorator and def in `source`, from CPython's own parser.
fn python_lines(source: &[u8]) -> Vec<(String, u64)> {
    let script = "import ast, sys\nsrc = sys.stdin.buffer.read()\nfor node in ast.walk(ast.parse(src)):\n    if isinstance(node, ast.FunctionDef):\n        for d in node.decorator_list:\n            print('decorator', d.lineno)\n        print(node.name, node.lineno)\n";
    python_stdout(script, source)
        .lines()
        .filter_map(|l| {
            let (what, line) = l.split_once(' ')?;
            Some((what.to_owned(), line.parse().ok()?))
        })
        .collect()
}

#[test]
fn bare_cr_and_mixed_line_endings_give_python_line_numbers() {
    let source: &[u8] = b"import pytest\r\r\n\n# comment\r@pytest.mark.group(1.5)\r\ndef test_bad():\r    pass\n\r@pytest.mark.group(2)\r@pytest.mark.juju3\rdef test_ok():\r    pass\r";
    let p = Project::new();
    p.file("pytest.ini", REGISTERED)
        .bytes("tests/test_cr.py", source);
    let python = python_lines(source);
    let line_of = |what: &str| -> u64 {
        python
            .iter()
            .find(|(w, _)| w == what)
            .map(|(_, l)| *l)
            .unwrap_or_else(|| panic!("{what} in {python:?}"))
    };
    let decorators: Vec<u64> = python
        .iter()
        .filter(|(w, _)| w == "decorator")
        .map(|(_, l)| *l)
        .collect();
    let (_, doc) = check_json(&p, &[]);
    let at = |code: &str| -> Vec<u64> {
        doc["diagnostics"]
            .as_array()
            .expect("an array")
            .iter()
            .filter(|d| d["code"] == code)
            .filter_map(|d| d["line"].as_u64())
            .collect()
    };
    assert!(decorators.len() == 3, "{python:?}");
    assert_eq!(at("invalid-group-mark"), [decorators[0]], "{doc:#}");
    assert_eq!(at("unknown-marker"), [decorators[2]], "{doc:#}");
    let collected = p.collect_json(&["tests"]);
    let lines: Vec<u64> = collected["tests"]
        .as_array()
        .map(|tests| tests.iter().filter_map(|t| t["line"].as_u64()).collect())
        .unwrap_or_default();
    assert!(lines.contains(&line_of("test_ok")), "{collected:#}");
}

#[test]
fn invalid_utf8_after_bare_cr_names_pythons_line() {
    let source: &[u8] = b"import pytest\r\r\nx = 1\r# caf\xe9\ndef test_a():\n    pass\n";
    let p = Project::new();
    p.file("pytest.ini", REGISTERED)
        .bytes("tests/test_latin1.py", source);
    // Python's universal newlines: lines before the bad byte, plus the one it is on.
    let script = "import io, sys\nb = sys.stdin.buffer.read()\ntry:\n    b.decode()\nexcept UnicodeDecodeError as e:\n    print(io.TextIOWrapper(io.BytesIO(b[:e.start]), newline=None).read().count('\\n') + 1)\n";
    let python_line: u64 = python_stdout(script, source)
        .trim()
        .parse()
        .expect("a line number");
    let (_, doc) = check_json(&p, &[]);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "invalid-utf8", "{doc:#}");
    assert_eq!(d["line"].as_u64(), Some(python_line), "{doc:#}");
    assert!(
        d["message"]
            .as_str()
            .unwrap_or_default()
            .contains("byte 6 of line"),
        "{doc:#}"
    );
}

#[test]
fn chained_group_calls_are_one_mark_with_two_ids_for_pytest_and_invalid_for_fanout() {
    let p = Project::new();
    p.file("pytest.ini", REGISTERED).file(
        "tests/test_a.py",
        "import pytest\n\n@pytest.mark.group(12)(13)\ndef test_a():\n    pass\n",
    );
    let (_, doc) = check_json(&p, &[]);
    let d = &doc["diagnostics"][0];
    assert_eq!(
        (&d["code"], &d["line"], &d["column"]),
        (
            &serde_json::json!("invalid-group-mark"),
            &serde_json::json!(3),
            &serde_json::json!(2)
        ),
        "{doc:#}"
    );
    let pytest = pytest_collect(&p.path(), &[]);
    let group = pytest.items[0]
        .group
        .as_ref()
        .expect("pytest sees a group mark");
    assert_eq!(group.args, [serde_json::json!(12), serde_json::json!(13)]);
    let _ = pytest_oracle::python;
}
