//! Files fanout rewrites (`plan --write`, `check --fix`, `--output`) and appends to
//! (`$GITHUB_OUTPUT`): never a user's edit lost, never a file half written, a file's mode and
//! links kept.

use std::io::Read as _;
use std::os::unix::fs::{symlink, PermissionsExt as _};
use std::process::Stdio;

use crate::e2e::planning as super_planning;
use crate::e2e::planning::plan::{measured_project, MARKERS, ONE_GROUP};
use crate::e2e::planning::{job, timings};
use crate::e2e::project::{run, Project};

const PLAN_WRITE: [&str; 4] = ["plan", "--timings", "timings.json", "--write"];

fn mode(p: &Project, rel: &str) -> u32 {
    std::fs::metadata(p.join(rel))
        .expect("metadata")
        .permissions()
        .mode()
        & 0o7777
}

fn chmod(p: &Project, rel: &str, mode: u32) {
    std::fs::set_permissions(p.join(rel), std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn read(p: &Project, rel: &str) -> String {
    std::fs::read_to_string(p.join(rel)).expect("reading")
}

#[test]
fn plan_write_keeps_the_files_mode() {
    let p = measured_project(MARKERS, ONE_GROUP);
    chmod(&p, "tests/test_db.py", 0o750);
    let out = p.run(&PLAN_WRITE);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_ne!(read(&p, "tests/test_db.py"), ONE_GROUP, "rewritten");
    assert_eq!(mode(&p, "tests/test_db.py"), 0o750);
}

#[test]
fn plan_write_refuses_a_read_only_file_and_leaves_it() {
    let p = measured_project(MARKERS, ONE_GROUP);
    chmod(&p, "tests/test_db.py", 0o444);
    let out = p.run(&PLAN_WRITE);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr
            .contains("tests/test_db.py is read-only, so fanout leaves it as it is"),
        "{}",
        out.describe()
    );
    assert!(
        !out.stderr.contains("group marks written"),
        "{}",
        out.stderr
    );
    assert_eq!(read(&p, "tests/test_db.py"), ONE_GROUP);
    assert_eq!(mode(&p, "tests/test_db.py"), 0o444);
}

#[test]
fn plan_write_edits_a_symlinks_target_and_keeps_the_link() {
    let p = measured_project(MARKERS, ONE_GROUP);
    std::fs::create_dir_all(p.join("shared")).expect("mkdir");
    std::fs::rename(p.join("tests/test_db.py"), p.join("shared/test_db.py")).expect("mv");
    symlink("../shared/test_db.py", p.join("tests/test_db.py")).expect("symlink");
    let out = p.run(&PLAN_WRITE);
    assert_eq!(out.code, 0, "{}", out.describe());
    let link = std::fs::symlink_metadata(p.join("tests/test_db.py")).expect("lstat");
    assert!(link.file_type().is_symlink(), "still a link");
    assert_ne!(
        read(&p, "shared/test_db.py"),
        ONE_GROUP,
        "the target edited"
    );
    assert!(read(&p, "shared/test_db.py").contains("@pytest.mark.group(2)"));
}

#[test]
fn check_fix_keeps_the_config_files_mode_and_refuses_a_read_only_one() {
    let p = Project::new();
    p.file(
        "pyproject.toml",
        "[tool.pytest.ini_options]\naddopts = \"-q\"\n",
    )
    .file(
        "tests/test_a.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n",
    );
    chmod(&p, "pyproject.toml", 0o640);
    let out = p.run(&["check", "--fix"]);
    assert!(
        out.stderr.contains("registered `group`"),
        "{}",
        out.describe()
    );
    assert!(read(&p, "pyproject.toml").contains("markers"));
    assert_eq!(mode(&p, "pyproject.toml"), 0o640);

    let q = Project::new();
    q.file(
        "pyproject.toml",
        "[tool.pytest.ini_options]\naddopts = \"-q\"\n",
    )
    .file(
        "tests/test_a.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n",
    );
    chmod(&q, "pyproject.toml", 0o444);
    let out = q.run(&["check", "--fix"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(
        out.stderr.contains("pyproject.toml is read-only"),
        "{}",
        out.describe()
    );
    assert_eq!(
        read(&q, "pyproject.toml"),
        "[tool.pytest.ini_options]\naddopts = \"-q\"\n"
    );
}

#[test]
fn matrix_output_through_a_symlink_writes_its_target() {
    let p = Project::new();
    p.file(
        "tests/test_a.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n",
    )
    .file("out/real.json", "old\n");
    symlink("out/real.json", p.join("matrix.json")).expect("symlink");
    let out = p.run(&["matrix", "--backend", "json", "--output", "matrix.json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(std::fs::symlink_metadata(p.join("matrix.json"))
        .expect("lstat")
        .file_type()
        .is_symlink());
    assert!(read(&p, "out/real.json").contains("test_a.py"));
}

/// A user edit made while `plan --write` runs, after fanout read the file and before it writes:
/// fanout is held at its output (a pipe the test stops reading, with more than a pipe's worth
/// still to write) while the test edits the file, then let go.
#[test]
fn plan_write_does_not_overwrite_an_edit_made_while_it_ran() {
    let p = Project::new();
    // Enough tests with long names that the plan's text is several pipe buffers long.
    let mut source = String::from("import pytest\n");
    let mut measured = Vec::new();
    for i in 0..3000 {
        let name = format!("test_a_rather_long_name_so_the_plan_lists_many_bytes_{i:05}");
        source.push_str(&format!(
            "\n\n@pytest.mark.group(1)\ndef {name}():\n    pass\n"
        ));
        measured.push((
            format!("tests/test_big.py::{name}"),
            0.5,
            if i % 2 == 0 { 100.0 } else { 1.0 },
        ));
    }
    let measured: Vec<(&str, f64, f64)> = measured
        .iter()
        .map(|(i, s, c)| (i.as_str(), *s, *c))
        .collect();
    p.file("pyproject.toml", MARKERS)
        .bytes("tests/test_big.py", source.as_bytes())
        .file(
            "timings.json",
            &timings(&[job("big", "tests/test_big.py", &measured)]),
        );
    let mut child = p
        .command_in("", &PLAN_WRITE)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning fanout");
    let mut stdout = child.stdout.take().expect("piped");
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).expect("the plan starts");
    // fanout has read the file (the plan's text comes after the edits are made) and cannot
    // reach the write until the rest of its output is read.
    let edited = format!("{source}\n# an edit made meanwhile\n");
    std::fs::write(p.join("tests/test_big.py"), &edited).expect("editing");
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).expect("the rest of the plan");
    let output = child.wait_with_output().expect("waiting");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        rest.len() > 128 << 10,
        "the plan outgrew the pipe: {} bytes",
        rest.len()
    );
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("tests/test_big.py changed on disk after fanout read it"),
        "{stderr}"
    );
    assert_eq!(read(&p, "tests/test_big.py"), edited, "the edit is kept");
}

/// `$GITHUB_OUTPUT` on a disk that fills up half-way through fanout's lines: the file goes back
/// to what it held, never a partial `groups=` line for the runner to read.
#[test]
fn a_failed_append_to_github_output_leaves_the_file_as_it_was() {
    let p = crate::e2e::gitlab::examples();
    let before = "earlier=step output\n".repeat(20);
    p.file("github_output", &before);
    // A file size limit of 1 KiB (fanout's lines are several): writes past it fail with
    // EFBIG, as on a full disk, once SIGXFSZ is ignored (an ignored signal stays so in exec).
    let mut shell = std::process::Command::new("sh");
    shell
        .args(["-c", "trap '' XFSZ; ulimit -f 2; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_fanout"))
        .args(["matrix", "--backend", "github"])
        .current_dir(p.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .env("GITHUB_OUTPUT", p.join("github_output"));
    let out = run(shell);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(out.stderr.contains("github_output"), "{}", out.describe());
    assert_eq!(read(&p, "github_output"), before);
}

/// The measured suite of `plan::ONE_GROUP` with its marks spelled `spelled` (`pytest.mark`
/// replaced), and the plan written: each mark is renumbered where it stands, pytest agrees, and
/// `fanout check` is clean.
fn write_through_an_alias(header: &str, spelled: &str) {
    let source = ONE_GROUP
        .replace("import pytest\n", header)
        .replace("@pytest.mark.group(", &format!("@{spelled}("));
    let p = measured_project(MARKERS, &source);
    let out = p.run(&PLAN_WRITE);
    assert_eq!(out.code, 0, "{header}: {}", out.describe());
    let after = read(&p, "tests/test_db.py");
    assert_eq!(
        after,
        source
            .replace(
                &format!("@{spelled}(1)\ndef test_upgrade"),
                &format!("@{spelled}(2)\ndef test_upgrade")
            )
            .replace(
                &format!("@{spelled}(1)\ndef test_check"),
                &format!("@{spelled}(2)\ndef test_check")
            ),
        "{header}: renumbered in place, no second mark"
    );
    let check = p.run(&["check"]);
    assert_eq!(check.code, 0, "{header}: {}", check.describe());
    let pytest = crate::support::pytest_oracle::pytest_collect(&p.path(), &[]);
    let groups: Vec<serde_json::Value> = pytest
        .items
        .iter()
        .map(|i| {
            i.group
                .as_ref()
                .map_or(serde_json::Value::Null, |g| g.args[0].clone())
        })
        .collect();
    assert_eq!(
        groups,
        [1, 1, 1, 2, 2].map(serde_json::Value::from),
        "{header}"
    );
}

#[test]
fn plan_write_renumbers_marks_spelled_through_an_alias() {
    write_through_an_alias("import pytest\nfrom pytest import mark as m\n", "m.group");
    write_through_an_alias("import pytest\n\ngroup = pytest.mark.group\n", "group");
    write_through_an_alias("import pytest\nimport pytest as pt\n", "pt.mark.group");
}

/// Plans `source` (tests of `plan::MEASURED`) with `--write`: a test that cannot be rewritten
/// leaves its file as it was, is named, and the command fails; so does a second run.
fn assert_not_rewritten(pyproject: &str, source: &str, test: &str, why: &str) {
    let p = measured_project(pyproject, source);
    for attempt in ["first", "second"] {
        let out = p.run(&PLAN_WRITE);
        assert_eq!(out.code, 1, "{attempt} run: {}", out.describe());
        assert!(
            out.stderr.contains("warning[not-rewritten]")
                && out
                    .stderr
                    .contains(&format!("`{test}` not rewritten: {why}")),
            "{attempt} run: {}",
            out.describe()
        );
        assert!(
            out.stderr.contains("plan: not written: tests/test_db.py"),
            "{}",
            out.describe()
        );
        assert!(!out.stderr.contains("already match"), "{}", out.describe());
        assert!(
            !out.stderr.contains("group marks written"),
            "{}",
            out.describe()
        );
        assert_eq!(
            read(&p, "tests/test_db.py"),
            source,
            "{attempt}: left whole"
        );
    }
    let diff = p.run(&["plan", "--timings", "timings.json", "--diff"]);
    assert_eq!(diff.code, 1, "{}", diff.describe());
}

#[test]
fn plan_write_reports_a_test_under_a_module_level_if() {
    let source = ONE_GROUP.replace(
        "@pytest.mark.group(1)\ndef test_upgrade():\n    pass\n",
        "if True:\n    @pytest.mark.group(1)\n    def test_upgrade():\n        pass\n",
    );
    assert_not_rewritten(MARKERS, &source, "test_upgrade", "defined under an `if`");
}

#[test]
fn plan_write_reports_an_inherited_test() {
    // TestLater inherits test_upgrade and test_check from Base, which is in group 1 itself.
    let source = "import pytest\n\n\n@pytest.mark.group(1)\ndef test_deploy():\n    pass\n\n\n@pytest.mark.group(1)\ndef test_scale():\n    pass\n\n\n@pytest.mark.group(1)\ndef test_status():\n    pass\n\n\nclass Base:\n    @pytest.mark.group(1)\n    def test_upgrade(self):\n        pass\n\n    @pytest.mark.group(1)\n    def test_check(self):\n        pass\n\n\nclass TestLater(Base):\n    pass\n";
    let measured: Vec<(String, f64, f64)> = super_planning::plan::MEASURED
        .iter()
        .map(|(id, s, c)| {
            (
                id.replace("::test_upgrade", "::TestLater::test_upgrade")
                    .replace("::test_check", "::TestLater::test_check"),
                *s,
                *c,
            )
        })
        .collect();
    let measured: Vec<(&str, f64, f64)> = measured
        .iter()
        .map(|(i, s, c)| (i.as_str(), *s, *c))
        .collect();
    let p = Project::new();
    p.file("pyproject.toml", MARKERS)
        .bytes("tests/test_db.py", source.as_bytes())
        .file(
            "timings.json",
            &timings(&[job("all", "tests/test_db.py", &measured)]),
        );
    let out = p.run(&PLAN_WRITE);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(
        out.stderr
            .contains("`TestLater::test_upgrade` not rewritten: a test its class inherits"),
        "{}",
        out.describe()
    );
    assert_eq!(read(&p, "tests/test_db.py"), source);
}

#[test]
fn plan_write_reports_a_mark_it_cannot_remove_under_whole_file() {
    // One group planned (nothing is slow) under whole-file: the marks go, but one shares its
    // line with a comment.
    let pyproject = format!("{MARKERS}\n[tool.fanout]\nungrouped = \"whole-file\"\n");
    let source = ONE_GROUP.replace(
        "@pytest.mark.group(1)\ndef test_check",
        "@pytest.mark.group(1)  # keep an eye on it\ndef test_check",
    );
    let p = measured_project(&pyproject, &source);
    // Cheap tests: the plan keeps one job.
    p.file(
        "timings.json",
        &timings(&[job(
            "tests/test_db.py | group 1",
            "tests/test_db.py",
            &[
                ("tests/test_db.py::test_deploy", 1.0, 1.0),
                ("tests/test_db.py::test_scale", 0.1, 1.0),
                ("tests/test_db.py::test_status", 0.1, 1.0),
                ("tests/test_db.py::test_upgrade", 0.1, 1.0),
                ("tests/test_db.py::test_check", 0.1, 1.0),
            ],
        )]),
    );
    for attempt in ["first", "second"] {
        let out = p.run(&PLAN_WRITE);
        assert_eq!(out.code, 1, "{attempt}: {}", out.describe());
        assert!(
            out.stderr.contains(
                "`test_check` not rewritten: its group mark shares a line with other code"
            ),
            "{}",
            out.describe()
        );
        assert!(!out.stderr.contains("already match"), "{}", out.describe());
        assert_eq!(read(&p, "tests/test_db.py"), source);
    }
}

/// One file of 20,000 tests: `--write` and `--diff` apply their edits in one pass and cost about
/// what `plan` itself costs (they were quadratic: 17 s and 40 s at 60,000 against 1.2 s).
#[test]
fn plan_write_and_diff_of_a_big_file_cost_about_what_plan_does() {
    let mut source = String::from("import pytest\n");
    let mut measured = Vec::new();
    for i in 0..20_000 {
        source.push_str(&format!(
            "\n\n@pytest.mark.group(1)\ndef test_{i:06}():\n    pass\n"
        ));
        let call = if i % 500 == 0 { 100.0 } else { 0.01 };
        measured.push((format!("tests/test_big.py::test_{i:06}"), 0.0, call));
    }
    let measured: Vec<(&str, f64, f64)> = measured
        .iter()
        .map(|(i, s, c)| (i.as_str(), *s, *c))
        .collect();
    let p = Project::new();
    p.file("pyproject.toml", MARKERS)
        .bytes("tests/test_big.py", source.as_bytes())
        .file(
            "timings.json",
            &timings(&[job("big", "tests/test_big.py", &measured)]),
        );
    let timed = |args: &[&str]| {
        p.bytes("tests/test_big.py", source.as_bytes());
        let started = std::time::Instant::now();
        let out = p.run(args);
        (started.elapsed().as_secs_f64(), out)
    };
    // The fastest of two runs each: the machine may be busy with other tests.
    let best = |args: &[&str]| {
        let (a, out) = timed(args);
        let (b, _) = timed(args);
        (a.min(b), out)
    };
    let (plan, out) = best(&["plan", "--timings", "timings.json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let (write, out) = best(&PLAN_WRITE);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(read(&p, "tests/test_big.py").contains("group(2)"));
    let (diff, out) = best(&["plan", "--timings", "timings.json", "--diff"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("+@pytest.mark.group(2)"));
    assert!(
        write < 2.0 * plan + 1.0 && diff < 3.0 * plan + 1.0,
        "plan {plan:.2} s, --write {write:.2} s, --diff {diff:.2} s"
    );
}
