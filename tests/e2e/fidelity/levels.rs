//! Where the closest group mark sits (function, class, module) and what pytest collects:
//! classes, methods, inheritance, `__test__`, `__init__`, helpers, unittest.

use super::compare::assert_matches_pytest;
use crate::e2e::project::Project;

#[test]
fn module_pytestmark_single_and_list() {
    let p = Project::new();
    p.file(
        "tests/test_module_single.py",
        r#"
        import pytest

        pytestmark = pytest.mark.group(1)

        def test_from_module():
            pass

        @pytest.mark.group(2)
        def test_function_wins():
            pass
        "#,
    )
    .file(
        "tests/test_module_list.py",
        r#"
        import pytest

        pytestmark = [pytest.mark.abort_on_fail, pytest.mark.group("mod")]

        def test_from_list():
            pass

        class TestInModule:
            def test_method(self):
                pass
        "#,
    );
    assert_matches_pytest(&p, &[]);
}

#[test]
fn classes_nested_classes_and_overrides() {
    let p = Project::new();
    p.file(
        "tests/test_classes.py",
        r#"
        import pytest

        pytestmark = pytest.mark.group("mod")

        class TestPytestmark:
            pytestmark = pytest.mark.group("cls")

            def test_from_class(self):
                pass

            @pytest.mark.group("fn")
            def test_method_wins(self):
                pass

        @pytest.mark.group("deco")
        class TestDecorated:
            def test_from_decorator(self):
                pass

            class TestNested:
                def test_from_outer_class(self):
                    pass

        class TestOuter:
            def test_from_module(self):
                pass

            class TestInner:
                pytestmark = [pytest.mark.group("inner")]

                def test_from_inner_class(self):
                    pass
        "#,
    );
    assert_matches_pytest(&p, &[]);
}

#[test]
fn inherited_classes_follow_the_mro() {
    let p = Project::new();
    p.file(
        "tests/test_inherit_unmarked.py",
        r#"
        import pytest

        @pytest.mark.group("base")
        class TestBase:
            def test_in_base(self):
                pass

        class TestChild(TestBase):
            def test_in_child(self):
                pass
        "#,
    )
    .file(
        "tests/test_inherit_marked.py",
        r#"
        import pytest

        class Mixin:
            def test_from_mixin(self):
                pass

        @pytest.mark.group("base")
        class TestBase:
            def test_in_base(self):
                pass

        @pytest.mark.group("sub")
        class TestSub(Mixin, TestBase):
            def test_in_base(self):
                pass

            def test_in_sub(self):
                pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    // pytest gathers a class's marks over its whole MRO (base classes first), so `TestSub`
    // carries two group marks at class level: fanout must flag it, not pick one.
    compared.assert_fanout_reports("tests/test_inherit_marked.py", "duplicate-group-mark");
    for node in ["test_in_sub", "test_in_base", "test_from_mixin"] {
        let id = format!("tests/test_inherit_marked.py::TestSub::{node}");
        assert_eq!(compared.oracle_item(&id).group_count_at_level, 2, "{id}");
    }
    assert!(compared
        .fanout_codes_in("tests/test_inherit_unmarked.py")
        .is_empty());
}

#[test]
fn what_pytest_does_not_collect() {
    let p = Project::new();
    p.file(
        "tests/test_not_collected.py",
        r#"
        import pytest

        @pytest.mark.group(1)
        def test_real():
            pass

        @pytest.mark.group(1)
        async def verify_endpoints(ops_test):
            pass

        @pytest.fixture
        def test_data():
            return 1

        class TestWithInit:
            def __init__(self):
                pass

            @pytest.mark.group(1)
            def test_never(self):
                pass

        class TestDisabled:
            __test__ = False

            @pytest.mark.group(1)
            def test_never(self):
                pass

        @pytest.mark.group(1)
        class Checks:
            __test__ = True

            def test_enabled(self):
                pass

        class TestKinds:
            pytestmark = pytest.mark.group(1)

            @staticmethod
            def test_static():
                pass

            @classmethod
            def test_class(cls):
                pass

            async def test_async(self):
                pass

            test_not_a_function = 3

        @pytest.mark.group(1)
        def test_duplicate():
            pass

        @pytest.mark.group(1)
        def test_duplicate():
            pass

        def not_a_test():
            pass
        "#,
    );
    assert_matches_pytest(&p, &[]);
}

#[test]
fn duplicate_definition_takes_the_last_marks() {
    let p = Project::new();
    p.file(
        "tests/test_redefined.py",
        r#"
        import pytest

        @pytest.mark.group(1)
        def test_redefined():
            pass

        @pytest.mark.group(2)
        def test_redefined():
            pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    let test = compared.fanout_test("tests/test_redefined.py::test_redefined");
    let line = test["line"].as_u64().expect("line is a number");
    assert!(
        (7..=8).contains(&line),
        "the node is the last definition, not line {line}"
    );
}

#[test]
fn unittest_test_cases() {
    let p = Project::new();
    p.file(
        "tests/test_unittest.py",
        r#"
        import unittest

        import pytest

        @pytest.mark.group("ut")
        class TestCaseStyle(unittest.TestCase):
            def test_one(self):
                pass

            @pytest.mark.group("ut2")
            def test_two(self):
                pass

        @pytest.mark.group("ut")
        class NamedFreely(unittest.TestCase):
            def test_three(self):
                pass

            def helper(self):
                pass
        "#,
    );
    assert_matches_pytest(&p, &[]);
}

/// `pytestmark += [...]` adds to the list pytest reads, at module and class level; `import
/// pytest as pt` spells the marks.
#[test]
fn pytestmark_added_to_and_pytest_under_another_name() {
    let p = Project::new();
    p.file(
        "pytest.ini",
        "[pytest]\nmarkers =\n    group(id): the CI job\n    slow: slow\n",
    )
    .file(
        "tests/test_added.py",
        r#"
        import pytest as pt

        pytestmark = [pt.mark.slow]
        pytestmark += [pt.mark.group(2)]

        def test_module_level():
            pass

        class TestAdded:
            pytestmark = [pt.mark.slow]
            pytestmark += [pt.mark.group("cls")]

            def test_class_level(self):
                pass

        @pt.mark.group(3)
        def test_own():
            pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    let groups: Vec<_> = compared
        .oracle
        .items
        .iter()
        .map(|i| i.group.as_ref().map(|g| g.args[0].clone()))
        .collect();
    assert_eq!(
        groups,
        [
            Some(serde_json::json!(2)),
            Some(serde_json::json!("cls")),
            Some(serde_json::json!(3))
        ]
    );
}
