//! Inputs that would recurse without end are errors with their own code, never a crash.

use crate::e2e::project::Project;

fn suite() -> Project {
    let p = Project::new();
    p.file(
        "tests/test_a.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n",
    );
    p
}

fn assert_nested_too_deeply(out: &crate::e2e::project::Output, from: &str) {
    assert_eq!(out.code, 2, "{from}: {}", out.describe());
    assert!(
        out.stderr.contains("error[invalid-mark-expression]"),
        "{from}: {}",
        out.describe()
    );
    assert!(
        out.stderr.contains("nested too deeply"),
        "{from}: {}",
        out.describe()
    );
}

#[test]
fn a_deeply_nested_mark_expression_is_an_error_from_every_source() {
    let parens = format!("{}group{}", "(".repeat(10_000), ")".repeat(10_000));
    let nots = format!("{}group", "not ".repeat(30_000));
    for expr in [&parens, &nots] {
        let p = suite();
        let out = p.run(&["matrix", "--backend", "json", "-m", expr]);
        assert_nested_too_deeply(&out, "the command line");

        let mut command = p.command_in("", &["matrix", "--backend", "json"]);
        command.env("PYTEST_ADDOPTS", format!("-m '{expr}'"));
        let out = crate::e2e::project::run(command);
        assert_nested_too_deeply(&out, "PYTEST_ADDOPTS");

        p.file(
            "pytest.ini",
            &format!("[pytest]\naddopts = -m \"{expr}\"\n"),
        );
        let out = p.run(&["collect"]);
        assert_nested_too_deeply(&out, "addopts");
    }
}

/// 100,000 terms (from addopts: a command line holds 128 KiB per argument): a flat list.
#[test]
fn a_long_flat_mark_expression_is_fine() {
    let p = suite();
    let expr = format!("{}group", "slow or ".repeat(100_000));
    p.file(
        "pytest.ini",
        &format!("[pytest]\naddopts = -m \"{expr}\"\n"),
    );
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(out.stdout.contains("\"count\": 1"), "{}", out.describe());
}
