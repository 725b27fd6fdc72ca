//! `fanout matrix --backend json`: one job per (file, group), its fields and their order.

use serde_json::Value;

use crate::e2e::project::Project;

fn suite() -> Project {
    let p = Project::new();
    p.file("pytest.ini", "[pytest]\n")
        .file(
            "tests/integration/test_charm.py",
            r#"
            import pytest

            @pytest.mark.group("smoke")
            def test_smoke():
                pass

            @pytest.mark.group(10)
            def test_ten():
                pass

            @pytest.mark.group(2)
            def test_two_b():
                pass

            @pytest.mark.group("alpha")
            def test_alpha():
                pass

            @pytest.mark.group(2)
            def test_two_a():
                pass

            @pytest.mark.group(id="large deployment")
            def test_large():
                pass
            "#,
        )
        .file(
            "tests/integration/relations/test_database.py",
            r#"
            import pytest

            @pytest.mark.runner(["self-hosted", "large"])
            @pytest.mark.group(1)
            def test_relate():
                pass

            @pytest.mark.group(1)
            @pytest.mark.runner(["self-hosted", "large"])
            def test_units():
                pass
            "#,
        );
    p
}

fn matrix_json(p: &Project, args: &[&str]) -> Value {
    let mut all = vec!["matrix", "--backend", "json"];
    all.extend_from_slice(args);
    let out = p.run(&all);
    assert_eq!(out.code, 0, "{}", out.describe());
    let doc: Value = serde_json::from_str(&out.stdout).expect("matrix JSON parses");
    assert_eq!(doc["schema"], 1);
    doc
}

fn field<'a>(doc: &'a Value, name: &str) -> Vec<&'a Value> {
    doc["groups"]
        .as_array()
        .expect("groups is an array")
        .iter()
        .map(|g| &g[name])
        .collect()
}

#[test]
fn jobs_are_ordered_by_path_then_int_ids_then_string_ids() {
    let p = suite();
    let doc = matrix_json(&p, &["tests/integration"]);
    let jobs: Vec<(String, String)> = doc["groups"]
        .as_array()
        .expect("groups is an array")
        .iter()
        .map(|g| {
            (
                g["path_to_test_file"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                g["group_id"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("tests/integration/relations/test_database.py", "1"),
        ("tests/integration/test_charm.py", "2"),
        ("tests/integration/test_charm.py", "10"),
        ("tests/integration/test_charm.py", "alpha"),
        ("tests/integration/test_charm.py", "large deployment"),
        ("tests/integration/test_charm.py", "smoke"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    assert_eq!(jobs, expected);
}

#[test]
fn entry_fields() {
    let p = suite();
    let doc = matrix_json(&p, &["tests/integration"]);
    let groups = doc["groups"].as_array().expect("groups is an array");
    let db = &groups[0];
    assert_eq!(db["group_number"], 1, "int ids also appear as numbers");
    assert_eq!(db["job_name"], "relations/test_database.py | group 1");
    assert_eq!(
        db["node_ids"],
        serde_json::json!(["tests/integration/relations/test_database.py"]),
        "a job with every test of its file names the file"
    );
    assert_eq!(db["runner"], serde_json::json!(["self-hosted", "large"]));
    let two = &groups[1];
    assert_eq!(
        two["node_ids"],
        serde_json::json!([
            "tests/integration/test_charm.py::test_two_b",
            "tests/integration/test_charm.py::test_two_a"
        ]),
        "node ids in file order"
    );
    assert!(
        two.get("runner").is_none(),
        "no runner mark, no runner field"
    );
    let smoke = &groups[5];
    assert!(
        smoke.get("group_number").is_none(),
        "string ids have no group_number"
    );
    assert_eq!(smoke["job_name"], "test_charm.py | group smoke");
    for group in groups {
        let artifact = group["artifact_group_id"].as_str().expect("a string");
        assert!(!artifact.is_empty());
        assert!(
            artifact
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
            "artifact_group_id {artifact:?} is safe in artifact names"
        );
    }
    let artifacts: std::collections::BTreeSet<&str> = field(&doc, "artifact_group_id")
        .into_iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(artifacts.len(), groups.len(), "artifact ids are distinct");
}

#[test]
fn output_file_and_selection() {
    let p = suite();
    let out = p.run(&[
        "matrix",
        "tests/integration",
        "--backend",
        "json",
        "--output",
        "m.json",
        "-m",
        "runner",
    ]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(
        out.stdout.trim().is_empty(),
        "--output writes the file, not stdout"
    );
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(p.join("m.json")).expect("written"))
            .expect("JSON");
    assert_eq!(field(&doc, "group_id"), [&Value::from("1")]);
}

#[test]
fn runner_conflict_in_one_group() {
    let p = Project::new();
    p.file(
        "tests/test_runners.py",
        r#"
        import pytest

        @pytest.mark.group(1)
        @pytest.mark.runner("large")
        def test_large():
            pass

        @pytest.mark.group(1)
        @pytest.mark.runner("small")
        def test_small():
            pass
        "#,
    );
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(
        out.stdout.trim().is_empty(),
        "no matrix written: {}",
        out.stdout
    );
    assert!(
        out.stderr.contains("error[runner-conflict]"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("test_small"),
        "names the test: {}",
        out.stderr
    );
}

#[test]
fn over_256_jobs_are_refused() {
    let p = Project::new();
    let mut text = String::from("import pytest\n");
    for n in 1..=257 {
        text.push_str(&format!(
            "\n@pytest.mark.group({n})\ndef test_{n}():\n    pass\n"
        ));
    }
    p.file("tests/test_many.py", &text);
    let summary = p.join("summary.md");
    let output = p.join("github_output");
    let mut command = p.command_in("", &["matrix", "--backend", "github"]);
    command
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary);
    let out = crate::e2e::project::run(command);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(out.stderr.contains("256"), "says the limit: {}", out.stderr);
    assert!(!output.exists() && !summary.exists(), "nothing written");
    // 256 is still fine.
    p.file(
        "tests/test_many.py",
        &text.replace("@pytest.mark.group(257)", "@pytest.mark.group(256)"),
    );
    let out = p.run(&["matrix", "--backend", "github"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(out.stdout.contains("count=256\n"), "{}", out.stdout);
}

/// A `--backend-option` the backend does not have is refused, as the same key in
/// `[tool.fanout.<backend>]` is, instead of being ignored.
#[test]
fn backend_options_a_backend_does_not_have_are_refused() {
    let p = suite();
    for backend in ["github", "json"] {
        let out = p.run(&[
            "matrix",
            "tests/integration",
            "--backend",
            backend,
            "--backend-option",
            "job-prefix=x",
        ]);
        assert_eq!(out.code, 2, "{}", out.describe());
        assert!(
            out.stderr
                .contains("option `job-prefix`: this backend has no settings")
                && out.stdout.is_empty(),
            "{}",
            out.describe()
        );
    }
}

/// Case ids that `pytest $NODE_IDS` would split, expand or glob: the job is refused, naming the
/// id and how to fix it; a function whose cases share one job is named whole, so its odd case
/// ids never reach the shell; safe case ids pass through the shell unchanged.
#[test]
fn case_ids_follow_the_shell_safety_policy() {
    for (case_id, c) in [
        ("a b", "' '"),
        ("$CI_JOB_TOKEN", "'$'"),
        ("*", "'*'"),
        ("a;b", "';'"),
    ] {
        let p = Project::new();
        p.file(
            "tests/test_p.py",
            &format!(
                r#"
                import pytest

                @pytest.mark.parametrize("x", [
                    pytest.param(1, id={case_id:?}, marks=pytest.mark.group(1)),
                    pytest.param(2, id="two", marks=pytest.mark.group(2)),
                ])
                def test_x(x):
                    pass
                "#
            ),
        );
        let out = p.run(&["matrix", "--backend", "json"]);
        assert_eq!(out.code, 1, "{case_id}: {}", out.describe());
        assert!(
            out.stderr.contains(&format!(
                "node id `tests/test_p.py::test_x[{case_id}]` is unsafe in a CI shell line (`pytest $NODE_IDS`): {c}"
            )),
            "{case_id}: {}",
            out.describe()
        );
        assert!(
            out.stderr.contains("pytest.param(..., id="),
            "{}",
            out.stderr
        );

        // One group for both cases: the job names the function, nothing unsafe is written.
        p.file(
            "tests/test_p.py",
            &format!(
                r#"
                import pytest

                @pytest.mark.group(1)
                @pytest.mark.parametrize("x", [pytest.param(1, id={case_id:?}), 2])
                def test_x(x):
                    pass
                "#
            ),
        );
        let doc = matrix_json(&p, &[]);
        assert_eq!(
            doc["groups"][0]["node_ids"],
            serde_json::json!(["tests/test_p.py"]),
            "{case_id}"
        );
    }
    // Safe case ids survive the shell's word splitting and globbing unchanged.
    let p = Project::new();
    p.file(
        "tests/test_p.py",
        r#"
        import pytest

        @pytest.mark.parametrize("x", [
            pytest.param(1, id="large-db", marks=pytest.mark.group(1)),
            pytest.param(2, id="small_db.v2", marks=pytest.mark.group(2)),
        ])
        def test_x(x):
            pass
        "#,
    );
    let doc = matrix_json(&p, &[]);
    for group in doc["groups"].as_array().expect("groups") {
        let ids: Vec<&str> = group["node_ids"]
            .as_array()
            .expect("ids")
            .iter()
            .map(|v| v.as_str().expect("str"))
            .collect();
        let echoed = std::process::Command::new("sh")
            .args(["-c", "printf '%s\\n' $NODE_IDS"])
            .env("NODE_IDS", ids.join(" "))
            .current_dir(p.path())
            .output()
            .expect("sh");
        assert_eq!(
            String::from_utf8_lossy(&echoed.stdout)
                .lines()
                .collect::<Vec<_>>(),
            ids
        );
    }
}
