use super::*;
use fanout_core::matrix::sample_entry;
use fanout_core::Runner;
use serde_json::{json, Value};

fn options(pairs: &[(&str, Value)]) -> BackendOptions {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn defaults() -> BuildkiteOptions {
    BuildkiteOptions::from_options(&BackendOptions::new()).expect("defaults")
}

fn parse(text: &str) -> Value {
    serde_saphyr::from_str(text).expect("valid YAML")
}

#[test]
fn one_step_per_job_with_the_variables() {
    let mut m = Matrix {
        entries: vec![
            sample_entry("test_a.py", "1", 2),
            sample_entry("test_b.py", "x y", 1),
        ],
    };
    m.entries[1].runner = Some(Runner::Labels(vec!["gpu".into(), "os=linux".into()]));
    let text = render(&m, &defaults()).expect("renders");
    assert!(text.starts_with(HEADER));
    let doc = parse(&text);
    let steps = doc["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0]["label"], "test_a.py | group 1");
    assert_eq!(steps[0]["key"], "fanout-test_a_py_group_1");
    assert_eq!(steps[0]["command"], DEFAULT_COMMAND);
    assert_eq!(
        steps[0]["env"],
        json!({
            "FANOUT_JOB_NAME": "test_a.py | group 1",
            "FANOUT_TEST_FILE": "tests/test_a.py",
            "FANOUT_GROUP_ID": "1",
            "FANOUT_NODE_IDS": "tests/test_a.py::test_0 tests/test_a.py::test_1",
        })
    );
    assert!(steps[0].get("agents").is_none());
    assert_eq!(steps[1]["agents"], json!({"queue": "gpu", "os": "linux"}));
    assert_eq!(steps[1]["env"]["FANOUT_RUNNER"], "gpu os=linux");
}

#[test]
fn dollars_are_doubled_in_every_value_fanout_writes() {
    let mut m = Matrix {
        entries: vec![sample_entry("test_a.py", "$HOME", 1)],
    };
    m.entries[0].runner = Some(Runner::Labels(vec!["$(id)".into(), "$os=${x}".into()]));
    let doc = parse(&render(&m, &defaults()).expect("renders"));
    let step = &doc["steps"][0];
    assert_eq!(step["label"], "test_a.py | group $$HOME");
    assert_eq!(step["env"]["FANOUT_GROUP_ID"], "$$HOME");
    assert_eq!(step["agents"], json!({"queue": "$$(id)", "$$os": "$${x}"}));
    m.entries[0].runner = Some(Runner::Label("a\\$b".into()));
    let err = render(&m, &defaults()).expect_err("\\$ cannot be written");
    assert!(err.to_string().contains("no spelling"), "{err}");
    let key = step["key"].as_str().expect("a key");
    assert!(
        key.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c)),
        "{key}"
    );
}

#[test]
fn the_template_is_kept_and_merged() {
    let fields = parse_template(
        "# the step\nplugins:\n  - docker#v5.0.0:\n      image: python:3.12\ncommand: pytest $$FANOUT_NODE_IDS\n\
         timeout_in_minutes: 60\nenv:\n  LOG: debug\nagents:\n  queue: default\n  os: linux\n",
    )
    .expect("a valid template");
    let options = BuildkiteOptions {
        template: fields,
        runner_tag: "queue".into(),
        runners: Vec::new(),
        max_jobs: MAX_JOBS,
    };
    let mut m = Matrix {
        entries: vec![
            sample_entry("test_a.py", "1", 1),
            sample_entry("test_b.py", "1", 1),
        ],
    };
    m.entries[0].runner = Some(Runner::Label("big".into()));
    let doc = parse(&render(&m, &options).expect("renders"));
    let steps = doc["steps"].as_array().expect("steps");
    assert_eq!(steps[0]["timeout_in_minutes"], 60, "numbers stay numbers");
    assert_eq!(
        steps[0]["plugins"][0]["docker#v5.0.0"]["image"],
        "python:3.12"
    );
    assert_eq!(steps[0]["env"]["LOG"], "debug");
    assert_eq!(steps[0]["agents"], json!({"queue": "big", "os": "linux"}));
    assert_eq!(
        steps[1]["agents"],
        json!({"queue": "default", "os": "linux"})
    );
}

#[test]
fn templates_that_cannot_work_are_refused() {
    for (template, says) in [
        ("command: pytest $FANOUT_NODE_IDS\n", "$$FANOUT_NODE_IDS"),
        ("command: pytest ${FANOUT_NODE_IDS}\n", "$$FANOUT_NODE_IDS"),
        ("- command: x\n", "a list"),
        ("plugins: []\n", "no `command`"),
        ("command: x\nkey: mine\n", "`key`"),
        ("command: x\nparallelism: 3\n", "`parallelism`"),
        ("command: x\nenv: [A=1]\n", "`env` is a list"),
        (
            "command: x\nenv:\n  FANOUT_NODE_IDS: x\n",
            "FANOUT_NODE_IDS",
        ),
        ("command: [x\n", "not YAML"),
    ] {
        let why = parse_template(template).expect_err(template);
        assert!(why.contains(says), "{template}: {why}");
    }
    // Escaped forms are the job shell's.
    for template in [
        "command: pytest $$FANOUT_NODE_IDS\n",
        "command: pytest \\$FANOUT_NODE_IDS\n",
    ] {
        parse_template(template).expect(template);
    }
}

#[test]
fn runner_labels_that_cannot_map_are_refused() {
    for labels in [vec!["a", "b"], vec!["=x"], vec!["os=linux", "os=mac"]] {
        let mut m = Matrix {
            entries: vec![sample_entry("test_a.py", "1", 1)],
        };
        m.entries[0].runner = Some(Runner::Labels(
            labels.iter().map(|l| (*l).to_owned()).collect(),
        ));
        let err = render(&m, &defaults()).expect_err("refused");
        assert!(
            err.to_string()
                .contains("runner mark of `test_a.py | group 1`"),
            "{err}"
        );
    }
}

#[test]
fn the_runners_table_maps_labels_to_agent_tags() {
    let table = json!({"self-hosted  large": {"queue": "big", "os": "linux"}});
    let options = BuildkiteOptions::from_options(&options(&[("runners", table)])).expect("valid");
    let mut m = Matrix {
        entries: vec![
            sample_entry("test_a.py", "1", 1),
            sample_entry("test_b.py", "1", 1),
        ],
    };
    m.entries[0].runner = Some(Runner::Labels(vec!["self-hosted".into(), "large".into()]));
    m.entries[1].runner = Some(Runner::Labels(vec!["large".into(), "self-hosted".into()]));
    let err = render(&m, &options).expect_err("another order is another mark");
    assert_eq!(
        err.hint(),
        Some(
            "keep one label per tag, or map these labels to agent tags in pyproject.toml: \
             [tool.fanout.buildkite.runners] \"large self-hosted\" = { queue = \"...\" }"
        )
    );
    m.entries.pop();
    let doc = parse(&render(&m, &options).expect("renders"));
    assert_eq!(
        doc["steps"][0]["agents"],
        json!({"queue": "big", "os": "linux"})
    );
    for (table, says) in [
        (json!("queue=x"), "a table of runner labels"),
        (
            json!({"a": "queue=x"}),
            "`a`: expected a table of agent tags",
        ),
        (json!({"a": {}}), "`a`: names no agent tag"),
        (json!({"a": {"queue": 1}}), "expected a string"),
    ] {
        let err = BuildkiteOptions::from_options(&options_of(table)).expect_err(says);
        assert!(err.to_string().contains(says), "{err}");
    }
}

fn options_of(runners: Value) -> BackendOptions {
    options(&[("runners", runners)])
}

/// The documents of a multi-document stream, as the agent splits them.
fn documents(text: &str) -> Vec<Value> {
    let body = text.strip_prefix(HEADER).expect("the header");
    let parts: Vec<&str> = match body.strip_prefix("---\n") {
        Some(documents) => documents.split("\n---\n").collect(),
        None => vec![body],
    };
    parts.into_iter().map(parse).collect()
}

#[test]
fn over_500_jobs_are_several_uploads_and_over_max_jobs_is_refused() {
    let m = Matrix {
        entries: (0..1001)
            .map(|i| sample_entry(&format!("test_{i}.py"), "1", 1))
            .collect(),
    };
    let docs = documents(&render(&m, &defaults()).expect("renders"));
    let sizes: Vec<usize> = docs
        .iter()
        .map(|d| d["steps"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [500, 500, 1]);
    assert_eq!(docs[2]["steps"][0]["label"], "test_1000.py | group 1");
    let exact = Matrix {
        entries: m.entries[..UPLOAD_JOBS].to_vec(),
    };
    let text = render(&exact, &defaults()).expect("renders");
    assert!(!text.contains("---"), "one document");
    let capped = BuildkiteOptions {
        max_jobs: 1000,
        ..defaults()
    };
    let err = render(&m, &capped).expect_err("over max-jobs");
    assert!(
        matches!(
            err,
            BackendError::TooManyJobs {
                count: 1001,
                limit: 1000,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn options_are_checked() {
    for (key, value, says) in [
        ("max-jobs", json!(0), "positive integer"),
        ("runner-tag", json!("a b"), "agent tag"),
        (
            "templat-file",
            json!("x"),
            "unknown to the buildkite backend",
        ),
        ("template-file", json!("/no/such/file.yml"), "cannot read"),
    ] {
        let err = BuildkiteOptions::from_options(&options(&[(key, value)])).expect_err(key);
        assert!(err.to_string().contains(says), "{err}");
    }
}

#[test]
fn an_empty_matrix_is_one_step_that_says_so() {
    let doc = parse(&render(&Matrix::default(), &defaults()).expect("renders"));
    let steps = doc["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0]["skip"], "fanout: no tests were selected");
}
