//! Collection across modules, as pytest imports them: unittest classes through bases in other
//! modules, inherited and imported tests, star imports, conditions, and conftest.py
//! `collect_ignore`. Each compares fanout's node ids and groups with a real pytest.

use super::compare::assert_matches_pytest;
use crate::e2e::project::{diagnostics_with, Project};

#[test]
fn unittest_classes_through_bases_in_other_modules() {
    let p = Project::new();
    p.file("pytest.ini", "[pytest]\n")
        .file(
            "tests/testutils.py",
            r#"
            import unittest

            class BaseTestCase(unittest.TestCase):
                def test_base_check(self):
                    pass

                def helper(self):
                    pass

            class AsyncBase(unittest.IsolatedAsyncioTestCase):
                async def test_async_base(self):
                    pass
            "#,
        )
        .file(
            "tests/test_completion.py",
            r#"
            import testutils
            from testutils import AsyncBase as Base

            class CompletionTest(testutils.BaseTestCase):
                def test_complete(self):
                    pass

                def not_a_test(self):
                    pass

            class Later(Base):
                def test_later(self):
                    pass

            class Off(testutils.BaseTestCase):
                __test__ = False

                def test_off(self):
                    pass
            "#,
        );
    let compared = assert_matches_pytest(&p, &[]);
    let ids = compared.node_ids();
    assert!(ids.contains(&"tests/test_completion.py::CompletionTest::test_base_check"));
    // Imported under an alias, the base class is a test class of this module too.
    assert!(ids.contains(&"tests/test_completion.py::Base::test_async_base"));
}

#[test]
fn inherited_tests_and_marks_from_a_package_base() {
    let p = Project::new();
    p.file("pytest.ini", "[pytest]\n")
        .file("tests/__init__.py", "")
        .file("tests/pkg/__init__.py", "")
        .file(
            "tests/pkg/base.py",
            r#"
            import pytest

            class Mixin:
                pytestmark = pytest.mark.group("mixin")

                def test_mixed(self):
                    pass

                @pytest.mark.group(7)
                def test_own_group(self):
                    pass
            "#,
        )
        .file(
            "tests/pkg/test_rel.py",
            r#"
            from .base import Mixin
            from . import base

            class TestRel(Mixin):
                def test_here(self):
                    pass

            class TestAbs(base.Mixin):
                pass
            "#,
        );
    let compared = assert_matches_pytest(&p, &[]);
    assert!(compared
        .node_ids()
        .contains(&"tests/pkg/test_rel.py::TestAbs::test_mixed"));
    assert!(diagnostics_with(&compared.fanout, "unresolved-base").is_empty());
}

#[test]
fn imported_and_star_imported_tests_are_collected_where_imported() {
    let p = Project::new();
    p.file("pytest.ini", "[pytest]\n")
        .file(
            "tests/shared_cases.py",
            r#"
            import pytest

            @pytest.mark.group(1)
            def test_shared():
                pass

            class TestShared:
                @pytest.mark.group("c")
                def test_in_class(self):
                    pass

            def helper():
                pass
            "#,
        )
        .file(
            "tests/starred.py",
            r#"
            import pytest

            __all__ = ["test_starred"]

            @pytest.mark.group(2)
            def test_starred():
                pass

            def test_not_exported():
                pass
            "#,
        )
        .file("tests/pkg/__init__.py", "")
        .file("tests/pkg/testutils.py", "VALUE = 1\n")
        .file(
            "tests/test_importer.py",
            r#"
            import pytest
            from shared_cases import test_shared, TestShared, helper
            from starred import *
            from pkg import testutils

            @pytest.mark.group(1)
            def test_own():
                pass
            "#,
        );
    let compared = assert_matches_pytest(&p, &[]);
    assert!(compared
        .node_ids()
        .contains(&"tests/test_importer.py::test_starred"));
    // `testutils` is a module: nothing to warn about.
    assert!(
        diagnostics_with(&compared.fanout, "imported-test").is_empty(),
        "{:#}",
        compared.fanout
    );
}

/// pytest collects a TestCase subclass wherever a module binds it, whatever its name; here the
/// importing module needs nothing else from other modules, so only the imports say so.
#[test]
fn testcase_classes_imported_under_other_names_are_collected_where_imported() {
    let p = Project::new();
    p.file("pytest.ini", "[pytest]\n")
        .file(
            "tests/base_checks.py",
            r#"
            import unittest

            class BaseChecks(unittest.TestCase):
                def test_base(self):
                    pass
            "#,
        )
        .file(
            "tests/shared_checks.py",
            r#"
            from base_checks import BaseChecks

            class SharedChecks(BaseChecks):
                def test_shared(self):
                    pass

            class Helper:
                def test_not_a_case(self):
                    pass
            "#,
        )
        .file(
            "tests/test_reuse.py",
            r#"
            from shared_checks import SharedChecks as Renamed, Helper
            from typing import Optional

            def test_plain():
                pass
            "#,
        )
        .file(
            "tests/test_plain_import.py",
            "from shared_checks import Helper\n\ndef test_alone():\n    pass\n",
        );
    let compared = assert_matches_pytest(&p, &[]);
    let ids = compared.node_ids();
    assert!(
        ids.contains(&"tests/test_reuse.py::Renamed::test_shared")
            && ids.contains(&"tests/test_reuse.py::Renamed::test_base"),
        "{ids:?}"
    );
    assert!(!ids.iter().any(|id| id.contains("Helper")), "{ids:?}");
}

#[test]
fn definitions_under_match_and_conditions() {
    let p = Project::new();
    p.file("pytest.ini", "[pytest]\n").file(
        "tests/test_cond.py",
        r#"
        import sys
        import pytest

        pytestmark = pytest.mark.group(1)

        match sys.platform:
            case "no-such-platform":
                def test_first_case():
                    pass
            case _:
                def test_fallback():
                    pass

        match "literal":
            case _:
                def test_wildcard():
                    pass

        if sys.version_info >= (3, 9):
            def test_new_python():
                pass
        else:
            def test_old_python():
                pass

        if sys.version_info < (3, 0):
            def test_never():
                pass
        elif True:
            def test_elif_true():
                pass

        with open(__file__):
            def test_in_with():
                pass
        "#,
    );
    let fanout = p.collect_json(&[]);
    let warned: Vec<&str> = diagnostics_with(&fanout, "conditional-definition")
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        warned.iter().any(|m| m.contains("test_first_case")),
        "{fanout:#}"
    );
    assert!(
        diagnostics_with(&fanout, "conditional-test")
            .iter()
            .any(|d| d["message"]
                .as_str()
                .is_some_and(|m| m.contains("test_fallback"))),
        "{fanout:#}"
    );
    // The decided branches agree with pytest; the undecided `match` is the one warned about.
    let oracle = crate::support::pytest_oracle::pytest_collect(&p.path(), &[]);
    let ids = oracle.node_ids();
    for id in [
        "tests/test_cond.py::test_wildcard",
        "tests/test_cond.py::test_new_python",
        "tests/test_cond.py::test_elif_true",
        "tests/test_cond.py::test_in_with",
    ] {
        assert!(ids.contains(&id), "pytest: {ids:?}");
        assert!(
            super::compare::tests(&fanout)
                .iter()
                .any(|t| t["node_id"] == id),
            "fanout lacks {id}: {fanout:#}"
        );
    }
    assert!(!super::compare::tests(&fanout)
        .iter()
        .any(|t| t["node_id"] == "tests/test_cond.py::test_old_python"
            || t["node_id"] == "tests/test_cond.py::test_never"));
}

#[test]
fn conftest_collect_ignore_lists() {
    let p = Project::new();
    p.file("pytest.ini", "[pytest]\n")
        .file(
            "tests/conftest.py",
            r#"
            import sys

            collect_ignore = ["test_legacy.py", "old"]
            collect_ignore_glob = ["*_skipme.py"]
            if sys.version_info >= (3, 0):
                collect_ignore.append("test_py2.py")
            "#,
        )
        .file("tests/test_kept.py", "def test_kept():\n    pass\n")
        .file("tests/test_legacy.py", "def test_legacy():\n    pass\n")
        .file("tests/test_py2.py", "def test_py2():\n    pass\n")
        .file("tests/test_x_skipme.py", "def test_skipme():\n    pass\n")
        .file("tests/old/test_old.py", "def test_old():\n    pass\n")
        .file("tests/sub/test_sub.py", "def test_sub():\n    pass\n");
    let compared = assert_matches_pytest(&p, &[]);
    assert_eq!(compared.node_ids().len(), 2);
}

#[test]
fn pythonpath_and_src_layout_bases() {
    let p = Project::new();
    p.file("pytest.ini", "[pytest]\npythonpath = src\n")
        .file("src/mylib/__init__.py", "")
        .file(
            "src/mylib/testing.py",
            r#"
            import unittest

            class LibCase(unittest.TestCase):
                def test_from_lib(self):
                    pass
            "#,
        )
        .file(
            "tests/test_lib.py",
            r#"
            from mylib import testing

            class UsesLib(testing.LibCase):
                def test_local(self):
                    pass
            "#,
        );
    assert_matches_pytest(&p, &[]);
}

#[test]
fn unknowable_test_names_are_diagnosed() {
    let p = Project::new();
    p.file("pytest.ini", "[pytest]\n").file(
        "tests/test_made.py",
        r#"
        import pytest

        def make():
            def test_inner():
                pass
            return test_inner

        test_made = make()
        test_data = {"a": 1}
        globals()["test_hidden"] = make()

        @pytest.mark.group(1)
        def test_real():
            pass

        class TestStatic:
            test_c = staticmethod(make())

            @pytest.mark.group(1)
            def test_m(self):
                pass
        "#,
    );
    let fanout = p.collect_json(&[]);
    let found = diagnostics_with(&fanout, "unresolved-test");
    let lines: Vec<u64> = found.iter().filter_map(|d| d["line"].as_u64()).collect();
    assert_eq!(lines, [8, 10, 17], "{fanout:#}");
    assert!(found.iter().all(|d| d["severity"] == "error"), "{fanout:#}");
}

/// A list set in an `except ImportError:` branch depends on what is installed: a warning.
#[test]
fn collect_ignore_that_depends_on_installed_packages_is_a_warning() {
    let p = Project::new();
    p.file("pytest.ini", "[pytest]\n")
        .file(
            "tests/conftest.py",
            r#"
            try:
                import some_plugin_nobody_has
            except ImportError:
                collect_ignore_glob = ["test_bench_*.py"]
            "#,
        )
        .file("tests/test_bench_a.py", "def test_bench():\n    pass\n");
    let fanout = p.collect_json(&[]);
    let found = diagnostics_with(&fanout, "dynamic-collect-ignore");
    assert_eq!(found.len(), 1, "{fanout:#}");
    assert_eq!(found[0]["path"], "tests/conftest.py");
}

/// `pytest.skip(allow_module_level=True)` under an undecided condition: where it holds, pytest
/// collects nothing from the module, so fanout warns.
#[test]
fn conditional_module_skip_is_a_warning() {
    let p = Project::new();
    p.file("pytest.ini", "[pytest]\n").file(
        "tests/test_skipped.py",
        r#"
        import sys
        import pytest

        if sys.platform == "no-such-platform":
            pytest.skip("not here", allow_module_level=True)

        def test_a():
            pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    let found = diagnostics_with(&compared.fanout, "conditional-definition");
    assert_eq!(found.len(), 1, "{:#}", compared.fanout);
    assert_eq!(found[0]["line"], 5);
}

/// Group ids and parametrize data imported from another project module are evaluated where
/// they are written (relative and absolute imports, a constant built from another constant).
#[test]
fn group_ids_and_parameters_imported_from_project_modules() {
    let p = Project::new();
    p.file("pytest.ini", "[pytest]\n")
        .file("tests/__init__.py", "")
        .file("tests/integration/__init__.py", "")
        .file(
            "tests/integration/constants.py",
            r#"
            PREFIX = "db"
            GROUP = f"{PREFIX}-main"
            CLOUDS = ["aws", "gcp"]
            CASES = [
                __import__("pytest").param(c, id=c) for c in CLOUDS
            ]
            "#,
        )
        .file(
            "tests/integration/test_imported.py",
            r#"
            import pytest
            from .constants import GROUP, CLOUDS

            @pytest.mark.group(GROUP)
            def test_main():
                pass

            @pytest.mark.parametrize(
                "cloud", [pytest.param(c, marks=pytest.mark.group(c)) for c in CLOUDS]
            )
            def test_clouds(cloud):
                pass

            class TestGrouped:
                pytestmark = pytest.mark.group(GROUP)

                def test_in_class(self):
                    pass
            "#,
        );
    // Only through a module constant built from the imported list.
    p.file(
        "tests/integration/test_through_constant.py",
        r#"
        import pytest
        from .constants import CLOUDS

        CASES = [pytest.param(c, marks=pytest.mark.group(f"{c}-x")) for c in CLOUDS]

        @pytest.mark.parametrize("cloud", CASES)
        def test_cases(cloud):
            pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    for file in ["test_imported.py", "test_through_constant.py"] {
        let path = format!("tests/integration/{file}");
        assert!(
            compared.fanout_codes_in(&path).is_empty(),
            "every id in {path} is known statically"
        );
    }
    assert_eq!(
        compared.fanout_test("tests/integration/test_through_constant.py::test_cases[aws]")
            ["group_id"],
        "aws-x"
    );
    assert_eq!(
        compared.fanout_test("tests/integration/test_imported.py::test_clouds[gcp]")["group_id"],
        "gcp"
    );
    assert_eq!(
        compared.fanout_test("tests/integration/test_imported.py::test_main")["group_id"],
        "db-main"
    );
}
