//! Fixtures with `params=` multiply a test's cases, and pytest's ids combine both
//! (`test_backup[tls-aws]`). fanout does not name that product: a test that requests such a
//! fixture (by argument, `usefixtures` or autouse; from its class, module or a conftest) is never
//! listed case by case. Every node id a job lists is one pytest collects, and the jobs together
//! are the suite, each test once.

use super::compare::{job_node_ids as job_ids, pytest_item_ids as items};
use crate::e2e::project::Project;

fn suite() -> Project {
    let p = Project::new();
    p.file(
        "pytest.ini",
        "[pytest]\nmarkers =\n    group(id): the CI job\n    slow: slow\n",
    )
    .file(
        "tests/conftest.py",
        r#"
        import pytest

        @pytest.fixture(params=["tls", "plain"], ids=lambda p: p.upper())
        def tls(request):
            return request.param

        @pytest.fixture
        def db(tls):
            return tls

        @pytest.fixture(params=[1, 2])
        def shadowed(request):
            return request.param

        @pytest.fixture(scope="module", params=["v1", pytest.param("v2", id="latest")])
        def version(request):
            return request.param

        @pytest.fixture(params=[3, 1.5, None, True], ids=["three", None, "none", None])
        def size(request):
            return request.param

        @pytest.fixture(params=[pytest.param("big", marks=pytest.mark.slow), "small"])
        def marked(request):
            return request.param
        "#,
    )
    .file(
        "tests/test_cloud.py",
        r#"
        import pytest

        CLOUDS = [pytest.param("aws", marks=pytest.mark.slow), "gcp"]

        @pytest.fixture
        def shadowed():
            return 0

        @pytest.mark.group(1)
        @pytest.mark.parametrize("cloud", CLOUDS)
        def test_by_argument(cloud, tls):
            pass

        @pytest.mark.group(1)
        @pytest.mark.parametrize("cloud", CLOUDS)
        def test_through_a_fixture(cloud, db):
            pass

        @pytest.mark.group(2)
        @pytest.mark.usefixtures("tls")
        @pytest.mark.parametrize("cloud", CLOUDS)
        def test_by_usefixtures(cloud):
            pass

        @pytest.mark.parametrize("cloud", [
            pytest.param("aws", marks=[pytest.mark.slow, pytest.mark.group(3)]),
            pytest.param("gcp", marks=pytest.mark.group(4)),
        ])
        def test_shadowed_fixture_has_no_params(cloud, shadowed):
            pass

        class TestInClass:
            @pytest.fixture(params=["x", "y"])
            def size(self, request):
                return request.param

            @pytest.mark.group(5)
            @pytest.mark.parametrize("cloud", CLOUDS)
            def test_class_fixture(self, cloud, size):
                pass

        @pytest.mark.parametrize("cloud", [
            pytest.param("aws", marks=pytest.mark.group(7)),
            pytest.param("gcp", marks=pytest.mark.group(8)),
        ])
        @pytest.mark.parametrize("n", [1, 2])
        def test_product(n, cloud, size, version):
            pass

        # The fixture's parameters carry marks: -m slow keeps cases whose own marks it does not.
        @pytest.mark.group(9)
        @pytest.mark.parametrize("cloud", [pytest.param("aws", marks=pytest.mark.skipif(False, reason="")), "gcp"])
        def test_marked_fixture(cloud, marked):
            pass
        "#,
    )
    .file(
        "tests/auto/test_auto.py",
        r#"
        import pytest

        @pytest.fixture(autouse=True, params=["a", "b"])
        def everywhere(request):
            return request.param

        @pytest.mark.group(6)
        @pytest.mark.parametrize("cloud", [pytest.param("aws", marks=pytest.mark.slow), "gcp"])
        def test_autouse(cloud):
            pass
        "#,
    );
    p
}

#[test]
fn every_job_names_only_what_pytest_collects_and_together_the_suite() {
    let p = suite();
    for m in [None, Some("slow"), Some("not slow")] {
        let m_args: Vec<&str> = m.map(|e| vec!["-m", e]).unwrap_or_default();
        let jobs = job_ids(&p, &m_args);
        let mut together = Vec::new();
        for ids in &jobs {
            // The run step passes the same -m (docs/matrix.md).
            let mut args: Vec<&str> = ids.iter().map(String::as_str).collect();
            args.extend(&m_args);
            let got = items(&p, &args);
            assert!(!got.is_empty(), "-m {m:?}: job {ids:?} collects nothing");
            together.extend(got);
        }
        together.sort();
        let mut whole = items(&p, &m_args);
        whole.sort();
        assert_eq!(
            together, whole,
            "-m {m:?}: the jobs are the suite, each test once"
        );
        // Where every fixture parameter is literal, the jobs name pytest's cases: the
        // fixtures' ids first, widest scope first, then the parametrize ids.
        if m.is_none() {
            let listed: Vec<&String> = jobs.iter().flatten().collect();
            for id in [
                "tests/test_cloud.py::test_product[v1-three-1-aws]",
                "tests/test_cloud.py::test_product[latest-none-2-gcp]",
                "tests/test_cloud.py::TestInClass::test_class_fixture[x-aws]",
            ] {
                assert!(
                    listed.iter().any(|l| *l == id)
                        || listed.iter().any(|l| id.starts_with(l.as_str())),
                    "{id} in {listed:?}"
                );
            }
            assert!(
                !listed.iter().any(|l| l.contains("test_by_argument[")),
                "tls's ids come from a lambda: never case ids: {listed:?}"
            );
        }
    }
}

#[test]
fn cases_in_several_groups_with_fixture_params_are_an_error_that_says_why() {
    let p = suite();
    p.file(
        "tests/test_split.py",
        r#"
        import pytest

        @pytest.mark.parametrize("cloud", [
            pytest.param("aws", marks=pytest.mark.group(1)),
            pytest.param("gcp", marks=pytest.mark.group(2)),
        ])
        def test_split(cloud, db):
            pass
        "#,
    );
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(
        out.stderr.contains("error[parameter-groups]")
            && out.stderr.contains(
                "it also takes the parameters of fixture `tls` (`params=`, tests/conftest.py:4)"
            )
            && out.stderr.contains("--resolve-dynamic"),
        "{}",
        out.describe()
    );
}
