//! A job that holds every test of its file names the file, so pytest runs exactly what it
//! collects there: also where fanout lists a test this Python never defines (a module skipped
//! under a condition fanout cannot evaluate, a test defined only with an optional package).
//! Given the tests' own node ids instead, pytest stops with "not found" (exit 4).

use super::compare::job_node_ids as jobs;
use crate::e2e::project::Project;
use crate::support::pytest_oracle::{pytest_collect, OracleCollection};

fn run_job(p: &Project, node_ids: &[String], extra: &[&str]) -> OracleCollection {
    let mut args: Vec<&str> = node_ids.iter().map(String::as_str).collect();
    args.extend_from_slice(extra);
    pytest_collect(&p.path(), &args)
}

fn environment_dependent_suite() -> Project {
    let p = Project::new();
    p.file(
        "pyproject.toml",
        "[tool.fanout]\nungrouped = \"whole-file\"\n",
    )
    .file(
        "tests/test_skipped_module.py",
        r#"
        import importlib.util
        import pytest

        if importlib.util.find_spec("fanout_no_such_package") is None:
            pytest.skip("needs fanout_no_such_package", allow_module_level=True)

        def test_needs_package():
            pass
        "#,
    )
    .file(
        "tests/test_optional.py",
        r#"
        import importlib.util

        HAVE = importlib.util.find_spec("fanout_no_such_package") is not None

        def test_always():
            pass

        if HAVE:
            def test_with_package():
                pass
        "#,
    );
    p
}

#[test]
fn whole_file_jobs_name_their_files_and_pytest_knows_every_one() {
    let p = environment_dependent_suite();
    let jobs = jobs(&p, &[]);
    assert_eq!(
        jobs,
        [
            vec!["tests/test_optional.py".to_owned()],
            vec!["tests/test_skipped_module.py".to_owned()],
        ]
    );
    let everything = pytest_collect(&p.path(), &[]);
    let mut ran = Vec::new();
    for job in &jobs {
        let collected = run_job(&p, job, &[]);
        assert!(
            collected.errors.is_empty() && collected.exit_code != 4,
            "pytest must know every node id of {job:?}: {:?}",
            collected.errors
        );
        ran.extend(collected.node_ids().into_iter().map(str::to_owned));
    }
    assert_eq!(
        ran,
        everything.node_ids(),
        "every test pytest collects runs once"
    );

    // What the jobs would have named before: the tests fanout lists, one of which this
    // Python never defines.
    let listed = vec![
        "tests/test_optional.py::test_always".to_owned(),
        "tests/test_optional.py::test_with_package".to_owned(),
    ];
    assert_eq!(
        run_job(&p, &listed, &[]).exit_code,
        4,
        "the failure this avoids"
    );
}

#[test]
fn a_job_with_only_some_of_a_files_tests_names_them() {
    let p = Project::new();
    p.file(
        "tests/test_mixed.py",
        r#"
        import pytest

        @pytest.mark.group(1)
        @pytest.mark.slow
        def test_slow():
            pass

        @pytest.mark.group(1)
        def test_fast():
            pass

        @pytest.mark.group(2)
        def test_other():
            pass
        "#,
    )
    .file(
        "tests/test_single.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n\n@pytest.mark.group(1)\ndef test_b():\n    pass\n",
    )
    .file(
        "pyproject.toml",
        "[tool.pytest.ini_options]\nmarkers = [\"slow\", \"group\"]\n",
    );
    // Two groups in one file: each job names its tests.
    assert_eq!(
        jobs(&p, &[]),
        [
            vec![
                "tests/test_mixed.py::test_slow".to_owned(),
                "tests/test_mixed.py::test_fast".to_owned()
            ],
            vec!["tests/test_mixed.py::test_other".to_owned()],
            vec!["tests/test_single.py".to_owned()],
        ]
    );
    // `-m` leaves tests of a file out: the job names what it kept, and pytest runs just that.
    let selected = jobs(&p, &["-m", "not slow"]);
    assert_eq!(
        selected,
        [
            vec!["tests/test_mixed.py::test_fast".to_owned()],
            vec!["tests/test_mixed.py::test_other".to_owned()],
            vec!["tests/test_single.py".to_owned()],
        ]
    );
    // A node-id argument narrows its file: the job is not the whole file.
    assert_eq!(
        jobs(&p, &["tests/test_single.py::test_b"]),
        [vec!["tests/test_single.py::test_b".to_owned()]]
    );
    // `--deselect` from addopts, likewise.
    p.file(
        "pyproject.toml",
        "[tool.pytest.ini_options]\nmarkers = [\"slow\", \"group\"]\naddopts = \"--deselect tests/test_single.py::test_a\"\n",
    );
    let deselected = jobs(&p, &[]);
    assert_eq!(
        deselected[2],
        ["tests/test_single.py::test_b".to_owned()],
        "{deselected:?}"
    );
    let ran = run_job(&p, &deselected[2], &[]);
    assert_eq!(ran.node_ids(), ["tests/test_single.py::test_b"]);
}

/// A module that skips itself with `pytest.importorskip` where a package is missing (pandas'
/// plotting tests without matplotlib) is named by its file also when `-m` leaves some of its
/// tests out: where it skips, pytest answers its tests' own node ids with "found no
/// collectors" (exit 4), and the run repeats `-m`, so the file runs exactly the selection.
#[test]
fn a_module_that_may_skip_itself_is_named_whole_under_minus_m() {
    let p = Project::new();
    p.file(
        "pyproject.toml",
        "[tool.fanout]\nungrouped = \"whole-file\"\n\n[tool.pytest.ini_options]\nmarkers = [\"slow: slow\"]\n",
    )
    .file(
        "tests/test_plotting.py",
        r#"
        import pytest

        mpl = pytest.importorskip("fanout_no_such_package")

        def test_plot():
            pass

        @pytest.mark.slow
        def test_big_plot():
            pass
        "#,
    )
    .file(
        "tests/test_core.py",
        "import pytest\n\ndef test_a():\n    pass\n\n@pytest.mark.slow\ndef test_b():\n    pass\n",
    );
    let jobs = jobs(&p, &["-m", "not slow"]);
    assert_eq!(
        jobs,
        [
            vec!["tests/test_core.py::test_a".to_owned()],
            vec!["tests/test_plotting.py".to_owned()],
        ],
        "the self-skipping module by its file, the other by its selected test"
    );
    for job in &jobs {
        let collected = run_job(&p, job, &["-m", "not slow"]);
        assert!(
            collected.errors.is_empty() && collected.exit_code != 4,
            "pytest must know every node id of {job:?}: {collected:?}"
        );
    }
    assert_eq!(
        run_job(&p, &["tests/test_plotting.py::test_plot".to_owned()], &[]).exit_code,
        4,
        "the failure this avoids"
    );
}
