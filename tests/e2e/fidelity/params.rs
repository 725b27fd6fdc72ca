//! Parametrized tests: one node id per function; groups on parameters.

use super::compare::assert_matches_pytest;
use crate::e2e::project::Project;

#[test]
fn parametrized_tests_are_one_node_id() {
    let p = Project::new();
    p.file(
        "tests/test_params.py",
        r#"
        import pytest

        CASES = [("a", 1), ("b", 2)]

        @pytest.mark.group(1)
        @pytest.mark.parametrize("name,n", CASES, ids=["x[1]", "y::z"])
        def test_plain(name, n):
            pass

        @pytest.mark.parametrize(
            "n",
            [
                pytest.param(1, marks=pytest.mark.group("p")),
                pytest.param(2, marks=[pytest.mark.slow, pytest.mark.group("p")], id="two"),
            ],
        )
        def test_same_group_on_every_param(n):
            pass

        class TestParams:
            pytestmark = pytest.mark.group(2)

            @pytest.mark.parametrize("n", range(3))
            @pytest.mark.parametrize("m", [1, 2])
            def test_stacked(self, n, m):
                pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    assert_eq!(compared.node_ids().len(), 3);
}

#[test]
fn different_groups_on_parameters() {
    let p = Project::new();
    p.file(
        "tests/test_param_groups.py",
        r#"
        import pytest

        @pytest.mark.parametrize(
            "n",
            [
                pytest.param(1, marks=pytest.mark.group("a")),
                pytest.param(2, marks=pytest.mark.group("b")),
            ],
        )
        def test_split(n):
            pass
        "#,
    )
    .file(
        "tests/test_param_partly.py",
        r#"
        import pytest

        @pytest.mark.parametrize("n", [pytest.param(1, marks=pytest.mark.group("a")), 2])
        def test_half(n):
            pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    for (path, node) in [
        ("tests/test_param_groups.py", "test_split"),
        ("tests/test_param_partly.py", "test_half"),
    ] {
        compared.assert_fanout_reports(path, "parameter-groups");
        let item = compared.oracle_item(&format!("{path}::{node}"));
        assert_eq!(
            item.param_groups.as_ref().map(Vec::len),
            Some(2),
            "pytest sees two different groups on {node}'s parameters"
        );
    }
}

#[test]
fn params_built_in_a_comprehension() {
    let p = Project::new();
    p.file(
        "tests/test_comprehension.py",
        r#"
        import pytest

        CLOUDS = ["aws", "gcp"]
        SIZES = ["s", "l"]
        CASES = {
            f"{cloud}-{size}": pytest.param(cloud, size, marks=[pytest.mark.group(f"{cloud}-{size}")])
            for cloud in CLOUDS
            for size in SIZES
        }

        @pytest.mark.parametrize("cloud,size", list(CASES.values()), ids=list(CASES))
        def test_deploy(cloud, size):
            pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    compared.assert_fanout_reports("tests/test_comprehension.py", "dynamic-group-id");
    let item = compared.oracle_item("tests/test_comprehension.py::test_deploy");
    assert_eq!(item.param_groups.as_ref().map(Vec::len), Some(4));
    assert!(compared.fanout_test("tests/test_comprehension.py::test_deploy")["group_id"].is_null());
}
