//! Unit tests of static collection on in-memory sources. What pytest itself does with
//! the same files is checked end to end in tests/ against a real pytest.

use super::*;
use fanout_core::{GroupId, GroupSource, Runner};

fn defaults() -> (Vec<String>, Vec<String>) {
    (vec!["Test".into()], vec!["test".into()])
}

pub fn collect_text(text: &str) -> (Vec<TestItem>, Vec<Diagnostic>) {
    let (classes, functions) = defaults();
    let paths = [];
    let rootdir = std::path::PathBuf::from("/r");
    let request = CollectRequest {
        paths: &paths,
        walk: walk::WalkRules {
            rootdir: &rootdir,
            python_files: &[],
            norecursedirs: &[],
            ignore: &[],
            ignore_glob: &[],
            collect_in_virtualenv: false,
            tracked: None,
            respect_gitignore: true,
            doctest_glob: &[],
        },
        python_classes: &classes,
        python_functions: &functions,
        ids: Default::default(),
        imports: Default::default(),
    };
    collect_source("t/test_a.py", "t", text, &request)
}

fn groups(text: &str) -> Vec<(String, Option<String>)> {
    let (tests, diagnostics) = collect_text(text);
    assert!(
        !diagnostics.iter().any(Diagnostic::is_error),
        "{diagnostics:#?}"
    );
    tests
        .into_iter()
        .map(|t| {
            (
                t.node_id.trim_start_matches("t/test_a.py::").to_owned(),
                t.group.map(|g| g.to_string()),
            )
        })
        .collect()
}

fn codes(text: &str) -> Vec<(&'static str, u32)> {
    let (_, diagnostics) = collect_text(text);
    diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.line))
        .collect()
}

#[test]
fn import_forms_and_aliases() {
    let got = groups(
        "import pytest\nimport pytest as pt\nfrom pytest import mark\nfrom pytest import mark as m\n\
         g1 = pytest.mark.group(1)\ngrp = pt.mark.group\nSMALL = 'small'\n\
         @pytest.mark.group(2)\ndef test_a(): pass\n\
         @pt.mark.group('s')\nasync def test_b(): pass\n\
         @mark.group(id='x y')\ndef test_c(): pass\n\
         @m.group(SMALL)\ndef test_d(): pass\n\
         @g1\ndef test_e(): pass\n\
         @grp(7)\ndef test_f(): pass\n",
    );
    let want = [
        ("test_a", "2"),
        ("test_b", "s"),
        ("test_c", "x y"),
        ("test_d", "small"),
        ("test_e", "1"),
        ("test_f", "7"),
    ];
    assert_eq!(got, want.map(|(a, b)| (a.to_owned(), Some(b.to_owned()))));
}

#[test]
fn closest_mark_wins() {
    let (tests, d) = collect_text(
        "import pytest\npytestmark = [pytest.mark.group('mod'), pytest.mark.slow]\n\
         class TestA:\n    pytestmark = pytest.mark.group('cls')\n    def test_1(self): pass\n\
         \x20   @pytest.mark.group('fn')\n    def test_2(self): pass\n\
         def test_3(): pass\n",
    );
    assert!(d.is_empty(), "{d:#?}");
    let got: Vec<_> = tests
        .iter()
        .map(|t| (t.group.clone(), t.group_source))
        .collect();
    assert_eq!(
        got,
        [
            (Some(GroupId::Str("cls".into())), Some(GroupSource::Class)),
            (Some(GroupId::Str("fn".into())), Some(GroupSource::Function)),
            (Some(GroupId::Str("mod".into())), Some(GroupSource::Module)),
        ]
    );
    assert!(tests[2].marks.iter().any(|m| m.name == "slow"));
}

#[test]
fn what_pytest_does_not_collect() {
    let got = groups(
        "import pytest\n\
         @pytest.mark.group(1)\nasync def verify_endpoints(): pass\n\
         @pytest.fixture\ndef test_data(): pass\n\
         class TestInit:\n    def __init__(self): pass\n    def test_x(self): pass\n\
         class TestOff:\n    __test__ = False\n    def test_y(self): pass\n\
         class Helper:\n    def test_z(self): pass\n\
         def test_dup(): pass\n\
         test_dup_value = 3\n",
    );
    assert_eq!(got, [("test_dup".to_owned(), None)]);
}

#[test]
fn nested_and_inherited_classes() {
    let got = groups(
        "class Base:\n    def test_base(self): pass\n\
         class TestSub(Base):\n    def test_own(self): pass\n    class TestInner:\n        def test_in(self): pass\n",
    );
    let ids: Vec<_> = got.into_iter().map(|(id, _)| id).collect();
    assert_eq!(
        ids,
        [
            "TestSub::test_base",
            "TestSub::test_own",
            "TestSub::TestInner::test_in"
        ]
    );
}

#[test]
fn dynamic_ids_are_flagged_not_guessed() {
    let text = "import pytest\nCLOUDS = ['aws']\n\
        CASES = {c: pytest.param(c, marks=[pytest.mark.group(f'{c}-x')]) for c in load()}\n\
        @pytest.mark.parametrize('case', CASES.values())\ndef test_a(case): pass\n\
        @pytest.mark.group(make(1))\ndef test_b(): pass\n\
        for i in range(2):\n    pass\n\
        @pytest.mark.group(i)\ndef test_c(): pass\n";
    assert_eq!(
        codes(text),
        [
            ("dynamic-group-id", 3),
            ("dynamic-group-id", 6),
            ("dynamic-group-id", 10)
        ]
    );
    let (tests, _) = collect_text(text);
    assert!(tests.iter().all(|t| t.group.is_none() && t.group_error));
}

#[test]
fn invalid_and_duplicate_marks() {
    let text = "import pytest\n\
        @pytest.mark.group('a/b')\ndef test_a(): pass\n\
        @pytest.mark.group(1)\n@pytest.mark.group(2)\ndef test_b(): pass\n\
        @pytest.mark.group\ndef test_c(): pass\n\
        @pytest.mark.group(1.5)\ndef test_d(): pass\n\
        @pytest.mark.group('')\ndef test_e(): pass\n";
    assert_eq!(
        codes(text),
        [
            ("invalid-group-id", 2),
            ("duplicate-group-mark", 4),
            ("invalid-group-mark", 7),
            ("invalid-group-mark", 9),
            ("invalid-group-id", 11)
        ]
    );
}

#[test]
fn parameter_groups() {
    let listed = |pairs: &[(&str, &str)]| -> Vec<(String, Option<String>)> {
        pairs
            .iter()
            .map(|(id, group)| ((*id).to_owned(), Some((*group).to_owned())))
            .collect()
    };
    let same = "import pytest\n@pytest.mark.parametrize('x', [pytest.param(1, marks=pytest.mark.group(3)), pytest.param(2, marks=[pytest.mark.group(3)])])\ndef test_a(x): pass\n";
    assert_eq!(
        groups(same),
        listed(&[("test_a[1]", "3"), ("test_a[2]", "3")])
    );
    let differ = "import pytest\n@pytest.mark.parametrize('x', [pytest.param(1, marks=pytest.mark.group(3)), pytest.param(2, marks=pytest.mark.group(4))])\ndef test_a(x): pass\n";
    assert_eq!(
        groups(differ),
        listed(&[("test_a[1]", "3"), ("test_a[2]", "4")])
    );
    // A group mark on the function and others on its parameters: pytest's item holds both.
    let decorated = differ.replace(
        "@pytest.mark.parametrize",
        "@pytest.mark.group(9)\n@pytest.mark.parametrize",
    );
    assert_eq!(
        codes(&decorated),
        [("duplicate-group-mark", 3), ("duplicate-group-mark", 3)]
    );
    let unnamed = "import pytest\n@pytest.mark.parametrize('x', [pytest.param(object(), marks=pytest.mark.group(3)), pytest.param(object(), marks=pytest.mark.group(4))])\ndef test_a(x): pass\n";
    assert_eq!(codes(unnamed), [("parameter-groups", 2)]);
}

/// Tests whose decorators read alike share what they resolve to (`ResolvedMarks`), but only
/// under the same classes, and never where resolving reports something.
#[test]
fn alike_decorators_resolve_by_their_own_classes_and_report_at_each_test() {
    let shared = "    @pytest.mark.runner('big')\n    @pytest.mark.slow\n";
    let text = format!(
        "import pytest\npytestmark = pytest.mark.mod\n\
         class TestA:\n    pytestmark = pytest.mark.group(1)\n{shared}    def test_a1(self): pass\n{shared}    def test_a2(self): pass\n\
         class TestB:\n    pytestmark = [pytest.mark.group(2), pytest.mark.b]\n{shared}    def test_b(self): pass\n\
         class TestC(TestA):\n    pytestmark = pytest.mark.c\n{shared}    def test_c(self): pass\n\
         @pytest.mark.slow\ndef test_f(): pass\n\
         @pytest.mark.slow\ndef test_g(): pass\n\
         @pytest.mark.group(UNKNOWN)\ndef test_x(): pass\n\
         @pytest.mark.group(UNKNOWN)\ndef test_y(): pass\n"
    );
    let (tests, diagnostics) = collect_text(&text);
    // Node id, group, runner and mark names of each test.
    type Row<'t> = (&'t str, Option<String>, Option<&'t Runner>, Vec<&'t str>);
    let got: Vec<Row<'_>> = tests
        .iter()
        .map(|t| {
            (
                t.node_id.trim_start_matches("t/test_a.py::"),
                t.group.as_ref().map(ToString::to_string),
                t.runner.as_deref(),
                t.marks.iter().map(|m| &*m.name).collect(),
            )
        })
        .collect();
    let big = Runner::Label("big".into());
    // Decorators apply bottom-up: `slow` first.
    let one = |id: &'static str, group: &'static str, class_marks: &[&'static str]| {
        let mut marks = vec!["slow", "runner"];
        marks.extend(class_marks);
        marks.push("mod");
        (id, Some(group.to_owned()), Some(&big), marks)
    };
    assert_eq!(
        got,
        [
            one("TestA::test_a1", "1", &["group"]),
            one("TestA::test_a2", "1", &["group"]),
            one("TestB::test_b", "2", &["group", "b"]),
            // The group TestC inherits from TestA (base classes' marks first), then its own.
            one("TestC::test_a1", "1", &["group", "c"]),
            one("TestC::test_a2", "1", &["group", "c"]),
            one("TestC::test_c", "1", &["group", "c"]),
            ("test_f", None, None, vec!["slow", "mod"]),
            ("test_g", None, None, vec!["slow", "mod"]),
            ("test_x", None, None, vec!["group", "mod"]),
            ("test_y", None, None, vec!["group", "mod"]),
        ]
    );
    assert!(tests[8].group_error && tests[9].group_error);
    let lines: Vec<(&str, u32)> = diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.line))
        .collect();
    assert_eq!(lines.len(), 2, "one report at each test: {diagnostics:#?}");
    assert_eq!(lines[0].0, lines[1].0);
    assert!(lines[0].1 < lines[1].1, "{lines:?}");
}

#[test]
fn runner_labels() {
    let (tests, d) = collect_text(
        "import pytest\n@pytest.mark.runner(['self-hosted', 'large'])\n@pytest.mark.group(1)\ndef test_a(): pass\n\
         @pytest.mark.runner('x')\n@pytest.mark.group(1)\ndef test_b(): pass\n",
    );
    assert!(d.is_empty());
    assert_eq!(
        tests[0].runner.as_deref(),
        Some(&Runner::Labels(vec!["self-hosted".into(), "large".into()]))
    );
    assert_eq!(tests[1].runner.as_deref(), Some(&Runner::Label("x".into())));
}

#[test]
fn syntax_error_is_a_diagnostic() {
    assert_eq!(codes("def test_a(:\n    pass\n"), [("syntax-error", 1)]);
}

#[test]
fn commented_out_file_has_no_tests() {
    assert!(groups("# import pytest\n# def test_a(): pass\n").is_empty());
}

#[test]
fn unittest_classes_are_collected_whatever_their_name() {
    let got = groups("import unittest\nclass Checks(unittest.TestCase):\n    def test_a(self): pass\n    def helper(self): pass\n");
    assert_eq!(got, [("Checks::test_a".to_owned(), None)]);
}

#[test]
fn imported_test_names_are_flagged() {
    let text =
        "from helpers import test_shared, TestBase, wait_for\nfrom pytest import TestReport\n";
    assert_eq!(codes(text), [("imported-test", 1), ("imported-test", 1)]);
}

#[test]
fn sources_cpython_cannot_import_are_syntax_errors_not_aborts() {
    let deep_plus = format!("x = {}1\ndef test_a(): pass\n", "1+".repeat(100_000));
    let deep_minus = format!("x = {}1\ndef test_a(): pass\n", "-".repeat(100_000));
    let brackets = format!("x = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000));
    for text in [
        deep_plus.as_str(),
        &deep_minus,
        &brackets,
        "\u{feff}\u{feff}def test_a(): pass\n",
        "def test_a():\n\tx = 1\n        return x\n",
    ] {
        let (tests, diagnostics) = collect_text(text);
        assert!(tests.is_empty());
        assert_eq!(
            diagnostics
                .iter()
                .map(|d| d.code.as_str())
                .collect::<Vec<_>>(),
            ["syntax-error"],
            "{diagnostics:?}"
        );
        assert_eq!(mark_uses(text), None);
    }
}

#[test]
fn deep_sources_cpython_imports_are_collected() {
    let text = format!(
        "import pytest\n\n@pytest.mark.parametrize('x', [{}1])\n@pytest.mark.group(1)\ndef test_a(x): pass\n",
        "1 + ".repeat(2900)
    );
    assert_eq!(groups(&text), [("test_a".to_owned(), Some("1".to_owned()))]);
    assert_eq!(mark_uses(&text).map(|u| u.len()), Some(2));
    let bom = collect_text("\u{feff}import pytest\n@pytest.mark.group(1)\ndef test_a(): pass\n");
    assert_eq!((bom.0.len(), bom.1.len(), bom.0[0].line), (1, 0, 3));
}

#[test]
fn chained_mark_calls_are_an_invalid_group_mark_at_the_call() {
    let (tests, diagnostics) =
        collect_text("import pytest\n\n@pytest.mark.group(12)(13)\ndef test_a():\n    pass\n");
    assert_eq!(
        diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line, d.column))
            .collect::<Vec<_>>(),
        [("invalid-group-mark", 3, 2)]
    );
    assert!(tests[0].group.is_none() && tests[0].group_error);
}

#[test]
fn bare_cr_sources_have_python_line_numbers() {
    let text = "import pytest\r\r@pytest.mark.group(1.5)\rdef test_a():\r    pass\r";
    assert_eq!(codes(text), [("invalid-group-mark", 3)]);
    let (tests, _) = collect_text(&text.replace("1.5", "1"));
    assert_eq!((tests[0].line, &*tests[0].def_line), (4, "def test_a():"));
}
