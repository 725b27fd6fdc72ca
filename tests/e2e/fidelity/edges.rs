//! Module-level Python that decides what pytest collects at import time. Each pattern is a
//! separate test so that a disagreement names exactly one pattern.

use super::compare::assert_matches_pytest;
use crate::e2e::project::Project;

/// One test file: `body` after `import pytest` and a module-level group mark.
fn module(body: &str) -> Project {
    let p = Project::new();
    let text = format!(
        "import sys\nimport pytest\n\npytestmark = pytest.mark.group(1)\n\n{}",
        crate::e2e::project::dedent(body)
    );
    p.file("tests/test_edge.py", &text);
    p
}

#[test]
fn inherited_class_pytestmark_and_test_flag() {
    let p = module(
        r#"
        class TestPmBase:
            pytestmark = pytest.mark.group("pmbase")

            def test_base(self):
                pass

        class TestPmChild(TestPmBase):
            def test_child(self):
                pass

        class TestOff:
            __test__ = False

            def test_off(self):
                pass

        class TestOffChild(TestOff):
            def test_inherits_off(self):
                pass

        class TestOnChild(TestOff):
            __test__ = True

            def test_on(self):
                pass

        class TestOuter:
            class Helper:
                def test_in_helper(self):
                    pass
        "#,
    );
    assert_matches_pytest(&p, &[]);
}

#[test]
fn name_prefixes_and_encodings() {
    let p = module(
        r#"
        def testnounderscore():
            pass

        def testing_thing():
            pass

        def test_café():
            pass

        class Testing:
            def test_m(self):
                pass

        def test_deleted():
            pass

        del test_deleted
        "#,
    );
    p.bytes(
        "tests/test_crlf.py",
        b"import pytest\r\n\r\n@pytest.mark.group(1)\r\ndef test_it():\r\n    pass\r\n",
    )
    .bytes(
        "tests/test_bom.py",
        b"\xef\xbb\xbfimport pytest\n\n@pytest.mark.group(1)\ndef test_it():\n    pass\n",
    )
    .file(
        "tests/foo_test.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_it():\n    pass\n",
    )
    .file(
        "tests/test.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_it():\n    pass\n",
    )
    .file(
        "tests/__pycache__/test_cached.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_it():\n    pass\n",
    );
    assert_matches_pytest(&p, &[]);
}

#[test]
fn constructors_written_out_or_inherited() {
    let p = module(
        r#"
        class Base:
            def __init__(self):
                pass

        class TestInheritsInit(Base):
            def test_never(self):
                pass

        class TestNew:
            def __new__(cls):
                return object.__new__(cls)

            def test_never(self):
                pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    compared.assert_fanout_reports("tests/test_edge.py", "class-not-collected");
}

#[test]
fn dataclass_test_class_is_not_collected() {
    let p = module(
        r#"
        from dataclasses import dataclass

        @dataclass
        class TestData:
            x: int = 1

            def test_dc(self):
                pass

        def test_real():
            pass
        "#,
    );
    assert_matches_pytest(&p, &[]);
}

#[test]
fn tests_defined_under_if() {
    let p = module(
        r#"
        if sys.version_info >= (3, 8):
            def test_in_if():
                pass
        else:
            def test_in_else():
                pass

        try:
            def test_in_try():
                pass
        except ImportError:
            pass
        "#,
    );
    assert_matches_pytest(&p, &[]);
}

#[test]
fn tests_bound_by_assignment() {
    let p = module(
        r#"
        def test_real():
            pass

        test_alias = test_real

        test_lambda = lambda: None
        "#,
    );
    assert_matches_pytest(&p, &[]);
}

#[test]
fn function_test_flag_set_after_def() {
    let p = module(
        r#"
        def test_real():
            pass

        def test_flagged_off():
            pass

        test_flagged_off.__test__ = False
        "#,
    );
    assert_matches_pytest(&p, &[]);
}

#[test]
fn module_test_flag_false() {
    let p = module(
        r#"
        __test__ = False

        def test_never():
            pass
        "#,
    );
    p.file(
        "tests/test_other.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_it():\n    pass\n",
    );
    assert_matches_pytest(&p, &[]);
}

/// A conftest.py that puts `vendor/` on `sys.path`: modules there are importable by pytest but
/// outside what fanout searches (the rootdir, `pythonpath`, the test modules' basedirs).
fn with_vendor_dir(p: &Project) -> &Project {
    p.file(
        "tests/conftest.py",
        r#"
        import os, sys

        sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "vendor", "lib"))
        "#,
    )
}

/// A test class whose base (holding a test) is defined in a module fanout cannot find, next to
/// a plain test of the same group.
fn unseen_base_project() -> Project {
    let p = Project::new();
    with_vendor_dir(&p)
        .file(
            "vendor/lib/base_cases.py",
            r#"
        class BaseCases:
            def test_inherited(self):
                pass
        "#,
        )
        .file(
            "tests/test_unresolved.py",
            r#"
        import pytest
        from base_cases import BaseCases

        @pytest.mark.group(2)
        class TestImpl(BaseCases):
            def test_own(self):
                pass

        @pytest.mark.group(3)
        def test_plain():
            pass
        "#,
        );
    p
}

#[test]
fn base_class_from_another_module_is_flagged() {
    let p = unseen_base_project();
    // fanout cannot see the inherited tests; it must say so, and pytest shows what it misses.
    let fanout = p.collect_json(&[]);
    let oracle = crate::support::pytest_oracle::pytest_collect(&p.path(), &[]);
    assert!(
        crate::e2e::project::diagnostics_with(&fanout, "unresolved-base")
            .iter()
            .any(|d| d["path"] == "tests/test_unresolved.py"),
        "{fanout:#}"
    );
    assert!(oracle
        .node_ids()
        .contains(&"tests/test_unresolved.py::TestImpl::test_inherited"));
    assert!(oracle
        .node_ids()
        .contains(&"tests/test_unresolved.py::TestImpl::test_own"));
}

#[test]
fn gitignored_tests_match_pytest_when_gitignore_is_not_respected() {
    let p = Project::new();
    p.dir(".git")
        .file(
            "pyproject.toml",
            "[tool.fanout]\nrespect-gitignore = false\n",
        )
        .file(".gitignore", "generated/\n")
        .file(
            "tests/generated/test_gen.py",
            "import pytest\n\n@pytest.mark.group(1)\ndef test_it():\n    pass\n",
        )
        .file(
            "tests/test_kept.py",
            "import pytest\n\n@pytest.mark.group(1)\ndef test_it():\n    pass\n",
        );
    let compared = assert_matches_pytest(&p, &[]);
    assert!(compared
        .node_ids()
        .contains(&"tests/generated/test_gen.py::test_it"));
}

#[test]
fn imported_test_function_is_flagged() {
    let p = Project::new();
    with_vendor_dir(&p)
        .file(
            "vendor/lib/shared_cases.py",
            r#"
        import pytest

        @pytest.mark.group(1)
        def test_shared():
            pass
        "#,
        )
        .file(
            "tests/test_importer.py",
            r#"
        import pytest
        from shared_cases import test_shared

        @pytest.mark.group(1)
        def test_own():
            pass
        "#,
        );
    // pytest collects the imported function in the importing module; fanout cannot find its
    // module, so it must warn where the import is.
    let fanout = p.collect_json(&[]);
    let oracle = crate::support::pytest_oracle::pytest_collect(&p.path(), &[]);
    assert!(
        crate::e2e::project::diagnostics_with(&fanout, "imported-test")
            .iter()
            .any(|d| d["path"] == "tests/test_importer.py" && d["line"] == 2),
        "{fanout:#}"
    );
    assert!(oracle
        .node_ids()
        .contains(&"tests/test_importer.py::test_shared"));
}

/// A class whose base is defined elsewhere: the matrix names the class, and pytest given those
/// node ids runs the inherited test too.
#[test]
fn matrix_names_a_class_with_an_unseen_base() {
    let p = unseen_base_project();
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let node_ids: Vec<&str> = doc["groups"][0]["node_ids"]
        .as_array()
        .expect("node_ids")
        .iter()
        .filter_map(serde_json::Value::as_str)
        .collect();
    // Group 3 in the same file keeps the class's job from being the whole file.
    assert_eq!(node_ids, ["tests/test_unresolved.py::TestImpl"]);
    let oracle = crate::support::pytest_oracle::pytest_collect(&p.path(), &node_ids);
    assert!(oracle
        .node_ids()
        .contains(&"tests/test_unresolved.py::TestImpl::test_inherited"));
}

/// A class with an unseen base and no test of its own would be in no job: an error.
#[test]
fn class_with_only_unseen_tests_is_an_error() {
    let p = Project::new();
    with_vendor_dir(&p).file(
        "vendor/lib/base_cases.py",
        "class BaseCases:\n    def test_inherited(self):\n        pass\n",
    )
    .file(
        "tests/test_only_inherited.py",
        "import pytest\nfrom base_cases import BaseCases\n\n\n@pytest.mark.group(1)\nclass TestImpl(BaseCases):\n    pass\n\n\n@pytest.mark.group(1)\ndef test_plain():\n    pass\n",
    );
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(
        out.stderr.contains("error[unresolved-base]"),
        "{}",
        out.describe()
    );
    let oracle = crate::support::pytest_oracle::pytest_collect(&p.path(), &[]);
    assert!(oracle
        .node_ids()
        .contains(&"tests/test_only_inherited.py::TestImpl::test_inherited"));
}

/// pytest's doctest plugin collects `test*.txt` files by default; fanout lists them too, and
/// since they cannot carry a group they are errors unless whole-file jobs are allowed.
#[test]
fn doctest_text_files_are_collected() {
    let p = module(
        r#"
        def test_real():
            pass
        "#,
    );
    p.file("tests/test_notes.txt", "Adding:\n\n    >>> 1 + 1\n    2\n")
        .file("tests/test_prose.txt", "No examples here.\n")
        .file("tests/notes.txt", ">>> 1\n1\n")
        .file(
            "pyproject.toml",
            "[tool.fanout]\nungrouped = \"whole-file\"\n",
        );
    let compared = assert_matches_pytest(&p, &[]);
    assert!(compared
        .node_ids()
        .contains(&"tests/test_notes.txt::test_notes.txt"));

    // A whole-file job names the text file, which is how pytest runs its doctests.
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let notes: Vec<_> = doc["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter(|g| g["path_to_test_file"] == "tests/test_notes.txt")
        .collect();
    assert_eq!(notes.len(), 1, "{doc:#}");
    assert_eq!(
        notes[0]["node_ids"],
        serde_json::json!(["tests/test_notes.txt"])
    );
    let ran = crate::support::pytest_oracle::pytest_collect(&p.path(), &["tests/test_notes.txt"]);
    assert_eq!(ran.node_ids(), ["tests/test_notes.txt::test_notes.txt"]);

    p.file("pyproject.toml", "[tool.fanout]\n");
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(
        out.stderr.contains("doctests cannot carry a group mark"),
        "{}",
        out.describe()
    );

    // With the doctest plugin off, neither pytest nor fanout collects the file.
    p.file("pytest.ini", "[pytest]\naddopts = -p no:doctest\n");
    let compared = assert_matches_pytest(&p, &[]);
    assert!(!compared
        .node_ids()
        .contains(&"tests/test_notes.txt::test_notes.txt"));
}

/// `--doctest-modules` makes pytest collect docstring examples fanout does not list: say so.
#[test]
fn doctest_modules_is_flagged() {
    let p = module(
        r#"
        def helper():
            """
            >>> 1
            1
            """

        def test_real():
            pass
        "#,
    );
    p.file("pytest.ini", "[pytest]\naddopts = --doctest-modules\n");
    let fanout = p.collect_json(&[]);
    assert!(
        !crate::e2e::project::diagnostics_with(&fanout, "doctest-modules").is_empty(),
        "{fanout:#}"
    );
    let oracle = crate::support::pytest_oracle::pytest_collect(&p.path(), &[]);
    assert!(oracle
        .node_ids()
        .contains(&"tests/test_edge.py::test_edge.helper"));
}
