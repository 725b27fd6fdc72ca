//! Each selection rule, on a branch of the fixture repository.

use super::repo::{checked, jobs, selected, Repo};

#[test]
fn an_edit_inside_one_test_function_selects_only_its_group() {
    let repo = Repo::new();
    repo.replace("tests/test_a.py", "assert 2", "assert 2 + 0");
    repo.commit_all("edit test_two");
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/test_a.py group 2"]),
        "{}",
        out.describe()
    );
    assert!(
        out.stdout.contains("only inside test_two"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("left out 3 of 4 jobs"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_edit_outside_test_functions_selects_every_group_of_the_file() {
    let repo = Repo::new();
    repo.replace(
        "tests/test_a.py",
        "import pytest\n",
        "import pytest\nimport os\n",
    );
    repo.commit_all("edit imports");
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/test_a.py group 1", "tests/test_a.py group 2"]),
        "{}",
        out.describe()
    );
}

#[test]
fn a_decorator_change_counts_as_outside() {
    let repo = Repo::new();
    repo.replace("tests/test_a.py", "group(2)", "group(4)");
    repo.commit_all("regroup");
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/test_a.py group 1", "tests/test_a.py group 4"]),
        "{}",
        out.describe()
    );
}

#[test]
fn a_new_test_file_selects_all_its_groups_and_a_deleted_one_nothing() {
    let repo = Repo::new();
    repo.write(
        "tests/test_new.py",
        "import pytest\n\n\n@pytest.mark.group(7)\ndef test_n():\n    pass\n",
    );
    repo.git(&["rm", "-q", "tests/api/test_b.py"]);
    repo.commit_all("add and delete");
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/test_new.py group 7"]),
        "{}",
        out.describe()
    );
    assert!(
        out.stdout.contains("a deleted test file runs nothing"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_renamed_test_file_runs_under_its_new_path() {
    let repo = Repo::new();
    repo.git(&["mv", "tests/db/test_db.py", "tests/db/test_database.py"]);
    repo.commit_all("rename");
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/db/test_database.py group 3"]),
        "{}",
        out.describe()
    );
    assert!(
        out.stdout
            .contains("R tests/db/test_db.py -> tests/db/test_database.py"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_conftest_selects_its_directory_and_below() {
    let repo = Repo::new();
    repo.write("tests/api/conftest.py", "import pytest\nX = 2\n");
    repo.commit_all("conftest");
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/api/test_b.py group 1"]),
        "{}",
        out.describe()
    );
    let repo = Repo::new();
    repo.write("tests/conftest.py", "import pytest\nX = 2\n");
    repo.commit_all("top conftest");
    let out = checked(&repo);
    assert_eq!(
        selected(&out).map(|s| s.len()),
        Some(4),
        "{}",
        out.describe()
    );
}

#[test]
fn a_helper_module_selects_its_importers_at_any_depth() {
    let repo = Repo::new();
    repo.write("tests/helpers/deep.py", "VALUE = 2\n");
    repo.commit_all("deep helper");
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/api/test_b.py group 1"]),
        "{}",
        out.describe()
    );
    assert!(
        out.stdout
            .contains("imports tests/helpers/util.py, which imports tests/helpers/deep.py"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_unresolvable_import_into_the_tree_depends_on_every_module() {
    let repo = Repo::new();
    repo.replace(
        "tests/test_a.py",
        "import pytest\n",
        "import pytest\nimport helpers.gone\n",
    );
    // No import resolves to the new module, so it is also looked for by name (test_b names it).
    repo.replace(
        "tests/api/test_b.py",
        "DATA = ",
        "OTHER = \"helpers/other.py\"\nDATA = ",
    );
    repo.commit_all("base change");
    repo.git(&["checkout", "-q", "-b", "second"]);
    repo.write("tests/helpers/other.py", "Z = 1\n");
    repo.commit_all("new helper");
    let out = repo.affected(&["--base", "feature", "--no-include-worktree"]);
    assert_eq!(
        selected(&out),
        jobs(&[
            "tests/test_a.py group 1",
            "tests/test_a.py group 2",
            "tests/api/test_b.py group 1"
        ]),
        "{}",
        out.describe()
    );
    assert!(
        out.stdout
            .contains("may import any module of the test tree"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_data_file_selects_the_tests_in_its_directory_and_below() {
    let repo = Repo::new();
    repo.write("tests/api/data.yaml", "a: 2\n");
    repo.commit_all("data");
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/api/test_b.py group 1"]),
        "{}",
        out.describe()
    );
}

#[test]
fn a_data_file_selects_the_files_that_name_it_anywhere_and_everything_when_none_does() {
    let repo = Repo::new();
    repo.write("tests/fixtures/users.json", "[]\n");
    repo.replace(
        "tests/db/test_db.py",
        "import pytest\n",
        "import pytest\n\nUSERS = \"../fixtures/users.json\"\n",
    );
    repo.commit_all("data named by a test elsewhere");
    repo.git(&["branch", "-q", "-f", "main"]);
    repo.write("tests/fixtures/users.json", "[1]\n");
    repo.commit_all("change the data");
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/db/test_db.py group 3"]),
        "{}",
        out.describe()
    );
    assert!(
        out.stdout
            .contains("tests/db/test_db.py names `users.json`"),
        "{}",
        out.stdout
    );
    // Nothing names it: any test may read it (through a glob, a directory listing...).
    let repo = Repo::new();
    repo.write("tests/api/unnamed.csv", "a,b\n");
    repo.commit_all("unnamed data");
    let out = checked(&repo);
    assert_eq!(selected(&out), None, "{}", out.describe());
    assert!(
        out.stdout
            .contains("no string in a Python file of the test tree names `unnamed.csv`"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_module_loaded_with_dash_p_selects_everything() {
    let repo = Repo::new();
    repo.replace(
        "pyproject.toml",
        "testpaths = [\"tests\"]",
        "testpaths = [\"tests\"]\naddopts = \"-p helpers.deep\"",
    );
    repo.commit_all("load a plugin");
    repo.git(&["branch", "-q", "-f", "main"]);
    repo.write("tests/helpers/deep.py", "VALUE = 3\n");
    repo.commit_all("change the plugin");
    let out = checked(&repo);
    assert_eq!(selected(&out), None, "{}", out.describe());
    assert!(
        out.stdout
            .contains("pytest loads it as a plugin (`-p helpers.deep`)"),
        "{}",
        out.stdout
    );
}

#[test]
fn outside_the_test_tree_selects_everything_unless_configured() {
    let repo = Repo::new();
    repo.write("src/app.py", "X = 2\n");
    repo.commit_all("source");
    let out = checked(&repo);
    assert_eq!(selected(&out), None, "{}", out.describe());
    assert!(
        out.stdout.contains("outside the test tree"),
        "{}",
        out.stdout
    );

    let repo = Repo::new();
    repo.write("README.md", "# changed\n");
    repo.write("src/db/core.py", "Y = 2\n");
    repo.commit_all("docs and db");
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/db/test_db.py group 3"]),
        "{}",
        out.describe()
    );
    assert!(
        out.stdout.contains("matches `ignore-changes`"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_pytest_config_selects_everything() {
    let repo = Repo::new();
    repo.replace(
        "pyproject.toml",
        "[tool.fanout]\n",
        "[tool.fanout]\nmax-jobs = 50\n",
    );
    repo.commit_all("config");
    let out = checked(&repo);
    assert_eq!(selected(&out), None, "{}", out.describe());
}

#[test]
fn merging_the_base_into_the_branch_does_not_select_the_base_changes() {
    let repo = Repo::new();
    repo.replace("tests/test_a.py", "assert 1", "assert 1 + 0");
    repo.commit_all("branch edit");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("src/app.py", "X = 3\n");
    repo.commit_all("main moves on");
    repo.git(&["checkout", "-q", "feature"]);
    repo.git(&["merge", "-q", "--no-edit", "main"]);
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/test_a.py group 1"]),
        "{}",
        out.describe()
    );
}

#[test]
fn worktree_changes_count_unless_turned_off() {
    let repo = Repo::new();
    repo.write("tests/api/data.yaml", "b: 1\n");
    let out = repo.affected(&["--base", "main"]);
    assert_eq!(
        selected(&out),
        jobs(&["tests/api/test_b.py group 1"]),
        "{}",
        out.describe()
    );
    let out = repo.affected(&["--base", "main", "--no-include-worktree"]);
    assert_eq!(selected(&out), jobs(&[]), "{}", out.describe());
}

#[test]
fn collect_with_changed_since_keeps_only_the_selected_tests() {
    let repo = Repo::new();
    repo.replace("tests/test_a.py", "assert 2", "assert 2 + 0");
    repo.commit_all("edit");
    let out = repo.project.run(&[
        "collect",
        "--changed-since",
        "main",
        "--no-include-worktree",
    ]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(
        out.stdout.contains("tests/test_a.py::test_two"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("test_one"), "{}", out.stdout);
}

#[test]
fn in_ci_the_worktree_does_not_count_by_default() {
    let repo = Repo::new();
    repo.write("tests/api/new_data.json", "{}\n");
    let mut command = repo.project.command_in("", &["affected", "--base", "main"]);
    command.env("CI", "true").env_remove("GITHUB_ACTIONS");
    let out = crate::e2e::project::run(command);
    assert_eq!(selected(&out), jobs(&[]), "{}", out.describe());
}

#[test]
fn a_test_file_whose_old_version_does_not_parse_selects_everything() {
    let repo = Repo::new();
    repo.git(&["checkout", "-q", "main"]);
    repo.replace("tests/db/test_db.py", "    pass\n", "    pass(\n");
    repo.commit_all("break test_db on main");
    repo.git(&["checkout", "-q", "-b", "fix"]);
    repo.replace("tests/db/test_db.py", "    pass(\n", "    pass\n");
    repo.commit_all("fix test_db");
    let out = checked(&repo);
    // Without the old functions fanout cannot tell what the change touched.
    assert_eq!(selected(&out), None, "{}", out.describe());
    assert!(out.stderr.contains("does not parse"), "{}", out.describe());
    let strict = repo.affected(&["--base", "main", "--no-include-worktree", "--strict"]);
    assert_eq!(strict.code, 2, "{}", strict.describe());
}

/// tests/test_a.py with a fixture, a helper, a class with `setup_method` and a test that calls
/// another test, committed on the base branch; then `edit` is applied on the feature branch.
fn in_file_code(edit: (&str, &str)) -> crate::e2e::project::Output {
    let repo = Repo::new();
    repo.write(
        "tests/test_a.py",
        "import pytest\n\n\n@pytest.fixture\ndef db():\n    return 1\n\n\ndef helper():\n    return 2\n\n\n@pytest.mark.group(1)\ndef test_one(db):\n    assert db\n\n\n@pytest.mark.group(2)\ndef test_two():\n    assert helper()\n\n\n@pytest.mark.group(3)\nclass TestC:\n    def setup_method(self):\n        self.x = 3\n\n    def test_c(self):\n        assert self.x\n\n\n@pytest.mark.group(4)\ndef test_four():\n    assert 4\n\n\n@pytest.mark.group(5)\ndef test_five():\n    test_four()\n",
    );
    repo.commit_all("in-file code");
    repo.git(&["branch", "-q", "-f", "main"]);
    repo.replace("tests/test_a.py", edit.0, edit.1);
    repo.commit_all("edit");
    checked(&repo)
}

const ALL_OF_A: &[&str] = &[
    "tests/test_a.py group 1",
    "tests/test_a.py group 2",
    "tests/test_a.py group 3",
    "tests/test_a.py group 4",
    "tests/test_a.py group 5",
];

#[test]
fn a_fixture_helper_or_setup_change_in_a_test_file_selects_the_whole_file() {
    for (edit, name) in [
        (("return 1", "return 10"), "db"),
        (("return 2", "return 20"), "helper"),
        (("self.x = 3", "self.x = 30"), "TestC::setup_method"),
    ] {
        let out = in_file_code(edit);
        assert_eq!(selected(&out), jobs(ALL_OF_A), "{name}: {}", out.describe());
        assert!(
            out.stdout
                .contains(&format!("`{name}` changed, which is not a collected test")),
            "{name}: {}",
            out.stdout
        );
    }
}

#[test]
fn a_test_that_another_test_calls_selects_the_whole_file() {
    let out = in_file_code(("assert 4", "assert 40"));
    assert_eq!(selected(&out), jobs(ALL_OF_A), "{}", out.describe());
    assert!(
        out.stdout
            .contains("`test_four` changed, and other code of the file refers to it"),
        "{}",
        out.stdout
    );
    // A test nothing refers to still selects only its own group.
    let out = in_file_code(("assert self.x", "assert self.x + 0"));
    assert_eq!(
        selected(&out),
        jobs(&["tests/test_a.py group 3"]),
        "{}",
        out.describe()
    );
}

#[test]
fn adding_or_removing_an_init_py_selects_its_directory_and_below() {
    let repo = Repo::new();
    repo.write("tests/api/__init__.py", "");
    repo.commit_all("make api a package");
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/api/test_b.py group 1"]),
        "{}",
        out.describe()
    );
    assert!(
        out.stdout.contains("an added or removed __init__.py"),
        "{}",
        out.stdout
    );
    // Removing one: helpers/ is imported by tests/api/test_b.py.
    let repo = Repo::new();
    repo.git(&["rm", "-q", "tests/helpers/__init__.py"]);
    repo.commit_all("no longer a package");
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/api/test_b.py group 1"]),
        "{}",
        out.describe()
    );
}

#[test]
fn an_affects_entry_that_matches_no_test_file_is_a_config_error() {
    let repo = Repo::new();
    repo.replace("pyproject.toml", "\"tests/db/**\"", "\"tests/dbb/**\"");
    repo.write("src/db/core.py", "Y = 2\n");
    repo.commit_all("typo in affects");
    let out = repo.affected(&["--base", "main", "--no-include-worktree"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr.contains("error[config-error]")
            && out
                .stderr
                .contains("`src/db/**` = [\"tests/dbb/**\"] matches no collected test file"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_submodule_bump_selects_everything() {
    let sub = crate::e2e::project::Project::new();
    sub.file("lib.py", "X = 1\n");
    super::repo::git_in(&sub.path(), &["init", "-q", "-b", "main"]);
    super::repo::git_in(&sub.path(), &["add", "-A"]);
    super::repo::git_in(&sub.path(), &["commit", "-q", "-m", "one"]);
    let repo = Repo::new();
    let url = sub.path().to_string_lossy().into_owned();
    repo.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        &url,
        "tests/vendor",
    ]);
    repo.commit_all("add a submodule");
    repo.git(&["branch", "-q", "-f", "main"]);
    sub.file("lib.py", "X = 2\n");
    super::repo::git_in(&sub.path(), &["commit", "-q", "-am", "two"]);
    let vendor = repo.path().join("tests/vendor");
    super::repo::git_in(&vendor, &["-c", "protocol.file.allow=always", "pull", "-q"]);
    repo.commit_all("bump the submodule");
    let out = checked(&repo);
    assert_eq!(selected(&out), None, "{}", out.describe());
    assert!(
        out.stdout.contains("it is a git submodule"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_deleted_module_selects_the_files_that_imported_it() {
    let repo = Repo::new();
    repo.write("tests/helpers/gone.py", "def f():\n    return 1\n");
    repo.replace(
        "tests/api/test_b.py",
        "from helpers.util import value\n",
        "from helpers.util import value\nfrom helpers import gone\n",
    );
    repo.commit_all("a module to delete");
    repo.git(&["branch", "-q", "-f", "main"]);
    repo.git(&["rm", "-q", "tests/helpers/gone.py"]);
    repo.commit_all("delete it, leaving its importer");
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/api/test_b.py group 1"]),
        "{}",
        out.describe()
    );
    assert!(
        out.stdout.contains("tests/helpers/gone.py"),
        "{}",
        out.stdout
    );
}

/// Groups only running code can tell: without the flag an error that names it; with it,
/// pytest reads them and the change selects them.
#[test]
fn resolve_dynamic_lets_pytest_read_the_groups_a_change_selects() {
    let repo = Repo::new();
    repo.write(
        "tests/regions.py",
        "def region(name):\n    return \"eu-\" + name\n",
    )
    .write(
        "tests/test_dyn.py",
        "import pytest\nfrom regions import region\n\n\n@pytest.mark.group(region(\"db\"))\ndef test_db():\n    pass\n\n\n@pytest.mark.group(region(\"web\"))\ndef test_web():\n    pass\n",
    );
    repo.commit_all("a test file with computed groups");
    let without = checked(&repo);
    assert_eq!(without.code, 1, "{}", without.describe());
    assert!(
        without.stderr.contains("error[dynamic-group-id]")
            && without.stderr.contains("--resolve-dynamic"),
        "{}",
        without.describe()
    );
    let python = crate::support::pytest_oracle::python();
    let out = repo.affected(&[
        "--base",
        "main",
        "--no-include-worktree",
        "--resolve-dynamic",
        "--python",
        python.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(
        selected(&out),
        jobs(&[
            "tests/test_dyn.py group eu-db",
            "tests/test_dyn.py group eu-web"
        ]),
        "{}",
        out.describe()
    );
}

/// pytest runs a package's `__init__.py` whenever it imports a module below it: an edit of one
/// selects every test module there, though none imports the package by name.
#[test]
fn editing_a_packages_init_selects_every_test_module_below_it() {
    let repo = Repo::new();
    repo.write("tests/db/__init__.py", "");
    repo.commit_all("db is a package");
    repo.git(&["branch", "-q", "-f", "main"]);
    repo.write(
        "tests/db/__init__.py",
        "import os\nos.environ['DB'] = '1'\n",
    );
    repo.commit_all("the package sets up the database");
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/db/test_db.py group 3"]),
        "{}",
        out.describe()
    );
    assert!(
        out.stdout
            .contains("pytest runs a package's __init__.py when it imports any module of its directory and below"),
        "{}",
        out.stdout
    );
}

/// A module no file imports (run by a subprocess, loaded with importlib) is selected as a data
/// file is: by the files whose strings name it, else everything; a comment does not count.
#[test]
fn a_module_nobody_imports_selects_the_tests_that_name_it() {
    let repo = Repo::new();
    repo.write("tests/scripts/deploy.py", "print('deploying')\n");
    repo.write("tests/tools/loader.py", "LOADED = True\n");
    repo.replace(
        "tests/db/test_db.py",
        "import pytest\n",
        "import subprocess, sys\nimport pytest\n\nDEPLOY = [sys.executable, \"tests/scripts/deploy.py\"]\n",
    );
    repo.replace(
        "tests/test_a.py",
        "import pytest\n",
        "import importlib\nimport pytest\n\n# deploy.py is run by test_db\nLOADER = importlib.import_module(\"tools.loader\")\n",
    );
    repo.commit_all("scripts and tools loaded by name");
    repo.git(&["branch", "-q", "-f", "main"]);
    repo.write("tests/scripts/deploy.py", "print('deploying again')\n");
    repo.commit_all("change the script");
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/db/test_db.py group 3"]),
        "the comment in test_a.py does not name it: {}",
        out.describe()
    );
    assert!(
        out.stdout.contains("no module imports it")
            && out.stdout.contains("tests/db/test_db.py names `deploy.py`"),
        "{}",
        out.stdout
    );

    repo.git(&["branch", "-q", "-f", "main"]);
    repo.write("tests/tools/loader.py", "LOADED = 2\n");
    repo.commit_all("change the loaded module");
    let out = checked(&repo);
    assert_eq!(
        selected(&out),
        jobs(&["tests/test_a.py group 1", "tests/test_a.py group 2"]),
        "{}",
        out.describe()
    );

    // Named nowhere: any test may load it.
    repo.git(&["branch", "-q", "-f", "main"]);
    repo.write("tests/tools/orphan.py", "X = 1\n");
    repo.commit_all("a module nobody names");
    let out = checked(&repo);
    assert_eq!(selected(&out), None, "{}", out.describe());
    assert!(
        out.stdout
            .contains("no string in a Python file of the test tree names `orphan.py`"),
        "{}",
        out.stdout
    );
}
