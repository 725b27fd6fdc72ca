//! Output a pull request cannot hijack, output that fails loudly, and jobs that stay distinct.
//! Each case is an attack or a fault found by review; the names say which.

use crate::e2e::project::{run, Output, Project};
use serde_json::Value;

const GROUPED: &str = "import pytest\n\n@pytest.mark.group(1)\ndef test_it():\n    pass\n";

/// Runs the binary as a GitHub Actions step would.
fn on_github(p: &Project, args: &[&str]) -> Output {
    let mut command = p.command_in("", args);
    command.env("GITHUB_ACTIONS", "true").env("CI", "true");
    run(command)
}

/// Lines the runner would read as workflow commands: `::` at the start after white space,
/// or `##[` anywhere.
fn commands(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.trim_start().starts_with("::") || l.contains("##["))
        .collect()
}

#[test]
fn a_file_name_cannot_print_workflow_commands() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED).file(
        "tests/test_x\n::error title=pwned::owned\n##[add-mask]y.py",
        "import pytest\n\ndef test_ungrouped():\n    pass\n",
    );
    for args in [
        &["collect"][..],
        &["collect", "--format", "json"],
        &["matrix", "--backend", "json"],
        &["matrix", "--backend", "github"],
    ] {
        let out = on_github(&p, args);
        assert!(out.code == 1, "{args:?}: {}", out.describe());
        assert!(
            out.stderr
                .contains("test_x\\n::error title=pwned::owned\\n##\\[add-mask]y.py"),
            "the name is shown, escaped: {}",
            out.describe()
        );
        assert_eq!(commands(&out.stdout), Vec::<&str>::new(), "{args:?}");
        // fanout's own annotations are the only commands, with the name escaped in them.
        let found = commands(&out.stderr);
        assert!(!found.is_empty(), "{args:?}: {}", out.describe());
        for line in found {
            assert!(
                line.starts_with("::error file=tests/test_x%0A%3A%3Aerror title=pwned%3A%3Aowned%0A##\\[add-mask]y.py,"),
                "{args:?}: {line}"
            );
        }
    }
}

#[test]
fn check_annotations_are_the_only_commands() {
    let p = Project::new();
    p.file(
        "tests/test_x\n::add-mask::secret.py",
        "import pytest\n\ndef test_ungrouped():\n    pass\n",
    );
    let out = on_github(&p, &["check"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    let found = commands(&out.stdout);
    assert!(!found.is_empty(), "annotations: {}", out.describe());
    for line in found {
        assert!(
            line.starts_with("::error file=tests/test_x%0A%3A%3Aadd-mask%3A%3Asecret.py,")
                || line.starts_with("::warning ")
                || line.starts_with("::error file=pyproject"),
            "only fanout's own annotations, the path escaped: {line}"
        );
    }
}

#[test]
fn a_symlink_name_cannot_write_markdown_into_the_step_summary() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED).dir("tests/sub");
    std::os::unix::fs::symlink("..", p.join("tests/sub/x\n# pwned [link](http:e)"))
        .expect("symlink");
    let mut command = p.command_in("", &["matrix", "--backend", "github"]);
    command
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_OUTPUT", p.join("out"))
        .env("GITHUB_STEP_SUMMARY", p.join("summary.md"));
    let out = run(command);
    assert_eq!(out.code, 0, "{}", out.describe());
    let summary = std::fs::read_to_string(p.join("summary.md")).expect("summary written");
    assert!(
        summary.contains("symlink") || summary.contains("x\\\\n"),
        "{summary}"
    );
    let headings: Vec<&str> = summary.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(headings, ["### fanout: 1 job"], "{summary}");
    assert!(!summary.contains("[link](http:e)"), "{summary}");
}

#[test]
fn github_output_without_a_final_newline_is_not_glued_onto() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED)
        .file("out", "earlier=kept");
    let mut command = p.command_in("", &["matrix", "--backend", "github"]);
    command.env("GITHUB_OUTPUT", p.join("out"));
    let out = run(command);
    assert_eq!(out.code, 0, "{}", out.describe());
    let text = std::fs::read_to_string(p.join("out")).expect("outputs");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "earlier=kept", "{text}");
    assert!(lines[1].starts_with("groups=["), "{text}");
    assert_eq!(lines[2], "count=1", "{text}");
}

#[test]
fn a_failed_step_summary_writes_no_groups() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED).dir("not-a-file");
    let mut command = p.command_in("", &["matrix", "--backend", "github"]);
    command
        .env("GITHUB_OUTPUT", p.join("out"))
        .env("GITHUB_STEP_SUMMARY", p.join("not-a-file"));
    let out = run(command);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(out.stderr.contains("error[output-error]"), "{}", out.stderr);
    assert!(
        !p.join("out").exists(),
        "no groups= for later jobs to act on"
    );
}

#[test]
fn a_full_stdout_is_an_error() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED);
    let out = run(shell_redirect(&p, ">/dev/full"));
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(out.stderr.contains("output-error"), "{}", out.describe());
}

/// `fanout matrix ... REDIRECT` through `sh`.
fn shell_redirect(p: &Project, redirect: &str) -> std::process::Command {
    let mut sh = std::process::Command::new("sh");
    sh.args([
        "-c",
        &format!("exec \"$0\" matrix --backend json {redirect}"),
        env!("CARGO_BIN_EXE_fanout"),
    ])
    .current_dir(p.path())
    .env_clear()
    .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    sh
}

/// `/dev/null` opened read-write (a shell's `1<>`, Python's `subprocess.DEVNULL`) is a place
/// to write, as write-only `>/dev/null` is. A closed stdout cannot be told from it (the runtime
/// reopens it so before `main`): it is written to as `/dev/null` too.
#[test]
fn dev_null_is_a_valid_stdout_however_it_was_opened() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED);
    for redirect in [">/dev/null", "1<>/dev/null", ">&-"] {
        let out = run(shell_redirect(&p, redirect));
        assert_eq!(out.code, 0, "{redirect}: {}", out.describe());
        assert_eq!(out.stderr, "", "{redirect}");
    }
    let python = std::process::Command::new("python3")
        .args([
            "-c",
            "import subprocess, sys\n\
             r = subprocess.run([sys.argv[1], 'matrix', '--backend', 'json'], \
             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n\
             sys.stderr.buffer.write(r.stderr)\nsys.exit(r.returncode)",
            env!("CARGO_BIN_EXE_fanout"),
        ])
        .current_dir(p.path())
        .output()
        .expect("python3");
    assert_eq!(
        python.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&python.stderr)
    );
}

#[test]
fn an_output_file_is_replaced_whole() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED).file("m.json", "old");
    let out = p.run(&["matrix", "--backend", "json", "--output", "m.json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(p.join("m.json")).expect("written"))
            .expect("JSON");
    assert_eq!(doc["count"], 1);
    let left: Vec<_> = std::fs::read_dir(p.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".fanout-"))
        .collect();
    assert!(left.is_empty(), "no temporary file left behind");
    // A destination that cannot be replaced leaves what was there.
    p.dir("m-dir/keep");
    let out = p.run(&["matrix", "--backend", "json", "--output", "m-dir"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    assert!(p.join("m-dir/keep").is_dir());
}

#[test]
fn one_job_name_for_two_ids_is_refused_naming_both() {
    let p = Project::new();
    p.file(
        "tests/test_a.py",
        include_str!("../../fixtures/diagnostics/duplicate_job_name.py"),
    );
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(out.stdout.is_empty(), "{}", out.describe());
    assert!(
        out.stderr.contains("error[duplicate-job-name]")
            && out.stderr.contains("(group 1)")
            && out.stderr.contains("(group \"1\")"),
        "{}",
        out.stderr
    );
}

#[test]
fn look_alike_ids_keep_distinct_artifact_names() {
    let p = Project::new();
    p.file(
        "tests/test_a.py",
        r#"
        import pytest

        @pytest.mark.group("a b")
        def test_1():
            pass

        @pytest.mark.group("a_b")
        def test_2():
            pass

        @pytest.mark.group("a+b")
        def test_3():
            pass

        @pytest.mark.group("c")
        def test_4():
            pass
        "#,
    );
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let doc: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let ids: Vec<&str> = doc["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter_map(|g| g["artifact_group_id"].as_str())
        .collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 4, "{ids:?}");
    assert!(
        ids.contains(&"tests_test_a.py_group_c"),
        "untouched when unique: {ids:?}"
    );
    // The same input gives the same names.
    let again = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(again.stdout, out.stdout);
}

#[test]
fn runner_labels_must_be_names() {
    for label in [r#""""#, r#""big\nbox""#, r#"["ok", "a\x00b"]"#] {
        let p = Project::new();
        p.file(
            "tests/test_a.py",
            &format!(
                "import pytest\n\n@pytest.mark.group(1)\n@pytest.mark.runner({label})\ndef test_1():\n    pass\n"
            ),
        );
        let out = p.run(&["matrix", "--backend", "json"]);
        assert_eq!(out.code, 1, "{label}: {}", out.describe());
        assert!(
            out.stderr.contains("error[invalid-runner]"),
            "{label}: {}",
            out.stderr
        );
    }
}

#[test]
fn a_node_id_of_any_length_is_listed() {
    let p = Project::new();
    let name = format!("test_{}", "x".repeat(70_000));
    p.file(
        "tests/test_a.py",
        &format!("import pytest\n\n@pytest.mark.group(1)\ndef {name}():\n    pass\n"),
    );
    let out = p.run(&["collect"]);
    assert_eq!(out.code, 0, "{}", &out.stderr);
    assert!(out.stdout.contains(&format!("{name}  group 1 (function)")));
}

#[test]
fn json_is_printed_whatever_fails() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED);
    let out = p.run(&["collect", "--format", "json", "-m", "a and"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    let doc: Value = serde_json::from_str(&out.stdout).expect("one JSON document");
    assert_eq!(doc["diagnostics"][0]["code"], "invalid-mark-expression");
    assert_eq!(doc["tests"], Value::Array(vec![]));
    let out = p.run(&["collect", "--format", "json", "--no-such-option"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    let doc: Value = serde_json::from_str(&out.stdout).expect("one JSON document");
    assert_eq!(doc["diagnostics"][0]["code"], "usage-error");
    assert!(
        doc["diagnostics"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("--no-such-option")),
        "{doc:#}"
    );
    p.file("pyproject.toml", "[tool.pytest.ini_options\n");
    for args in [
        &["collect", "--format", "json"][..],
        &["check", "--format", "json"],
    ] {
        let out = p.run(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.describe());
        let doc: Value = serde_json::from_str(&out.stdout).expect("one JSON document");
        assert_eq!(doc["diagnostics"][0]["code"], "config-error", "{doc:#}");
        assert_eq!(doc["diagnostics"][0]["path"], "pyproject.toml", "{doc:#}");
        assert_eq!(doc["diagnostics"][0]["line"], 1, "{doc:#}");
    }
}

#[test]
fn files_cpython_cannot_import_are_errors_not_crashes() {
    let p = Project::new();
    let terms = vec!["1"; 50_000].join(" + ");
    p.file("tests/test_ok.py", GROUPED)
        .file("tests/test_sum.py", &format!("{GROUPED}\nx = {terms}\n"))
        .file(
            "tests/test_parens.py",
            &format!(
                "{GROUPED}\ny = {}1{}\n",
                "(".repeat(100_000),
                ")".repeat(100_000)
            ),
        )
        .file(
            "tests/test_unary.py",
            &format!("{GROUPED}\nz = {}1\n", "-".repeat(100_000)),
        )
        .file(
            "tests/test_tabs.py",
            "import pytest\n\nif True:\n        x = 1\n\ty = 2\n",
        )
        .bytes(
            "tests/test_bom.py",
            format!("\u{feff}\u{feff}{GROUPED}").as_bytes(),
        );
    let out = p.run(&["collect", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    let doc: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let mut broken: Vec<&str> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "syntax-error")
        .filter_map(|d| d["path"].as_str())
        .collect();
    broken.sort_unstable();
    assert_eq!(
        broken,
        [
            "tests/test_bom.py",
            "tests/test_parens.py",
            "tests/test_sum.py",
            "tests/test_tabs.py",
            "tests/test_unary.py"
        ],
        "{}",
        out.describe()
    );
    let ids: Vec<&str> = crate::e2e::project::node_ids(&doc);
    assert_eq!(
        ids,
        ["tests/test_ok.py::test_it"],
        "the other files are still collected"
    );
}

#[test]
fn one_file_of_many_tests_is_collected_whole() {
    let p = Project::new();
    let mut text = String::from("import pytest\n\npytestmark = pytest.mark.slow\n\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "@pytest.mark.group({})\ndef test_{i}():\n    pass\n\n",
            i % 7
        ));
    }
    p.file("tests/test_many.py", &text);
    let out = p.run(&["matrix", "--backend", "json", "-m", "slow"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let tests: usize = doc["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["node_ids"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!((doc["count"].as_u64(), tests), (Some(7), 20_000));
}

#[test]
fn a_check_that_cannot_run_is_one_annotation_on_github() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED)
        .file("pyproject.toml", "[tool.pytest.ini_options\n");
    let out = on_github(&p, &["check"]);
    assert_eq!(out.code, 2, "{}", out.describe());
    let found = commands(&out.stdout);
    assert_eq!(found.len(), 1, "{}", out.describe());
    assert!(
        found[0].starts_with("::error file=pyproject.toml,line=1,")
            && found[0].contains("title=fanout error[config-error]"),
        "{}",
        found[0]
    );
}

/// Files small enough to be parsed before they are scanned for CPython's limits, one step
/// past each limit: still errors, at the place CPython names; one step short, collected.
#[test]
fn small_files_just_past_cpythons_limits_are_errors_too() {
    let p = Project::new();
    let nested = |n: usize| format!("{GROUPED}\ny = {}1{}\n", "(".repeat(n), ")".repeat(n));
    p.file("tests/test_200.py", &nested(200))
        .file("tests/test_201.py", &nested(201))
        .file(
            "tests/test_bom_later.py",
            &format!("{GROUPED}\nx\u{feff} = 1\n"),
        )
        .file(
            "tests/test_bom_in_string.py",
            &format!("{GROUPED}\nx = '\u{feff}'\n"),
        );
    let out = p.run(&["collect", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.describe());
    let doc: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let mut broken: Vec<(&str, &str, i64)> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "syntax-error")
        .filter_map(|d| {
            Some((
                d["path"].as_str()?,
                d["message"].as_str()?,
                d["line"].as_i64()?,
            ))
        })
        .collect();
    broken.sort_unstable();
    assert_eq!(broken.len(), 2, "{}", out.describe());
    assert_eq!(broken[0].0, "tests/test_201.py");
    assert!(
        broken[0].1.contains("too many nested parentheses"),
        "{broken:?}"
    );
    assert_eq!(broken[0].2, 7);
    assert_eq!(broken[1].0, "tests/test_bom_later.py");
    assert!(broken[1].1.contains("U+FEFF"), "{broken:?}");
    assert_eq!(broken[1].2, 7);
    let mut ids: Vec<&str> = crate::e2e::project::node_ids(&doc);
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "tests/test_200.py::test_it",
            "tests/test_bom_in_string.py::test_it"
        ]
    );
}
