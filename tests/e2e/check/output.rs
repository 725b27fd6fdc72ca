//! Snapshots of the human and GitHub output (tests/e2e/check/snapshots/).

use crate::e2e::project::Project;

fn fixture() -> Project {
    let p = Project::new();
    p.file(
        "pytest.ini",
        "[pytest]\naddopts = --strict-markers\nmarkers =\n    slow: slow tests\n",
    )
    .file(
        "pyproject.toml",
        "[tool.pytest.ini_options]\nmarkers = [\"group(id): x\"]\n",
    )
    .file(
        "tests/test_deploy.py",
        r#"
        import pytest

        @pytest.mark.group(1)
        @pytest.mark.slow
        def test_deploy():
            pass

        @pytest.mark.gruop(2)
        def test_scale():
            pass

        @pytest.mark.group(0)
        async def verify_endpoints():
            pass
        "#,
    );
    p
}

#[test]
fn human_output() {
    let p = fixture();
    let out = p.run(&["check", "--format", "human"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("human", out.stdout);
}

#[test]
fn github_output_is_chosen_on_github_actions() {
    let p = fixture();
    let mut command = p.command_in("", &["check"]);
    command.env("GITHUB_ACTIONS", "true");
    let out = crate::e2e::project::run(command);
    assert_eq!(out.code, 1);
    assert!(out.stdout.starts_with("::"), "{}", out.stdout);
    insta::assert_snapshot!("github", out.stdout);
}

#[test]
fn diff_output() {
    let p = fixture();
    let out = p.run(&["check", "--diff"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("diff", out.stdout);
}

/// GitLab's Code Quality report: an array of findings with exactly the fields merge requests
/// read, each of the documented type.
#[test]
fn gitlab_code_quality_report() {
    let p = fixture();
    let out = p.run(&["check", "--format", "gitlab"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    let doc: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", out.describe()));
    let findings = doc.as_array().expect("a JSON array");
    assert!(!findings.is_empty(), "{}", out.stdout);
    let mut fingerprints = std::collections::BTreeSet::new();
    for f in findings {
        let keys: Vec<&str> = f
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "check_name",
                "description",
                "fingerprint",
                "location",
                "severity"
            ],
            "{f}"
        );
        assert!(
            f["description"].as_str().is_some_and(|s| !s.is_empty()),
            "{f}"
        );
        assert!(f["check_name"].is_string(), "{f}");
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&f["severity"].as_str().unwrap_or("")),
            "{f}"
        );
        let location = f["location"].as_object().expect("location object");
        assert!(
            location["path"]
                .as_str()
                .is_some_and(|p| !p.is_empty() && !p.starts_with('/')),
            "{f}"
        );
        assert!(
            location["lines"]["begin"].as_u64().is_some_and(|l| l >= 1),
            "{f}"
        );
        assert!(
            fingerprints.insert(f["fingerprint"].as_str().expect("string").to_owned()),
            "unique: {f}"
        );
    }
    let unknown = findings
        .iter()
        .find(|f| f["check_name"] == "unknown-marker")
        .expect("the misspelt marker is reported");
    assert_eq!(unknown["location"]["path"], "tests/test_deploy.py");
    assert_eq!(unknown["location"]["lines"]["begin"], 8);
}

#[test]
fn gitlab_report_of_a_clean_suite_is_an_empty_array() {
    let p = Project::new();
    p.file(
        "pyproject.toml",
        "[tool.pytest.ini_options]\nmarkers = [\"group(id): x\"]\n",
    )
    .file(
        "tests/test_a.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n",
    );
    let out = p.run(&["check", "--format", "gitlab"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(out.stdout, "[]\n");
}
