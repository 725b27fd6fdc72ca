//! Each case was checked against python3.11 (`python3 -c "import case"`); the last test asks
//! the python3 on this machine again when it is 3.11.

use super::*;

fn rejected(text: &str) -> Option<String> {
    parse(text).err().map(|f| f.message)
}

fn chain(op: &str, terms: usize) -> String {
    format!("x = {}\n", vec!["1"; terms].join(op))
}

fn unary(op: &str, n: usize) -> String {
    format!("x = {}1\n", op.repeat(n))
}

/// `n` brackets, alternately round and square (a set of lists would fail at run time).
fn nested(n: usize) -> String {
    let open: String = (0..n).map(|i| if i % 2 == 0 { '(' } else { '[' }).collect();
    let close: String = open
        .chars()
        .rev()
        .map(|c| if c == '(' { ')' } else { ']' })
        .collect();
    format!("x = {open}1{close}\n")
}

fn indented(levels: usize) -> String {
    let mut text: String = (0..levels)
        .map(|i| format!("{}if 1:\n", " ".repeat(i)))
        .collect();
    text.push_str(&format!("{}pass\n", " ".repeat(levels)));
    text
}

/// Cases with what CPython 3.11 does on import: `true` when it imports.
fn cases() -> Vec<(&'static str, String, bool)> {
    vec![
        ("2000 chained +", chain("+", 2001), true),
        ("5000 chained +", chain("+", 5001), false),
        ("2000 unary -", unary("-", 2000), true),
        ("5000 unary -", unary("-", 5000), false),
        ("5000 chained **", chain("**", 5001), false),
        ("200 nested brackets", nested(200), true),
        ("201 nested brackets", nested(201), false),
        ("99 levels of indentation", indented(99), true),
        ("100 levels of indentation", indented(100), false),
        ("one BOM", "\u{feff}x = 1\n".into(), true),
        ("two BOMs", "\u{feff}\u{feff}x = 1\n".into(), false),
        ("BOM later", "x = 1\n\u{feff}y = 2\n".into(), false),
        (
            "tab then 8 spaces",
            "if x:\n\tpass\n        pass\n".into(),
            false,
        ),
        (
            "8 spaces then tab",
            "if 1:\n        x = 1\n\tx = 2\n".into(),
            false,
        ),
        (
            "tab indents less than 2 spaces",
            "if 1:\n  if 1:\n\tx = 1\n".into(),
            false,
        ),
        (
            "tabs only",
            "if 1:\n\tif 1:\n\t\tx = 1\n\tx = 2\n".into(),
            true,
        ),
        (
            "tabs in continuation lines",
            "if 1:\n    x = (1,\n\t2)\n    y = 1 + \\\n\t2\n".into(),
            true,
        ),
        (
            "a field in a format spec",
            "x = 1\ny = f'{x:{x}}'\n".into(),
            true,
        ),
        (
            "a format spec in a format spec",
            "x = 1\ny = f'{x:{x:{x}}}'\n".into(),
            false,
        ),
        (
            "150 fields nested in format specs",
            format!("x = 1\ny = f'{}{}'\n", "{x:".repeat(150), "}".repeat(150)),
            false,
        ),
        (
            "an f-string in a format spec",
            "x = 1\ny = f'{x:{f\"{x:{x}}\"}}'\n".into(),
            true,
        ),
        (
            "tab in a comment line",
            "if 1:\n    x = 1\n\t# c\n    y = 2\n".into(),
            true,
        ),
        (
            "tab in a string",
            "if 1:\n    x = '''\n\ty'''\n    z = 1\n".into(),
            true,
        ),
    ]
}

#[test]
fn rejects_what_cpython_cannot_import() {
    for (name, text, imports) in cases() {
        assert_eq!(
            rejected(&text).is_none(),
            imports,
            "{name}: {:?}",
            rejected(&text)
        );
    }
}

#[test]
fn failures_say_what_cpython_says() {
    let message = |text: &str| rejected(text).unwrap_or_default();
    assert!(message(&chain("+", 5001)).contains("RecursionError: maximum recursion depth"));
    assert_eq!(message(&nested(201)), "too many nested parentheses");
    let spec = message("x = 1\ny = f'{x:{x:{x}}}'\n");
    assert_eq!(spec, "f-string: expressions nested too deeply");
    let tab_error = message("if x:\n\tpass\n        pass\n");
    assert!(
        tab_error.starts_with("inconsistent use of tabs"),
        "{tab_error}"
    );
    assert!(message(&indented(100)).starts_with("too many levels of indentation"));
    let failure = parse("x = 1\nif x:\n\tpass\n        pass\n").err();
    assert_eq!(failure.map(|f| f.offset), Some(TextSize::new(18)));
}

#[test]
fn hundred_thousand_terms_are_rejected_without_overflowing() {
    // Each of these aborted the process (stack overflow) before the checks.
    for text in [
        chain("+", 100_000),
        chain("**", 100_000),
        chain(" if 1 else ", 100_000),
        unary("-", 100_000),
        unary("not ", 100_000),
        nested(100_000),
        format!("x = {}\n", "lambda: ".repeat(100_000)),
        format!("x = a{}\n", ".b".repeat(100_000)),
        format!("x = f'{}{}'\n", "{x:".repeat(100_000), "}".repeat(100_000)),
    ] {
        assert!(rejected(&text).is_some(), "{}", &text[..40]);
    }
}

#[test]
fn agrees_with_python3_11_when_present() {
    let version = std::process::Command::new("python3")
        .arg("--version")
        .output();
    let Ok(version) = version else { return };
    if !String::from_utf8_lossy(&version.stdout).starts_with("Python 3.11") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    for (i, (name, text, _)) in cases().into_iter().enumerate() {
        let module = format!("case{i}");
        std::fs::write(dir.path().join(format!("{module}.py")), &text).expect("write");
        let status = std::process::Command::new("python3")
            .args(["-B", "-c", &format!("import {module}")])
            .current_dir(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("python3 runs");
        assert_eq!(status.success(), rejected(&text).is_none(), "{name}");
    }
}
