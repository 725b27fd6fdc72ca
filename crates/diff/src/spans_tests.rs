use super::*;

const OLD: &str = "import os\n\n\ndef helper():\n    return 1\n\n\n@pytest.mark.group(1)\ndef test_a():\n    assert helper() == 1\n\n\nclass TestB:\n    def test_b(self):\n        assert True\n";

#[test]
fn spans_start_at_def_and_qualify_methods() {
    let spans = function_spans(OLD).expect("parses");
    let names: Vec<(&str, u32, u32)> = spans
        .iter()
        .map(|s| (s.qualname.as_str(), s.start, s.end))
        .collect();
    assert_eq!(
        names,
        vec![
            ("helper", 4, 5),
            ("test_a", 9, 10),
            ("TestB::test_b", 14, 15)
        ]
    );
}

#[test]
fn a_change_inside_a_body_touches_only_that_function() {
    let new = OLD.replace("assert True", "assert 1 + 1 == 2");
    let Some(Touched::Functions(f)) = touched(OLD, &new) else {
        panic!("expected functions")
    };
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].qualname, "TestB::test_b");
}

#[test]
fn lines_added_at_the_end_of_a_body_stay_inside() {
    let new = OLD.replace(
        "assert helper() == 1\n",
        "assert helper() == 1\n    assert 2\n",
    );
    assert!(matches!(touched(OLD, &new), Some(Touched::Functions(f)) if f[0].qualname == "test_a"));
}

#[test]
fn imports_decorators_and_new_functions_touch_the_module() {
    for new in [
        OLD.replace("import os", "import sys"),
        OLD.replace("group(1)", "group(2)"),
        format!("{OLD}\n\ndef test_new():\n    pass\n"),
        OLD.replace("def test_a", "def test_renamed"),
    ] {
        assert!(
            matches!(touched(OLD, &new), Some(Touched::Module { .. })),
            "{new}"
        );
    }
}

#[test]
fn same_text_touches_nothing_and_bad_syntax_is_unknown() {
    assert_eq!(touched(OLD, OLD), Some(Touched::Nothing));
    assert_eq!(touched(OLD, "def (:\n"), None);
}

#[test]
fn deep_sources_have_spans_or_none_without_overflowing() {
    // Parsed on a big stack; the tree comes back at most 3000 levels deep, which walking and
    // dropping on this 2 MB test thread handle.
    let deep = |terms: usize| format!("x = {}1\ndef test_a():\n    pass\n", "1 + ".repeat(terms));
    let spans = function_spans(&deep(2900)).map(|s| s.len());
    assert_eq!(spans, Some(1));
    assert_eq!(function_spans(&deep(100_000)), None);
    assert_eq!(function_spans("if 1:\n\tx = 1\n        y = 2\n"), None);
}

#[test]
fn bare_cr_files_have_python_line_numbers_and_diff_by_line() {
    let old = OLD.replace('\n', "\r");
    let spans = function_spans(&old).expect("parses");
    let starts: Vec<u32> = spans.iter().map(|s| s.start).collect();
    assert_eq!(starts, [4, 9, 14]);
    let new = old.replace("assert True", "assert 1 + 1 == 2");
    let Some(Touched::Functions(f)) = touched(&old, &new) else {
        panic!("expected functions")
    };
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].qualname, "TestB::test_b");
}
