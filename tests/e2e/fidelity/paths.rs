//! Command-line paths and node ids, and files with nothing or something broken in them.

use super::compare::assert_matches_pytest;
use crate::e2e::project::Project;

fn suite() -> Project {
    let p = Project::new();
    p.file("pytest.ini", "[pytest]\n")
        .file(
            "tests/test_a.py",
            r#"
            import pytest

            pytestmark = pytest.mark.group("a")

            def test_x():
                pass

            def test_y():
                pass

            class TestC:
                def test_m(self):
                    pass

                def test_n(self):
                    pass
            "#,
        )
        .file(
            "tests/sub/test_b.py",
            "import pytest\n\n@pytest.mark.group(1)\ndef test_b():\n    pass\n",
        );
    p
}

#[test]
fn file_directory_and_node_id_arguments() {
    let p = suite();
    for args in [
        &["tests/test_a.py"][..],
        &["tests/sub"],
        &["tests/test_a.py::test_x"],
        &["tests/test_a.py::TestC"],
        &["tests/test_a.py::TestC::test_n"],
        &["tests/test_a.py::test_x", "tests/sub"],
        &["tests/sub", "tests/test_a.py"],
        &["tests/sub/../test_a.py"],
        &["./tests"],
    ] {
        assert_matches_pytest(&p, args);
    }
}

#[test]
fn node_id_arguments_from_a_subdirectory() {
    let p = suite();
    super::compare::assert_matches_pytest_in(&p, "tests", &["test_a.py::TestC::test_m"]);
}

#[test]
fn commented_out_file_has_no_tests_and_no_error() {
    let p = suite();
    p.file(
        "tests/test_commented.py",
        r#"
        # import pytest
        #
        # @pytest.mark.group(1)
        # def test_disabled():
        #     pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    assert!(compared.oracle.errors.is_empty());
    assert_eq!(
        compared.fanout_codes_in("tests/test_commented.py"),
        Vec::<String>::new()
    );
}

#[test]
fn syntax_error_in_one_file() {
    let p = suite();
    p.file(
        "tests/test_broken.py",
        "import pytest\n\ndef test_broken(:\n    pass\n",
    );
    let compared = assert_matches_pytest(&p, &[]);
    assert_eq!(compared.oracle.errors, ["tests/test_broken.py"]);
    compared.assert_fanout_reports("tests/test_broken.py", "syntax-error");
    assert_eq!(p.run(&["collect"]).code, 1, "a syntax error is a finding");
}
