//! `-m` selects the same tests as pytest's `-m` with the same expression.

use super::compare::{assert_matches_pytest, pytest_item_ids};
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

/// `PYTEST_ADDOPTS` comes after the ini file's `addopts` (its `-m` wins) and its `--deselect`
/// drops node ids, in fanout as in pytest.
#[test]
fn pytest_addopts_from_the_environment_select_as_pytest_does() {
    let p = marked_suite();
    p.file(
        "pyproject.toml",
        "[tool.pytest.ini_options]\naddopts = \"-m 'not slow'\"\n",
    );
    for env in [
        "",
        "-m 'smoke or slow'",
        "-m juju3 --deselect tests/test_marked.py::test_juju3_unstable",
        "--deselect tests/test_module_marked.py",
    ] {
        let mut command = p.command_in("", &["collect", "--format", "json"]);
        command.env("PYTEST_ADDOPTS", env);
        let out = crate::e2e::project::run(command);
        assert!(out.code <= 1, "{env:?}: {}", out.describe());
        let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
        let mut ours: Vec<&str> = crate::e2e::project::node_ids(&doc);
        let oracle =
            crate::support::pytest_oracle::pytest_collect_with_addopts(&p.path(), &[], Some(env));
        let mut theirs = oracle.node_ids();
        ours.sort_unstable();
        theirs.sort_unstable();
        assert_eq!(
            ours, theirs,
            "PYTEST_ADDOPTS={env:?} (left fanout, right pytest)"
        );
    }
}

#[test]
fn k_in_addopts_is_refused_not_ignored() {
    let p = marked_suite();
    let mut command = p.command_in("", &["matrix", "--backend", "json"]);
    command.env("PYTEST_ADDOPTS", "-k smoke");
    let out = crate::e2e::project::run(command);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr.contains("error[config-error]") && out.stderr.contains("-k 'smoke'"),
        "{}",
        out.stderr
    );
}

/// Marks on single parameters count for `-m`, as pytest selects parametrized items one by one:
/// a function stays when any of its parameters matches.
#[test]
fn marks_on_parameters_select_as_pytest_does() {
    let p = Project::new();
    p.file(
        "tests/test_params.py",
        r#"
        import pytest

        SLOW = pytest.mark.slow

        @pytest.mark.group(1)
        @pytest.mark.parametrize("n", [1, pytest.param(2, marks=pytest.mark.slow)])
        def test_some_slow(n):
            pass

        @pytest.mark.group(1)
        @pytest.mark.parametrize("n", [pytest.param(1, marks=SLOW), pytest.param(2, marks=[SLOW, pytest.mark.db])])
        def test_all_slow(n):
            pass

        @pytest.mark.group(2)
        @pytest.mark.parametrize("a", [1, 2])
        @pytest.mark.parametrize("b", [pytest.param(3, marks=pytest.mark.db), 4])
        def test_stacked(a, b):
            pass

        @pytest.mark.group(2)
        def test_plain():
            pass
        "#,
    );
    for expr in [
        "slow",
        "not slow",
        "db",
        "not db",
        "slow and db",
        "not slow and not db",
    ] {
        assert_matches_pytest(&p, &["-m", expr]);
    }
}

/// When `-m` keeps only some cases of a function, its job lists exactly those (pytest's
/// ids); a function whose cases are all kept is named once. Running pytest on the job's node
/// ids with the same `-m` collects the same items as on the job's node ids alone.
#[test]
fn jobs_list_the_cases_minus_m_keeps() {
    let p = Project::new();
    p.file(
        "tests/test_params.py",
        r#"
        import pytest

        @pytest.mark.group(1)
        @pytest.mark.parametrize("n", [1, pytest.param(2, marks=pytest.mark.slow), "three"])
        def test_some_slow(n):
            pass

        @pytest.mark.group(1)
        @pytest.mark.parametrize("a", [1, 2])
        @pytest.mark.parametrize("b", [pytest.param(3, marks=pytest.mark.db), 4])
        def test_stacked(a, b):
            pass
        "#,
    );
    for expr in ["not slow", "db", "not db", "slow or db"] {
        let out = p.run(&["matrix", "--backend", "json", "-m", expr]);
        assert_eq!(out.code, 0, "{}", out.describe());
        let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
        let mut listed: Vec<String> = doc["groups"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|job| job["node_ids"].as_array().cloned().unwrap_or_default())
            .filter_map(|id| id.as_str().map(str::to_owned))
            .collect();
        // What pytest runs from those node ids, without -m, must be what -m selects.
        let from_ids: Vec<&str> = listed.iter().map(String::as_str).collect();
        let ran = pytest_item_ids(&p, &from_ids);
        let selected = pytest_item_ids(&p, &["-m", expr]);
        assert_eq!(ran, selected, "-m {expr}: jobs list {listed:?}");
        listed.sort();
        assert!(
            listed.iter().all(|id| id.contains("::")),
            "-m {expr}: {listed:?}"
        );
    }
}

/// `-c FILE` and `--rootdir DIR` in `PYTEST_ADDOPTS` choose pytest's config and rootdir (pytest
/// reads the variable before it looks for them): the tests only that config collects get jobs.
#[test]
fn config_and_rootdir_from_pytest_addopts_are_pytests() {
    let p = crate::e2e::project::Project::new();
    p.file("pytest.ini", "[pytest]\ntestpaths = tests\n")
        .file(
            "pytest-ci.ini",
            "[pytest]\npython_files = check_*.py\nmarkers =\n    group(id): the CI job\n",
        )
        .file(
            "tests/test_a.py",
            "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n",
        )
        .file(
            "tests/check_b.py",
            "import pytest\n\n@pytest.mark.group(2)\ndef test_b():\n    pass\n",
        );
    for env in [
        "-c pytest-ci.ini",
        "--config-file=pytest-ci.ini tests",
        "-c ci/../pytest-ci.ini --rootdir tests tests",
        "--rootdir=tests",
    ] {
        let mut command = p.command_in("", &["collect", "--format", "json"]);
        command.env("PYTEST_ADDOPTS", env);
        let out = crate::e2e::project::run(command);
        assert!(out.code <= 1, "{env:?}: {}", out.describe());
        let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
        let mut ours: Vec<&str> = crate::e2e::project::node_ids(&doc);
        let oracle =
            crate::support::pytest_oracle::pytest_collect_with_addopts(&p.path(), &[], Some(env));
        let mut theirs = oracle.node_ids();
        ours.sort_unstable();
        theirs.sort_unstable();
        assert_eq!(
            ours, theirs,
            "PYTEST_ADDOPTS={env:?} (left fanout, right pytest)"
        );
        assert!(!theirs.is_empty(), "{env:?}");
        assert_eq!(
            doc["rootdir"].as_str().map(std::path::PathBuf::from),
            Some(oracle.rootdir.clone()),
            "{env:?}"
        );
    }
}
