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
