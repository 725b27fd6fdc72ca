//! `--resolve-dynamic`: the files fanout cannot read are collected by the pinned pytest, and
//! only those; a pytest that cannot collect them leaves fanout's static errors in place.

use crate::e2e::project::{Output, Project};
use crate::support::pytest_oracle::python;
use serde_json::{json, Value};

const CONFIG: &str = r#"
    [tool.pytest.ini_options]
    testpaths = ["tests"]
    markers = ["group(id): the CI job", "runner(labels): the CI runner", "slow: a long test"]
    "#;

/// A helper module the tests import: group ids, parameter values and test bases only
/// running it can tell.
const HELPERS: &str = r#"
    def region_for(kind):
        return {"db": "eu-db", "web": 3}[kind]

    def make_cloud(name):
        return {"name": name}

    class BaseDeploy:
        def test_deploy(self):
            pass

        def test_upgrade(self):
            pass
    "#;

fn project() -> Project {
    let p = Project::new();
    p.file("pyproject.toml", CONFIG)
        .file("tests/helpers.py", HELPERS)
        // pytest's rootdir-relative imports: `tests/` on sys.path, as the project's conftest does.
        .file(
            "tests/conftest.py",
            r#"
            import os, sys
            sys.path.insert(0, os.path.dirname(__file__))
            "#,
        )
        .file(
            "tests/test_static.py",
            r#"
            import pytest

            @pytest.mark.group(1)
            def test_one():
                pass
            "#,
        );
    p
}

/// Group ids from a project function.
fn regions(p: &Project) {
    p.file(
        "tests/test_regions.py",
        r#"
        import pytest
        from helpers import region_for


        @pytest.mark.group(region_for("db"))
        def test_db():
            pass


        @pytest.mark.group(region_for("web"))
        @pytest.mark.runner("large")
        def test_web():
            pass
        "#,
    );
}

fn resolving(p: &Project, args: &[&str]) -> Output {
    let mut all: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    all.extend(["--resolve-dynamic".to_owned(), "--python".to_owned()]);
    all.push(python().to_string_lossy().into_owned());
    p.run(&all)
}

fn json_of(out: &Output) -> Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON does not parse ({e})\n{}", out.describe()))
}

/// (path, group_id, node_ids, runner) of each job.
fn jobs(doc: &Value) -> Vec<Value> {
    doc["groups"]
        .as_array()
        .expect("groups is an array")
        .iter()
        .map(|g| {
            json!([
                g["path_to_test_file"],
                g["group_id"],
                g["node_ids"],
                g["runner"]
            ])
        })
        .collect()
}

#[test]
fn group_ids_from_a_project_function_come_from_pytest() {
    let p = project();
    regions(&p);
    let without = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(without.code, 1, "{}", without.describe());
    assert!(
        without.stderr.contains("error[dynamic-group-id]")
            && without
                .stderr
                .contains("or run with --resolve-dynamic to let pytest resolve it"),
        "{}",
        without.describe()
    );

    let out = resolving(&p, &["matrix", "--backend", "json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(
        jobs(&json_of(&out)),
        [
            json!([
                "tests/test_regions.py",
                "3",
                ["tests/test_regions.py::test_web"],
                "large"
            ]),
            json!([
                "tests/test_regions.py",
                "eu-db",
                ["tests/test_regions.py::test_db"],
                null
            ]),
            json!(["tests/test_static.py", "1", ["tests/test_static.py"], null]),
        ]
    );
    assert_eq!(
        out.stderr,
        "note: tests/test_regions.py: 2 tests from pytest's collection (--resolve-dynamic; fanout could not read it: dynamic-group-id)\n"
    );

    let collect = resolving(&p, &["collect", "--format", "json"]);
    assert_eq!(collect.code, 0, "{}", collect.describe());
    let sources: Vec<Value> = json_of(&collect)["tests"]
        .as_array()
        .expect("tests is an array")
        .iter()
        .map(|t| json!([t["node_id"], t["group_id"], t["group_source"], t["line"]]))
        .collect();
    assert_eq!(
        sources,
        [
            json!(["tests/test_regions.py::test_db", "eu-db", "pytest", 6]),
            json!(["tests/test_regions.py::test_web", "3", "pytest", 12]),
            json!(["tests/test_static.py::test_one", "1", "function", 4]),
        ]
    );
}

#[test]
fn parameters_built_by_project_code_get_pytests_ids() {
    let p = project();
    p.file(
        "tests/test_clouds.py",
        r#"
        import pytest
        from helpers import make_cloud

        group = pytest.mark.group

        @pytest.mark.parametrize("cloud", [
            pytest.param(make_cloud("aws"), marks=group("aws")),
            pytest.param(make_cloud("gcp"), marks=group("gcp")),
            pytest.param(make_cloud("az"), marks=group("aws")),
            pytest.param(make_cloud("old"), marks=[group("aws"), pytest.mark.slow]),
        ])
        def test_backup(cloud):
            pass
        "#,
    );
    let without = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(without.code, 1, "{}", without.describe());
    assert!(
        without.stderr.contains("error[parameter-groups]"),
        "{}",
        without.describe()
    );
    let out = resolving(&p, &["matrix", "--backend", "json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(
        jobs(&json_of(&out)),
        [
            json!([
                "tests/test_clouds.py",
                "aws",
                [
                    "tests/test_clouds.py::test_backup[cloud0]",
                    "tests/test_clouds.py::test_backup[cloud2]",
                    "tests/test_clouds.py::test_backup[cloud3]"
                ],
                null
            ]),
            json!([
                "tests/test_clouds.py",
                "gcp",
                ["tests/test_clouds.py::test_backup[cloud1]"],
                null
            ]),
            json!(["tests/test_static.py", "1", ["tests/test_static.py"], null]),
        ]
    );
    // `-m` reaches pytest, and a job holding every case it kept still names the case: the
    // function would run the cases it left out too.
    let selected = resolving(&p, &["matrix", "--backend", "json", "-m", "slow"]);
    assert_eq!(selected.code, 0, "{}", selected.describe());
    assert_eq!(
        jobs(&json_of(&selected)),
        [json!([
            "tests/test_clouds.py",
            "aws",
            ["tests/test_clouds.py::test_backup[cloud3]"],
            null
        ])]
    );
}

#[test]
fn a_class_inheriting_tests_from_another_module_is_listed_per_test() {
    let p = project();
    // A base only the conftest's sys.path reaches: fanout's index cannot find it.
    p.file("vendor/deploylib.py", HELPERS).file(
        "tests/conftest.py",
        r#"
            import os, sys
            sys.path.insert(0, os.path.dirname(__file__))
            sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "vendor"))
            "#,
    );
    p.file(
        "tests/test_inherit.py",
        r#"
        import pytest
        from deploylib import BaseDeploy


        @pytest.mark.group("deploy")
        class TestCharm(BaseDeploy):
            pass
        "#,
    );
    let without = p.run(&["collect"]);
    assert_eq!(without.code, 1, "{}", without.describe());
    let out = resolving(&p, &["collect", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let doc = json_of(&out);
    assert_eq!(
        crate::e2e::project::node_ids(&doc),
        [
            "tests/test_inherit.py::TestCharm::test_deploy",
            "tests/test_inherit.py::TestCharm::test_upgrade",
            "tests/test_static.py::test_one",
        ]
    );
    assert_eq!(doc["tests"][0]["class"], "TestCharm");
    assert_eq!(doc["tests"][0]["group_source"], "pytest");
    assert_eq!(doc["diagnostics"], json!([]));
}

#[test]
fn a_file_pytest_cannot_import_keeps_its_errors() {
    let p = project();
    regions(&p);
    p.file(
        "tests/test_broken.py",
        r#"
        import pytest
        import fanout_missing_dependency
        from helpers import region_for

        @pytest.mark.group(region_for("db"))
        def test_never():
            pass
        "#,
    );
    let out = resolving(&p, &["matrix", "--backend", "json"]);
    // The static errors decide, as without the flag; pytest's failure is a warning beside them.
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(
        out.stderr.contains(
            "tests/test_broken.py: warning[pytest-collection-error]: pytest could not collect this: ModuleNotFoundError: No module named 'fanout_missing_dependency'; fanout's static reading of it stays\n"
        ),
        "{}",
        out.describe()
    );
    assert!(
        out.stderr
            .contains("tests/test_broken.py:5:20: error[dynamic-group-id]"),
        "{}",
        out.describe()
    );
    // The file pytest could import is resolved.
    assert!(
        !out.stderr.contains("tests/test_regions.py:5")
            && out.stderr.contains("note: tests/test_regions.py: 2 tests"),
        "{}",
        out.describe()
    );
}

#[test]
fn a_pytest_that_cannot_start_leaves_the_static_result() {
    let p = project();
    regions(&p);
    p.file("tests/conftest.py", "import fanout_missing_plugin\n");
    let out = resolving(&p, &["collect", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    let doc = json_of(&out);
    let codes = crate::e2e::project::codes(&doc);
    assert_eq!(
        crate::e2e::project::diagnostics_with(&doc, "dynamic-group-id").len(),
        2,
        "{codes:?}"
    );
    let failed = crate::e2e::project::diagnostics_with(&doc, "pytest-failed");
    assert_eq!(failed.len(), 1, "{codes:?}");
    assert_eq!(failed[0]["severity"], "warning");
    let message = failed[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("fanout_missing_plugin")
            && message.ends_with("fanout's static reading stays"),
        "{message}"
    );
}

#[test]
fn check_is_clean_on_a_resolvable_project() {
    let p = project();
    regions(&p);
    let without = p.run(&["check"]);
    assert_eq!(without.code, 1, "{}", without.describe());
    let out = resolving(&p, &["check"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(
        out.stdout.ends_with("fanout check: no problems found\n"),
        "{}",
        out.describe()
    );
}

#[test]
fn python_without_the_flag_is_a_usage_error() {
    let p = project();
    let out = p.run(&["collect", "--python", "python3"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr.contains("add --resolve-dynamic"),
        "{}",
        out.describe()
    );
}

#[test]
fn files_fanout_reads_are_not_sent_to_pytest() {
    // No file needs pytest: the flag runs nothing, so even a missing interpreter is fine.
    let p = project();
    let out = p.run(&[
        "matrix",
        "--backend",
        "json",
        "--resolve-dynamic",
        "--python",
        "/nonexistent/python",
    ]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(out.stderr, "");
}
