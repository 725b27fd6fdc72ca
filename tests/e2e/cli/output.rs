//! Human output of `collect`, colour, and `max-jobs`.

use crate::e2e::project::Project;

fn suite() -> Project {
    let p = Project::new();
    p.file(
        "tests/test_deploy.py",
        r#"
        import pytest

        pytestmark = pytest.mark.group("mod")

        @pytest.mark.group(1)
        def test_one():
            pass

        @pytest.mark.slow
        def test_two():
            pass

        class TestThree:
            pytestmark = pytest.mark.group(3)

            def test_method(self):
                pass
        "#,
    );
    p
}

#[test]
fn collect_lists_each_test_with_its_group_and_a_summary() {
    let p = suite();
    let out = p.run(&["collect", "-m", "not slow"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert!(
        lines[0].starts_with("tests/test_deploy.py::test_one "),
        "{}",
        out.stdout
    );
    assert!(lines[0].ends_with("group 1 (function)"), "{}", out.stdout);
    assert!(lines[1].ends_with("group 3 (class)"), "{}", out.stdout);
    assert_eq!(
        lines[2],
        "2 tests, 2 (file, group) jobs, 1 file, 1 deselected by -m"
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let p = Project::new();
    p.file(
        "tests/test_bad.py",
        "import pytest\n\n@pytest.mark.group(make())\ndef test_a():\n    pass\n",
    );
    let plain = p.run(&["collect"]);
    assert_eq!(plain.code, 1, "{}", plain.describe());
    assert!(
        !plain.stderr.contains('\u{1b}'),
        "no colour into a pipe: {}",
        plain.stderr
    );
    assert!(
        plain
            .stderr
            .contains("tests/test_bad.py:3:20: error[dynamic-group-id]"),
        "{}",
        plain.stderr
    );
    let coloured = p.run(&["collect", "--color", "always"]);
    assert!(
        coloured
            .stderr
            .contains("\u{1b}[31merror[dynamic-group-id]:"),
        "{}",
        coloured.stderr
    );
}

#[test]
fn max_jobs_refuses_a_larger_matrix() {
    let p = suite();
    p.file("pyproject.toml", "[tool.fanout]\nmax-jobs = 2\n");
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(out.stdout.is_empty(), "nothing written: {}", out.stdout);
    assert!(
        out.stderr.contains("3 jobs exceed `max-jobs = 2`"),
        "{}",
        out.stderr
    );
    p.file("pyproject.toml", "[tool.fanout]\nmax-jobs = 3\n");
    assert_eq!(p.run(&["matrix", "--backend", "json"]).code, 0);
}

#[test]
fn options_taken_from_addopts_and_the_environment_say_where_they_came_from() {
    let p = suite();
    p.file(
        "pyproject.toml",
        "[tool.pytest.ini_options]\naddopts = \"-m 'not slow' --deselect tests/x.py\"\n",
    );
    let mut command = p.command_in("", &["collect"]);
    command.env("PYTEST_ADDOPTS", "-m group");
    let out = crate::e2e::project::run(command);
    assert_eq!(out.code, 0, "{}", out.describe());
    let notes: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("note:"))
        .collect();
    assert_eq!(
        notes,
        [
            "note: using `-m 'not slow'` from addopts in pyproject.toml",
            "note: using `--deselect 'tests/x.py'` from addopts in pyproject.toml",
            "note: using `-m 'group'` from PYTEST_ADDOPTS",
        ],
        "{}",
        out.stderr
    );
    let out = p.run(&["collect", "-m", "slow"]);
    assert!(
        out.stderr
            .contains("using `-m 'not slow'` from addopts in pyproject.toml (overridden by -m on the command line)"),
        "{}",
        out.stderr
    );
}
