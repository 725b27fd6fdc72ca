use super::*;

fn env(pairs: &[(&str, serde_json::Value)]) -> Environment {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

#[test]
fn execute_names_what_the_environment_makes_of_it() {
    let e = env(&[
        ("TEST_MODULE", "ha_tests/test_upgrade.py".into()),
        ("CLOUD/aws", "aws".into()),
        ("CLOUD/gcp", "gcp".into()),
        ("N", 151.into()),
        ("EMPTY", serde_json::Value::Null),
    ]);
    let execute = "tox run -e integration -- \"tests/integration/$TEST_MODULE\" --model testing --alluredir=\"$SPREAD_TASK/allure-results\"\nNUM=$N pytest tests/${CLOUD}/test_x.py::test_a\npytest tests/folder/ tests/$UNKNOWN.py\n";
    assert_eq!(
        named_paths(execute, &e),
        [
            "tests/aws/test_x.py::test_a",
            "tests/folder",
            "tests/gcp/test_x.py::test_a",
            "tests/integration/ha_tests/test_upgrade.py",
        ]
    );
}

#[test]
fn a_task_runs_its_files_folders_and_node_ids() {
    let task = Task {
        name: "tests/spread/x".into(),
        file: PathBuf::from("task.yaml"),
        execute_line: 1,
        generated: None,
        suite: "tests/spread/".into(),
        runs: vec![
            "tests/a".into(),
            "tests/b/test_b.py".into(),
            "tests/c/test_c.py::TestC".into(),
        ],
    };
    assert!(task.runs("tests/a/sub/test_x.py", "tests/a/sub/test_x.py::test_1"));
    assert!(!task.runs("tests/ab/test_x.py", "tests/ab/test_x.py::test_1"));
    assert!(task.runs("tests/b/test_b.py", "tests/b/test_b.py::test_2[x]"));
    assert!(task.runs("tests/c/test_c.py", "tests/c/test_c.py::TestC::test_3"));
    assert!(!task.runs("tests/c/test_c.py", "tests/c/test_c.py::test_other"));
}

#[test]
fn tasks_are_the_suites_immediate_folders_with_a_task_yaml() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write(
        "spread.yaml",
        "project: x\npath: /root/x\nenvironment:\n  BASE: tests/integration\nsuites:\n  tests/spread/:\n    summary: s\n    environment:\n      SUITE: 1\n",
    );
    write(
        "tests/spread/test_charm.py/task.yaml",
        "summary: test_charm.py\n# comment\nenvironment:\n  TEST_MODULE: test_charm.py\nexecute: |\n  tox run -e integration -- \"$BASE/$TEST_MODULE\"\n",
    );
    write("tests/spread/notes/readme.txt", "not a task\n");
    write(
        "tests/spread/nested/deeper/task.yaml",
        "summary: s\nexecute: pytest tests/other.py\n",
    );
    let found = find(&root.join("tests/integration")).expect("found upwards");
    assert_eq!(found, root.join("spread.yaml"));
    let project = load(&found).expect("loads");
    let names: Vec<&str> = project.tasks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["tests/spread/test_charm.py"]);
    assert_eq!(project.tasks[0].runs, ["tests/integration/test_charm.py"]);
    assert_eq!(project.tasks[0].execute_line, 5);
}

#[test]
fn empty_keys_are_what_spread_allows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("tests/spread/t1")).expect("mkdir");
    std::fs::write(
        root.join("spread.yaml"),
        "project: x\npath: /root/x\nenvironment:\nsuites:\n  tests/spread/:\n",
    )
    .expect("write");
    std::fs::write(
        root.join("tests/spread/t1/task.yaml"),
        "summary: s\nenvironment:\nexecute: pytest tests/integration/test_a.py\n",
    )
    .expect("write");
    let project = load(&root.join("spread.yaml")).expect("loads");
    assert_eq!(project.tasks[0].runs, ["tests/integration/test_a.py"]);
}

#[test]
fn the_scope_is_the_folder_of_every_path_the_tasks_name() {
    let task = |runs: &[&str]| Task {
        name: "tests/spread/x".into(),
        file: PathBuf::from("task.yaml"),
        execute_line: 1,
        generated: None,
        suite: "tests/spread/".into(),
        runs: runs.iter().map(|r| (*r).to_owned()).collect(),
    };
    let project = SpreadProject {
        root: PathBuf::from("/p"),
        file: PathBuf::from("/p/spread.yaml"),
        tasks: vec![
            task(&["tests/integration/test_a.py"]),
            task(&["tests/integration/ha/test_b.py::test_x"]),
        ],
    };
    let scope = project.scope(None);
    assert_eq!(scope, ["tests/integration"]);
    assert!(SpreadProject::in_scope(
        &scope,
        "tests/integration/new/test_c.py"
    ));
    assert!(!SpreadProject::in_scope(&scope, "tests/unit/test_d.py"));
    assert_eq!(project.scope(Some(vec!["tests/".into()])), ["tests"]);
    let empty = SpreadProject {
        tasks: vec![task(&[])],
        ..project
    };
    assert!(SpreadProject::in_scope(
        &empty.scope(None),
        "tests/unit/test_d.py"
    ));
}
