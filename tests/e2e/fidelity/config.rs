//! pytest's config rules: which file configures the run, rootdir, and the collection options.

use super::compare::{assert_matches_pytest, assert_matches_pytest_in};
use crate::e2e::project::Project;

/// A test file with one grouped test, so every collected file is groupable.
const GROUPED: &str = "import pytest\n\n@pytest.mark.group(1)\ndef test_it():\n    pass\n";

#[test]
fn custom_python_files_classes_and_functions() {
    let p = Project::new();
    p.file(
        "pytest.ini",
        r#"
        [pytest]
        python_files = check_*.py *_check.py
        python_classes = Check *Suite
        python_functions = verify *_check
        "#,
    )
    .file(
        "tests/check_prefix.py",
        r#"
        import pytest

        pytestmark = pytest.mark.group(1)

        def verify_one():
            pass

        def two_check():
            pass

        def test_not_matching():
            pass

        class CheckThings:
            def verify_method(self):
                pass

        class LoginSuite:
            def api_check(self):
                pass

        class TestNotMatching:
            def verify_never(self):
                pass
        "#,
    )
    .file(
        "tests/db_check.py",
        &GROUPED.replace("test_it", "verify_it"),
    )
    .file("tests/test_default_name.py", GROUPED)
    .file("tests/checker.py", GROUPED);
    let compared = assert_matches_pytest(&p, &[]);
    assert!(compared.node_ids().len() >= 5, "{:?}", compared.node_ids());
    // A file named on the command line is collected whatever its name.
    assert_matches_pytest(&p, &["tests/test_default_name.py"]);
}

#[test]
fn default_norecursedirs_and_virtualenvs() {
    let p = Project::new();
    for dir in [
        "build",
        ".hidden",
        "venv",
        "node_modules",
        "dist",
        "pkg.egg",
        "myenv",
        "src",
    ] {
        p.file(
            &format!("tests/{dir}/test_in_{}.py", dir.replace('.', "_")),
            GROUPED,
        );
    }
    p.file("tests/myenv/pyvenv.cfg", "home = /usr/bin\n");
    p.file("tests/test_top.py", GROUPED);
    let compared = assert_matches_pytest(&p, &[]);
    assert!(compared
        .node_ids()
        .contains(&"tests/src/test_in_src.py::test_it"));
}

#[test]
fn custom_norecursedirs_replace_the_defaults() {
    let p = Project::new();
    p.file("tox.ini", "[pytest]\nnorecursedirs = legacy* fixtures\n");
    for dir in ["build", "legacy_v1", "fixtures", "fixtures2", "ok"] {
        p.file(&format!("tests/{dir}/test_in_{dir}.py"), GROUPED);
    }
    assert_matches_pytest(&p, &[]);
}

#[test]
fn testpaths_apply_only_from_the_rootdir_without_args() {
    let p = Project::new();
    p.file(
        "pyproject.toml",
        r#"
        [tool.pytest.ini_options]
        testpaths = ["tests/unit"]
        "#,
    )
    .file("tests/unit/test_unit.py", GROUPED)
    .file("tests/integration/test_integration.py", GROUPED)
    .file("test_root.py", GROUPED);
    let compared = assert_matches_pytest(&p, &[]);
    assert_eq!(compared.node_ids(), ["tests/unit/test_unit.py::test_it"]);
    assert_matches_pytest_in(&p, "tests/integration", &[]);
    assert_matches_pytest(&p, &["tests/integration"]);
}

#[test]
fn rootdir_in_a_parent_directory() {
    let p = Project::new();
    p.file(
        "pyproject.toml",
        r#"
        [tool.pytest.ini_options]
        python_files = ["it_*.py"]
        "#,
    )
    .file("tests/integration/ha/it_failover.py", GROUPED)
    .file("tests/integration/it_charm.py", GROUPED);
    assert_matches_pytest_in(&p, "tests/integration/ha", &[]);
    assert_matches_pytest_in(&p, "tests/integration", &["ha"]);
    assert_matches_pytest_in(&p, "tests", &["integration/it_charm.py"]);
}

#[test]
fn each_config_file_format() {
    let formats = [
        ("pytest.toml", "[pytest]\npython_files = [\"chk_*.py\"]\n"),
        (".pytest.toml", "[pytest]\npython_files = [\"chk_*.py\"]\n"),
        ("pytest.ini", "[pytest]\npython_files = chk_*.py\n"),
        (".pytest.ini", "[pytest]\npython_files = chk_*.py\n"),
        (
            "pyproject.toml",
            "[tool.pytest.ini_options]\npython_files = [\"chk_*.py\"]\n",
        ),
        (
            "pyproject.toml",
            "[tool.pytest]\npython_files = [\"chk_*.py\"]\n",
        ),
        (
            "tox.ini",
            "[tox]\nenvlist = py3\n\n[pytest]\npython_files = chk_*.py\n",
        ),
        (
            "setup.cfg",
            "[metadata]\nname = x\n\n[tool:pytest]\npython_files = chk_*.py\n",
        ),
    ];
    for (name, text) in formats {
        let p = Project::new();
        p.file(name, text)
            .file("tests/chk_one.py", GROUPED)
            .file("tests/test_two.py", GROUPED);
        let compared = assert_matches_pytest_in(&p, "tests", &[]);
        assert_eq!(
            compared.node_ids(),
            ["tests/chk_one.py::test_it"],
            "{name} with {text:?} configures the run"
        );
    }
}

#[test]
fn precedence_when_several_config_files_exist() {
    // Each file names a different python_files glob; pytest's choice decides what is collected.
    let files = [
        ("pytest.toml", "[pytest]\npython_files = [\"a_*.py\"]\n"),
        (".pytest.toml", "[pytest]\npython_files = [\"b_*.py\"]\n"),
        ("pytest.ini", "[pytest]\npython_files = c_*.py\n"),
        (".pytest.ini", "[pytest]\npython_files = d_*.py\n"),
        (
            "pyproject.toml",
            "[tool.pytest.ini_options]\npython_files = [\"e_*.py\"]\n",
        ),
        ("tox.ini", "[pytest]\npython_files = f_*.py\n"),
        ("setup.cfg", "[tool:pytest]\npython_files = g_*.py\n"),
    ];
    let p = Project::new();
    for (name, text) in files {
        p.file(name, text);
    }
    for prefix in ["a", "b", "c", "d", "e", "f", "g", "test"] {
        p.file(&format!("tests/{prefix}_x.py"), GROUPED);
    }
    for (name, _) in files {
        assert_matches_pytest(&p, &[]);
        p.remove(name);
    }
    assert_matches_pytest(&p, &[]);
}

#[test]
fn files_that_do_not_configure_pytest() {
    let p = Project::new();
    // Sections pytest ignores: these do not make the dir the rootdir...
    p.file("pyproject.toml", "[project]\nname = \"x\"\n")
        .file("tests/tox.ini", "[tox]\nenvlist = py3\n")
        .file("tests/setup.cfg", "[metadata]\nname = x\n")
        .file("tests/sub/test_deep.py", GROUPED);
    assert_matches_pytest_in(&p, "tests/sub", &[]);
    assert_matches_pytest(&p, &["tests/sub"]);
    // ...while an empty pytest.ini does.
    p.file("tests/pytest.ini", "");
    assert_matches_pytest_in(&p, "tests/sub", &[]);
    assert_matches_pytest(&p, &["tests/sub"]);
}

#[test]
fn rootdir_and_config_file_options() {
    let p = Project::new();
    p.file("tests/custom.ini", "[pytest]\npython_files = chk_*.py\n")
        .file("tests/chk_a.py", GROUPED)
        .file("tests/test_b.py", GROUPED);
    assert_matches_pytest(&p, &["-c", "tests/custom.ini"]);
    assert_matches_pytest(&p, &["--rootdir", "tests", "tests"]);
}

#[test]
fn addopts_and_testpaths_globs() {
    let p = Project::new();
    let two = "import pytest\n\n@pytest.mark.group(1)\ndef test_it():\n    pass\n\n\
               @pytest.mark.group(2)\n@pytest.mark.slow\ndef test_slow():\n    pass\n";
    p.file("tests/unit/test_u.py", two)
        .file("tests/integration/test_i.py", two)
        .file("other/test_o.py", two)
        .file(
            "pytest.ini",
            "[pytest]\ntestpaths = tests/*\naddopts = -m \"not slow\" --strict-markers\n\
             markers =\n    slow\n    group\n",
        );
    let compared = assert_matches_pytest(&p, &[]);
    assert_eq!(compared.node_ids().len(), 2, "addopts -m deselects");
    assert_matches_pytest(&p, &["-m", "slow"]);
    p.file("pytest.ini", "[pytest]\naddopts = tests/unit\n");
    assert_matches_pytest(&p, &[]);
}
