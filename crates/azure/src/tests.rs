use super::*;
use fanout_core::matrix::sample_entry;
use fanout_core::Runner;
use serde_json::json;

fn defaults() -> AzureOptions {
    AzureOptions::from_options(&BackendOptions::new()).expect("defaults")
}

/// The agent's reading of a `##vso[...]` line: the properties up to the first `]`, the value
/// unescaped (`%AZP25` last, so an escaped `%0A` stays text).
fn agent_reads(line: &str) -> (String, String) {
    let rest = line
        .strip_prefix("##vso[task.setvariable ")
        .expect("a setvariable command");
    let (props, value) = rest.split_once(']').expect("properties end");
    let value = value
        .replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%AZP25", "%");
    (props.to_owned(), value)
}

#[test]
fn two_output_variables_with_valid_leg_names() {
    let mut m = Matrix {
        entries: vec![
            sample_entry("test_a.py", "1", 2),
            sample_entry("1st.py", "x y", 1),
        ],
    };
    m.entries[1].job_name = "1st.py | group x y".into();
    let text = render(&m, &defaults()).expect("renders");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    let (props, value) = agent_reads(lines[0]);
    assert_eq!(props, "variable=matrix;isOutput=true");
    let matrix: Value = serde_json::from_str(&value).expect("JSON");
    assert_eq!(
        matrix,
        json!({
            "test_a_py_group_1": {
                "FANOUT_JOB_NAME": "test_a.py | group 1",
                "FANOUT_TEST_FILE": "tests/test_a.py",
                "FANOUT_GROUP_ID": "1",
                "FANOUT_NODE_IDS": "tests/test_a.py::test_0 tests/test_a.py::test_1",
            },
            "j_1st_py_group_x_y": {
                "FANOUT_JOB_NAME": "1st.py | group x y",
                "FANOUT_TEST_FILE": "tests/1st.py",
                "FANOUT_GROUP_ID": "x y",
                "FANOUT_NODE_IDS": "tests/1st.py::test_0",
            },
        })
    );
    assert_eq!(
        agent_reads(lines[1]),
        ("variable=count;isOutput=true".into(), "2".into())
    );
}

#[test]
fn percent_and_line_breaks_survive_the_agent() {
    let mut m = Matrix {
        entries: vec![sample_entry("test_a.py", "100%", 1)],
    };
    m.entries[0].runner = Some(Runner::Label("pool%0A\r\n]x".into()));
    let text = render(&m, &defaults()).expect("renders");
    let first = text.lines().next().expect("a line");
    assert_eq!(text.lines().count(), 2, "one line each: {text}");
    let (_, value) = agent_reads(first);
    let matrix: Value = serde_json::from_str(&value).expect("JSON");
    let leg = matrix
        .as_object()
        .and_then(|m| m.values().next())
        .expect("a leg");
    assert_eq!(leg["FANOUT_GROUP_ID"], "100%");
    assert_eq!(leg["FANOUT_POOL"], "pool%0A\r\n]x");
}

#[test]
fn pools_from_runner_marks() {
    let mut m = Matrix {
        entries: vec![
            sample_entry("test_a.py", "1", 1),
            sample_entry("test_b.py", "1", 1),
        ],
    };
    m.entries[0].runner = Some(Runner::Label("gpu-pool".into()));
    let err = render(&m, &defaults()).expect_err("no pool for test_b");
    assert!(
        err.hint().is_some_and(|h| h.contains("set `pool")),
        "{err:?}"
    );
    let options = AzureOptions {
        pool: Some("default".into()),
        ..defaults()
    };
    let by_leg = legs(&m, &options).expect("pools");
    assert_eq!(by_leg["test_a_py_group_1"]["FANOUT_POOL"], "gpu-pool");
    assert_eq!(by_leg["test_b_py_group_1"]["FANOUT_POOL"], "default");
    m.entries[0].runner = Some(Runner::Labels(vec!["a".into(), "b".into()]));
    let err = legs_err(&m, &options);
    assert!(err.contains("one pool"), "{err}");
    let mapped = AzureOptions {
        runners: vec![("a b".into(), "big".into())],
        ..options
    };
    assert_eq!(
        legs(&m, &mapped).expect("mapped")["test_a_py_group_1"]["FANOUT_POOL"],
        "big"
    );
    // Without runner marks or `pool`, the legs name no pool: the job's own applies.
    let plain = Matrix {
        entries: vec![sample_entry("test_a.py", "1", 1)],
    };
    assert!(
        legs(&plain, &defaults()).expect("legs")["test_a_py_group_1"]
            .get("FANOUT_POOL")
            .is_none()
    );
}

fn legs_err(m: &Matrix, options: &AzureOptions) -> String {
    legs(m, options).expect_err("refused").to_string()
}

#[test]
fn leg_names_differing_only_in_case_are_made_distinct() {
    let mut m = Matrix {
        entries: vec![
            sample_entry("test_a.py", "1", 1),
            sample_entry("Test_A.py", "1", 1),
        ],
    };
    m.entries[1].job_name = "Test_A.py | group 1".into();
    let by_leg = legs(&m, &defaults()).expect("legs");
    let names: Vec<String> = by_leg.keys().map(|k| k.to_ascii_lowercase()).collect();
    assert_eq!(names.len(), 2);
    assert_ne!(names[0], names[1]);
}

#[test]
fn options_and_the_empty_matrix() {
    let text = render(&Matrix::default(), &defaults()).expect("renders");
    assert_eq!(
        text,
        "##vso[task.setvariable variable=matrix;isOutput=true]{}\n\
         ##vso[task.setvariable variable=count;isOutput=true]0\n"
    );
    for (key, value, says) in [
        ("variable", json!("a;b"), "cannot name an output variable"),
        ("count-variable", json!("matrix"), "different names"),
        ("pool", json!(""), "is empty"),
        ("max-parallel", json!(2), "unknown to the azure backend"),
        ("max-jobs", json!("many"), "positive integer"),
    ] {
        let options: BackendOptions = [(key.to_owned(), value)].into_iter().collect();
        let err = AzureOptions::from_options(&options).expect_err(key);
        assert!(err.to_string().contains(says), "{err}");
    }
}

#[test]
fn over_max_jobs_is_refused() {
    let m = Matrix {
        entries: (0..=MAX_JOBS)
            .map(|i| sample_entry(&format!("test_{i}.py"), "1", 1))
            .collect(),
    };
    let err = render(&m, &defaults()).expect_err("257 legs");
    assert!(
        matches!(
            err,
            BackendError::TooManyJobs {
                count: 257,
                limit: 256,
                ..
            }
        ),
        "{err}"
    );
    let raised = AzureOptions {
        max_jobs: 300,
        ..defaults()
    };
    let text = render(&m, &raised).expect("raised");
    assert!(
        text.ends_with("variable=count;isOutput=true]257\n"),
        "{text}"
    );
}
