use super::*;
use fanout_core::matrix::sample_entry;
use fanout_core::Runner;
use serde_json::{json, Value};

const JOB: &str =
    "docker:\n  - image: cimg/python:3.12\nresource_class: small\nenvironment:\n  LOG: debug\n\
                   steps:\n  - checkout\n  - run: python -m pytest $FANOUT_NODE_IDS\n";

fn options(template: &str) -> CircleciOptions {
    CircleciOptions {
        template: parse_template(template, DEFAULT_TEMPLATE).expect("a valid template"),
        workflow: DEFAULT_WORKFLOW.to_owned(),
        runners: Vec::new(),
    }
}

fn parse(text: &str) -> Value {
    serde_saphyr::from_str(text).expect("valid YAML")
}

#[test]
fn one_job_per_group_and_a_workflow_that_runs_them() {
    let mut m = Matrix {
        entries: vec![
            sample_entry("test_a.py", "1", 2),
            sample_entry("test_b.py", "x y", 1),
        ],
    };
    m.entries[1].runner = Some(Runner::Label("large".into()));
    let text = render(&m, &options(JOB)).expect("renders");
    assert!(text.starts_with(HEADER));
    let doc = parse(&text);
    assert_eq!(doc["version"], 2.1);
    let a = &doc["jobs"]["fanout-test_a_py_group_1"];
    assert_eq!(a["docker"][0]["image"], "cimg/python:3.12");
    assert_eq!(a["resource_class"], "small");
    assert_eq!(
        a["environment"],
        json!({
            "LOG": "debug",
            "FANOUT_JOB_NAME": "test_a.py | group 1",
            "FANOUT_TEST_FILE": "tests/test_a.py",
            "FANOUT_GROUP_ID": "1",
            "FANOUT_NODE_IDS": "tests/test_a.py::test_0 tests/test_a.py::test_1",
        })
    );
    let b = &doc["jobs"]["fanout-test_b_py_group_x_y"];
    assert_eq!(b["resource_class"], "large");
    assert_eq!(b["environment"]["FANOUT_RUNNER"], "large");
    assert_eq!(
        doc["workflows"]["fanout"]["jobs"],
        json!([
            {"fanout-test_a_py_group_1": {"name": "test_a.py | group 1"}},
            {"fanout-test_b_py_group_x_y": {"name": "test_b.py | group x y"}},
        ])
    );
}

#[test]
fn a_whole_configuration_keeps_its_orbs_executors_and_other_jobs() {
    let template = "version: 2.1\norbs:\n  python: circleci/python@2.1.1\nexecutors:\n  py:\n    docker:\n      - image: cimg/python:3.12\n\
                    jobs:\n  lint:\n    executor: py\n    steps: [checkout]\n  integration:\n    executor: py\n    steps:\n      - checkout\n      - run: pytest $FANOUT_NODE_IDS\n";
    let template = parse_template(template, "integration").expect("valid");
    let options = CircleciOptions {
        template,
        workflow: "tests".into(),
        runners: Vec::new(),
    };
    let doc = parse(
        &render(
            &Matrix {
                entries: vec![sample_entry("test_a.py", "1", 1)],
            },
            &options,
        )
        .expect("renders"),
    );
    assert_eq!(doc["orbs"]["python"], "circleci/python@2.1.1");
    assert_eq!(
        doc["executors"]["py"]["docker"][0]["image"],
        "cimg/python:3.12"
    );
    let jobs: Vec<&String> = doc["jobs"].as_object().expect("jobs").keys().collect();
    assert_eq!(jobs.len(), 2, "{jobs:?}");
    assert!(doc["jobs"]["lint"].is_object());
    assert_eq!(doc["jobs"]["fanout-test_a_py_group_1"]["executor"], "py");
    assert_eq!(
        doc["workflows"]["tests"]["jobs"],
        json!([{"fanout-test_a_py_group_1": {"name": "test_a.py | group 1"}}])
    );
}

#[test]
fn parameter_syntax_in_values_is_escaped() {
    let mut m = Matrix {
        entries: vec![sample_entry("test_a.py", "1", 1)],
    };
    m.entries[0].runner = Some(Runner::Label("<< pipeline.id >>".into()));
    let doc = parse(&render(&m, &options(JOB)).expect("renders"));
    let job = &doc["jobs"]["fanout-test_a_py_group_1"];
    assert_eq!(job["resource_class"], "\\<< pipeline.id >>");
    assert_eq!(job["environment"]["FANOUT_RUNNER"], "\\<< pipeline.id >>");
}

#[test]
fn templates_and_runners_that_cannot_work_are_refused() {
    for (template, says) in [
        ("- run: x\n", "a list"),
        ("docker: [{image: x}]\n", "no `steps:`"),
        ("steps: [checkout]\nparallelism: 4\n", "`parallelism`"),
        ("steps: [checkout]\nenvironment: [A=1]\n", "a list"),
        ("steps: [checkout]\nenvironment:\n  FANOUT_GROUP_ID: x\n", "FANOUT_GROUP_ID"),
        ("version: 2.1\njobs:\n  other:\n    steps: [checkout]\n", "no job `fanout-integration`"),
        ("version: 2.1\njobs:\n  fanout-integration:\n    steps: [checkout]\nworkflows: {}\n", "`workflows:`"),
        ("setup: true\njobs:\n  fanout-integration:\n    steps: [checkout]\n", "`setup:`"),
        ("jobs:\n  fanout-integration:\n    steps: [checkout]\n  fanout-x:\n    steps: [checkout]\n", "fanout-x"),
        ("steps: [x\n", "not YAML"),
    ] {
        let why = parse_template(template, DEFAULT_TEMPLATE).expect_err(template);
        assert!(why.contains(says), "{template}: {why}");
    }
    let mut m = Matrix {
        entries: vec![sample_entry("test_a.py", "1", 1)],
    };
    m.entries[0].runner = Some(Runner::Labels(vec!["large".into(), "gpu".into()]));
    let err = render(&m, &options(JOB)).expect_err("two labels");
    assert!(err.to_string().contains("one `resource_class`"), "{err}");
    assert!(
        err.hint()
            .is_some_and(|h| h.contains("[tool.fanout.circleci.runners] \"large gpu\"")),
        "{err:?}"
    );
    let mapped = CircleciOptions {
        runners: vec![("large gpu".into(), "acme/gpu".into())],
        ..options(JOB)
    };
    let doc = parse(&render(&m, &mapped).expect("mapped"));
    assert_eq!(
        doc["jobs"]["fanout-test_a_py_group_1"]["resource_class"],
        "acme/gpu"
    );
}

#[test]
fn options_are_checked() {
    let opts = |pairs: &[(&str, Value)]| -> BackendOptions {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    };
    for (pairs, says) in [
        (opts(&[]), "set `template-file"),
        (
            opts(&[("template-file", json!("/no/such.yml"))]),
            "cannot read",
        ),
        (
            opts(&[("workflow", json!("1st"))]),
            "cannot name a CircleCI workflow",
        ),
        (
            opts(&[("jobs", json!("x"))]),
            "unknown to the circleci backend",
        ),
    ] {
        let err = CircleciOptions::from_options(&pairs).expect_err(says);
        assert!(err.to_string().contains(says), "{err}");
    }
}

#[test]
fn an_empty_matrix_is_one_no_op_job() {
    let doc = parse(&render(&Matrix::default(), &options(JOB)).expect("renders"));
    assert_eq!(doc["jobs"], json!({NOOP_JOB: {"type": "no-op"}}));
    assert_eq!(doc["workflows"]["fanout"]["jobs"], json!([NOOP_JOB]));
}

#[test]
fn job_names_are_lower_case_and_unique_without_case() {
    let mut m = Matrix {
        entries: vec![
            sample_entry("Test_A.py", "1", 1),
            sample_entry("test_a.py", "1", 1),
        ],
    };
    m.entries[0].job_name = "Test_A.py | group 1".into();
    let doc = parse(&render(&m, &options(JOB)).expect("renders"));
    let names: Vec<&String> = doc["jobs"].as_object().expect("jobs").keys().collect();
    assert_eq!(names.len(), 2, "{names:?}");
    for name in names {
        assert_eq!(*name, name.to_ascii_lowercase());
    }
}

#[test]
fn a_configuration_over_8_mb_is_refused() {
    let m = Matrix {
        entries: (0..2000)
            .map(|i| sample_entry(&format!("test_{i}.py"), "1", 300))
            .collect(),
    };
    let err = render(&m, &options(JOB)).expect_err("too large");
    assert!(matches!(err, BackendError::TooLarge { .. }), "{err}");
}
