//! `fanout check` with a spread suite (a charm repository's `spread.yaml` and one hand-written
//! task per test file): a job no task runs and a task that runs a file that is gone are errors,
//! in every format; a suite whose tasks run every job is clean.

use crate::e2e::project::{Output, Project};
use serde_json::Value;

const SPREAD_YAML: &str = r#"project: charm
path: /root/spread_project
environment:
  PATH: $PATH:$(pipx environment --value PIPX_BIN_DIR)
  CONCIERGE_JUJU_CHANNEL/juju36: 3.6/stable
  CONCIERGE_JUJU_CHANNEL/juju29: 2.9/stable
backends:
  github-ci:
    type: adhoc
    manual: true
    environment:
      CI: '$(HOST: echo $CI)'
    systems:
      - ubuntu-24.04:
          username: runner
suites:
  tests/spread/:
    summary: Spread tests
"#;

fn task(module: &str, extra: &str) -> String {
    format!(
        "summary: {module}\n# written by hand\nenvironment:\n  TEST_MODULE: {module}\n{extra}execute: |\n  tox run -e integration -- \"tests/integration/$TEST_MODULE\" --model testing --alluredir=\"$SPREAD_TASK/allure-results\"\nartifacts:\n  - allure-results\nvariants:\n  - -juju29  # needs juju 3\n"
    )
}

fn charm() -> Project {
    let p = Project::new();
    p.file(
        "pyproject.toml",
        "[tool.pytest.ini_options]\nmarkers = [\"group(id): the CI job\"]\n",
    )
    .bytes("spread.yaml", SPREAD_YAML.as_bytes())
    .file(
        "tests/integration/test_charm.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_deploy():\n    pass\n",
    )
    .file(
        "tests/integration/ha_tests/test_upgrade.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_upgrade():\n    pass\n",
    )
    .file(
        "tests/integration/test_two_groups.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_one():\n    pass\n\n\n@pytest.mark.group(2)\ndef test_two():\n    pass\n",
    )
    .bytes("tests/spread/test_charm.py/task.yaml", task("test_charm.py", "").as_bytes())
    // One file, two tasks with different environments.
    .bytes(
        "tests/spread/test_upgrade.py/task.yaml",
        task("ha_tests/test_upgrade.py", "  NUM_UNITS: 1\n").as_bytes(),
    )
    .bytes(
        "tests/spread/test_upgrade_3_units.py/task.yaml",
        task("ha_tests/test_upgrade.py", "  NUM_UNITS: 3\n").as_bytes(),
    )
    .bytes(
        "tests/spread/test_two_groups.py/task.yaml",
        task("test_two_groups.py", "").as_bytes(),
    );
    p
}

fn check_json(p: &Project) -> (Output, Vec<Value>) {
    let out = p.run(&["check", "--format", "json"]);
    let doc: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let diagnostics = doc["diagnostics"].as_array().cloned().unwrap_or_default();
    (out, diagnostics)
}

fn spread_codes(diagnostics: &[Value]) -> Vec<(String, String, u64)> {
    let mut found: Vec<(String, String, u64)> = diagnostics
        .iter()
        .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("spread-")))
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["path"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    found.sort();
    found
}

/// Unit tests beside the integration tests are not spread's (the tasks name only
/// `tests/integration`), unless `paths` in `[tool.fanout.spread]` says they are.
#[test]
fn a_suite_whose_tasks_run_every_job_is_clean() {
    let p = charm();
    p.file(
        "tests/unit/test_unit.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_unit():\n    pass\n",
    );
    let (out, diagnostics) = check_json(&p);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(spread_codes(&diagnostics), []);
    p.file(
        "pyproject.toml",
        "[tool.pytest.ini_options]\nmarkers = [\"group(id): the CI job\"]\n\n[tool.fanout.spread]\npaths = [\"tests\"]\n",
    );
    let (_, diagnostics) = check_json(&p);
    assert_eq!(
        spread_codes(&diagnostics),
        [(
            "spread-no-task".to_owned(),
            "tests/unit/test_unit.py".to_owned(),
            4
        )]
    );
}

#[test]
fn a_new_file_a_renamed_file_and_a_group_no_task_runs_are_errors() {
    let p = charm();
    // A new test file with no task.
    p.file(
        "tests/integration/test_new.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_new():\n    pass\n",
    );
    // A renamed test file: its task runs a path that is gone.
    std::fs::rename(
        p.join("tests/integration/test_charm.py"),
        p.join("tests/integration/test_charm_renamed.py"),
    )
    .expect("rename");
    // A task that names a node id of one group: the other group has no task.
    p.file(
        "tests/spread/test_two_groups.py/task.yaml",
        "summary: one group\nexecute: pytest tests/integration/test_two_groups.py::test_one\n",
    );
    let (out, diagnostics) = check_json(&p);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert_eq!(
        spread_codes(&diagnostics),
        [
            (
                "spread-no-task".to_owned(),
                "tests/integration/test_charm_renamed.py".to_owned(),
                4
            ),
            (
                "spread-no-task".to_owned(),
                "tests/integration/test_new.py".to_owned(),
                4
            ),
            (
                "spread-no-task".to_owned(),
                "tests/integration/test_two_groups.py".to_owned(),
                9
            ),
            (
                "spread-stale-task".to_owned(),
                "tests/spread/test_charm.py/task.yaml".to_owned(),
                5
            ),
        ]
    );
    let human = p.run(&["check"]);
    assert!(
        human.stdout.contains("tests/integration/test_new.py:4:1: error[spread-no-task]: no spread task runs this test file")
            && human.stdout.contains("add a task `tests/spread/test_new.py/task.yaml`")
            && human.stdout.contains("group 2 of this file")
            && human.stdout.contains("task `tests/spread/test_charm.py` runs `tests/integration/test_charm.py`, which does not exist"),
        "{}",
        human.describe()
    );
    let github = p.run(&["check", "--format", "github"]);
    assert!(
        github
            .stdout
            .contains("::error file=tests/integration/test_new.py,line=4")
            && github.stdout.contains("spread-stale-task"),
        "{}",
        github.describe()
    );
    let gitlab = p.run(&["check", "--format", "gitlab"]);
    assert!(
        gitlab.stdout.contains("spread-no-task"),
        "{}",
        gitlab.describe()
    );
    let explain = p.run(&["check", "--explain", "spread-no-task"]);
    assert_eq!(explain.code, 0, "{}", explain.describe());
}

#[test]
fn without_a_spread_yaml_nothing_is_said_about_tasks() {
    let p = charm();
    p.remove("spread.yaml");
    p.file(
        "tests/integration/test_new.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_new():\n    pass\n",
    );
    let (_, diagnostics) = check_json(&p);
    assert_eq!(spread_codes(&diagnostics), []);
}

/// `fanout matrix --backend spread`: the tasks that run the selected jobs, each once; with
/// `--changed-since`, only the tasks of what the change affects, every task when fanout cannot
/// place the change; a selected job no task runs is an error, never left out.
#[test]
fn the_spread_backend_lists_the_tasks_of_the_selected_jobs() {
    let p = charm();
    let tasks = |args: &[&str]| {
        let mut all = vec!["matrix", "--backend", "spread"];
        all.extend_from_slice(args);
        let out = p.run(&all);
        assert_eq!(out.code, 0, "{args:?}: {}", out.describe());
        out.stdout.lines().map(str::to_owned).collect::<Vec<_>>()
    };
    assert_eq!(
        tasks(&[]),
        [
            "tests/spread/test_charm.py",
            "tests/spread/test_two_groups.py",
            "tests/spread/test_upgrade.py",
            "tests/spread/test_upgrade_3_units.py",
        ]
    );
    let git = |args: &[&str]| crate::e2e::affected::repo::git_in(&p.path(), args);
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "suite"]);
    git(&["checkout", "-q", "-b", "feature"]);
    p.file(
        "tests/integration/ha_tests/test_upgrade.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_upgrade():\n    assert True\n",
    );
    git(&["commit", "-q", "-am", "change the upgrade test"]);
    assert_eq!(
        tasks(&["--changed-since", "main"]),
        [
            "tests/spread/test_upgrade.py",
            "tests/spread/test_upgrade_3_units.py"
        ],
        "both tasks that run the changed file"
    );
    // A change fanout cannot place (the pytest config): every task.
    p.file(
        "pyproject.toml",
        "[tool.pytest.ini_options]\nmarkers = [\"group(id): the CI job\"]\naddopts = \"-q\"\n",
    );
    git(&["commit", "-q", "-am", "config"]);
    assert_eq!(tasks(&["--changed-since", "main"]).len(), 4);
    // A selected job with no task: an error naming it.
    p.file(
        "tests/integration/test_new.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_new():\n    pass\n",
    );
    let out = p.run(&["matrix", "--backend", "spread"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(
        out.stderr
            .contains("job `tests/integration/test_new.py | group 1` is run by no spread task"),
        "{}",
        out.describe()
    );
}

/// `check --fix` writes a task for every job no hand-written task runs, from the template in
/// `[tool.fanout.spread]`; each generated task's `execute`, run with its environment exported as
/// spread exports it, collects exactly its job's tests in a real pytest, together every test
/// once; hand-written tasks stay byte for byte; a second `--fix` changes nothing; a generated
/// task whose file is gone is removed.
#[test]
fn check_fix_writes_the_missing_tasks_from_the_template() {
    let p = charm();
    let python = crate::support::pytest_oracle::python();
    p.file(
        "pyproject.toml",
        "[tool.pytest.ini_options]\nmarkers = [\"group(id): the CI job\"]\n\n[tool.fanout.spread]\ntemplate-file = \"tests/spread-template.yaml\"\n\n[tool.fanout.spread.tasks.\"tests/integration/test_new.py\"]\nvariants = [\"-juju29\"]\nbackends = [\"-lxd-vm\"]\n",
    )
    .file(
        "tests/spread-template.yaml",
        "summary: a fanout job\nenvironment:\n  PY: python\nexecute: |\n  \"$PYTHON\" -m pytest --collect-only -q -p no:cacheprovider $FANOUT_NODE_IDS\nkill-timeout: 30m\n",
    )
    .file(
        "tests/integration/test_new.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_new():\n    pass\n",
    )
    .file(
        "tests/integration/test_split.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n\n\n@pytest.mark.group(\"b\")\ndef test_b():\n    pass\n",
    );
    let hand_written =
        std::fs::read_to_string(p.join("tests/spread/test_charm.py/task.yaml")).expect("task");
    let diff = p.run(&["check", "--diff"]);
    assert_eq!(diff.code, 1, "{}", diff.describe());
    assert!(
        diff.stdout
            .contains("+++ b/tests/spread/test_new.py/task.yaml"),
        "{}",
        diff.describe()
    );
    let fix = p.run(&["check", "--fix"]);
    assert_eq!(fix.code, 0, "{}", fix.describe());
    assert!(
        fix.stderr.contains("wrote the spread tasks"),
        "{}",
        fix.describe()
    );
    let again = p.run(&["check", "--diff"]);
    assert_eq!(
        (again.code, again.stdout.as_str()),
        (0, ""),
        "{}",
        again.describe()
    );
    assert_eq!(
        std::fs::read_to_string(p.join("tests/spread/test_charm.py/task.yaml")).expect("task"),
        hand_written
    );
    // Each generated task, run as spread runs it.
    let mut generated: Vec<String> = std::fs::read_dir(p.join("tests/spread"))
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| {
            std::fs::read_to_string(p.join(&format!("tests/spread/{name}/task.yaml")))
                .is_ok_and(|t| t.starts_with("# Generated by `fanout check --fix`"))
        })
        .collect();
    generated.sort();
    assert_eq!(
        generated,
        [
            "test_new.py",
            "test_split.py-group-1",
            "test_split.py-group-b"
        ]
    );
    let mut together = Vec::new();
    for name in &generated {
        let text = std::fs::read_to_string(p.join(&format!("tests/spread/{name}/task.yaml")))
            .expect("task");
        let task: serde_json::Value = serde_saphyr::from_str(&text).expect("YAML");
        let mut script = String::new();
        for (key, value) in task["environment"].as_object().expect("environment") {
            let value = value.as_str().expect("a string");
            script.push_str(&format!(
                "export {key}='{}'\n",
                value.replace('\'', "'\\''")
            ));
        }
        script.push_str(task["execute"].as_str().expect("execute"));
        let out = std::process::Command::new("bash")
            .args(["-c", &script])
            .env("PYTHON", &python)
            .current_dir(p.path())
            .output()
            .expect("bash");
        let ids: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains("::"))
            .map(str::to_owned)
            .collect();
        let expected: &[&str] = match name.as_str() {
            "test_new.py" => &["tests/integration/test_new.py::test_new"],
            "test_split.py-group-1" => &["tests/integration/test_split.py::test_a"],
            _ => &["tests/integration/test_split.py::test_b"],
        };
        assert_eq!(
            ids,
            expected,
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        together.extend(ids);
    }
    assert_eq!(together.len(), 3, "each generated job's tests once");
    // The file of a generated task is renamed: its task goes, a new one comes.
    std::fs::rename(
        p.join("tests/integration/test_new.py"),
        p.join("tests/integration/test_newer.py"),
    )
    .expect("rename");
    let stale = p.run(&["check"]);
    assert!(
        stale
            .stdout
            .contains("this generated task runs no job of the matrix any more"),
        "{}",
        stale.describe()
    );
    let fix = p.run(&["check", "--fix"]);
    assert_eq!(fix.code, 0, "{}", fix.describe());
    assert!(!p.join("tests/spread/test_new.py").exists());
    assert!(p.join("tests/spread/test_newer.py/task.yaml").exists());
    // A setting the backend does not have, or an exclusion spread does not have, is refused.
    for table in [
        "[tool.fanout.spread]\ntemplate_file = \"x\"\n",
        "[tool.fanout.spread.tasks.\"tests/integration/test_newer.py\"]\nvariant = [\"-juju29\"]\n",
        "[tool.fanout.spread.tasks.\"tests/integration/test_newer.py\"]\nvariants = \"-juju29\"\n",
    ] {
        p.file("pyproject.toml", table);
        let out = p.run(&["check"]);
        assert_eq!(out.code, 2, "{table}: {}", out.describe());
    }
}
