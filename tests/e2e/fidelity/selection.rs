//! `-m` selects the same tests as pytest's `-m` with the same expression.

use super::compare::assert_matches_pytest;
use crate::e2e::project::Project;

fn marked_suite() -> Project {
    let p = Project::new();
    p.file(
        "tests/test_marked.py",
        r#"
        import pytest

        @pytest.mark.group(1)
        @pytest.mark.slow
        def test_slow():
            pass

        @pytest.mark.group(1)
        @pytest.mark.smoke
        def test_smoke():
            pass

        @pytest.mark.group(2)
        @pytest.mark.juju3
        def test_juju3():
            pass

        @pytest.mark.group(2)
        @pytest.mark.juju3
        @pytest.mark.unstable
        def test_juju3_unstable():
            pass

        @pytest.mark.group(id="x")
        def test_keyword_x():
            pass

        @pytest.mark.group("x")
        def test_positional_x():
            pass

        @pytest.mark.group(id=3)
        def test_keyword_3():
            pass

        @pytest.mark.group(3)
        def test_nothing_else():
            pass
        "#,
    )
    .file(
        "tests/test_module_marked.py",
        r#"
        import pytest

        pytestmark = [pytest.mark.juju3, pytest.mark.group(4)]

        def test_module_juju3():
            pass

        @pytest.mark.unstable
        class TestUnstable:
            def test_class_unstable(self):
                pass
        "#,
    );
    p
}

#[test]
fn marker_expressions_select_as_pytest_does() {
    let p = marked_suite();
    for expr in [
        "not slow",
        "smoke or (juju3 and not unstable)",
        "juju3",
        "not unstable and (juju3 or smoke)",
        "group",
        "not group",
        "slow and smoke",
    ] {
        assert_matches_pytest(&p, &["-m", expr]);
    }
}

#[test]
fn marker_expressions_match_keyword_arguments() {
    let p = marked_suite();
    for expr in [
        "group(id='x')",
        "group(id=\"x\")",
        "group(id=3)",
        "group(id='x') or smoke",
        "not group(id='x')",
    ] {
        assert_matches_pytest(&p, &["-m", expr]);
    }
}
