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

/// Parameters in different groups: fanout lists the function's cases one by one, with
/// pytest's ids and each case's closest group; a case with no group makes the file mixed.
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
    assert_eq!(
        compared.fanout_test("tests/test_param_groups.py::test_split[2]")["group_id"],
        "b"
    );
    compared.assert_fanout_reports("tests/test_param_partly.py", "mixed-grouping");
}

/// The pattern of real charm suites: parameters built by a dict comprehension over literal
/// data, each with its own group and runner, picked by a list comprehension.
#[test]
fn params_built_in_a_comprehension() {
    let p = Project::new();
    p.file(
        "tests/test_comprehension.py",
        r#"
        import pytest

        ALL_GROUPS = {
            (cloud, size): pytest.param(
                cloud, size, id=f"{cloud}-{size}",
                marks=[pytest.mark.group(f"{cloud}-{size}"),
                       pytest.mark.runner(["self-hosted", "xlarge" if size == "large" else "large"])],
            )
            for cloud in ["microceph", "aws"]
            for size in ["large", "small"]
        }
        SMALL = [ALL_GROUPS[(cloud, "small")] for cloud in ["aws", "microceph"]]

        @pytest.mark.parametrize("cloud,size", SMALL)
        async def test_backup(cloud, size):
            pass

        @pytest.mark.parametrize("cloud,size", list(ALL_GROUPS.values()))
        def test_restore(cloud, size):
            pass

        CLOUDS = ["aws", "gcp"]
        CASES = {
            f"{cloud}-{size}": pytest.param(cloud, size, marks=[pytest.mark.group(f"{cloud}-{size}")])
            for cloud in CLOUDS
            for size in ("s", "l")
        }

        @pytest.mark.parametrize("cloud,size", list(CASES.values()), ids=list(CASES))
        def test_deploy(cloud, size):
            pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    let backup = compared.fanout_test("tests/test_comprehension.py::test_backup[aws-small]");
    assert_eq!(backup["group_id"], "aws-small");
    assert_eq!(
        backup["runner"],
        serde_json::json!(["self-hosted", "large"])
    );
    assert!(compared
        .fanout_codes_in("tests/test_comprehension.py")
        .is_empty());
}

/// pytest's id rules where the ids are generated: types, escaping, duplicates, stacking,
/// class- and module-level parametrize, `indirect`, empty parameter lists.
#[test]
fn generated_ids_follow_pytest() {
    let p = Project::new();
    p.file(
        "tests/test_ids.py",
        r#"
        import enum
        import pytest

        class Color(enum.Enum):
            RED = 1
            BLUE = "b"

        def helper():
            pass

        G = pytest.mark.group

        pytestmark = [G("m"), pytest.mark.parametrize("mod", [pytest.param(0, marks=pytest.mark.slow)])]

        @pytest.fixture
        def fix(request):
            return request.param

        @pytest.mark.parametrize(
            "v",
            [1, -2, 1.5, 1e-05, 1e16, 2j, True, None, "a b", "é\n日", b"\x00\xff", Color.RED,
             Color.BLUE, helper, (1, 2), [3], {"k": 1}, "x" * 101, "dup", "dup", "dup1", "dup1",
             pytest.param(7, marks=G("p"), id="given"), ""],
        )
        @pytest.mark.parametrize("fix", [pytest.param(1, marks=pytest.mark.slow), 2], indirect=True)
        def test_types(v, fix, mod):
            pass

        @pytest.mark.parametrize("x", [], ids=[])
        @pytest.mark.parametrize("y,", [(1,), pytest.param((2,), marks=G("r"))])
        def test_empty(x, y, mod):
            pass

        @pytest.mark.parametrize("cls", [pytest.param("c", marks=G("c"))])
        class TestClassLevel:
            @pytest.mark.parametrize("x", [1, 2], ids=["one", None])
            def test_method(self, cls, x, mod):
                pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    assert!(
        compared
            .oracle_item("tests/test_ids.py::test_types")
            .cases
            .len()
            > 40,
        "the product of the stacked parametrizations"
    );
}

/// Cases fanout can count but not name: one group for all is fine, different groups are an
/// error that says why.
#[test]
fn cases_without_known_ids() {
    let p = Project::new();
    p.file(
        "tests/test_unknown.py",
        r#"
        import pytest

        class Cloud:
            def __init__(self, name):
                self.name = name

        @pytest.mark.parametrize(
            "cloud",
            [pytest.param(Cloud("a"), marks=pytest.mark.group("a")),
             pytest.param(Cloud("b"), marks=pytest.mark.group("b"))],
        )
        def test_split(cloud):
            pass

        @pytest.mark.group(1)
        @pytest.mark.parametrize("cloud", [Cloud("a"), pytest.param(Cloud("b"), marks=pytest.mark.slow)])
        def test_one_group(cloud):
            pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    compared.assert_fanout_reports("tests/test_unknown.py", "parameter-groups");
    assert_eq!(
        compared.fanout_test("tests/test_unknown.py::test_one_group")["group_id"],
        "1"
    );
}

/// The two ini options that change ids: no escaping of non-ASCII, and long strings kept whole.
#[test]
fn ini_options_that_change_ids() {
    let p = Project::new();
    p.file(
        "pytest.ini",
        "[pytest]\n\
         disable_test_id_escaping_and_forfeit_all_rights_to_community_support = true\n\
         parametrize_long_str_id_strategy = legacy\n",
    )
    .file(
        "tests/test_ids.py",
        r#"
        import pytest

        pytestmark = pytest.mark.group("b")

        @pytest.mark.parametrize(
            "v",
            [pytest.param("é日", marks=pytest.mark.group("a")), "x" * 120, "tab\there"],
        )
        def test_values(v):
            pass
        "#,
    )
    .file(
        "tests/test_both.py",
        r#"
        import pytest

        @pytest.mark.group("f")
        @pytest.mark.parametrize("v", [pytest.param(1, marks=pytest.mark.group("p")), 2])
        def test_both(v):
            pass
        "#,
    );
    let compared = assert_matches_pytest(&p, &[]);
    assert_eq!(
        compared.fanout_test("tests/test_ids.py::test_values[é日]")["group_id"],
        "a"
    );
    // pytest's item holds the function's group mark and the parameter's: reported, as two
    // marks at one level are.
    compared.assert_fanout_reports("tests/test_both.py", "duplicate-group-mark");
}
