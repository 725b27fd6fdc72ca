//! Broken files get a diagnostic naming them; the other files are still collected.

use crate::e2e::project::{diagnostics_with, node_ids, Project};
use serde_json::Value;

const GROUPED: &str = "import pytest\n\n@pytest.mark.group(1)\ndef test_it():\n    pass\n";

fn collect(p: &Project) -> (i32, Value, String) {
    let out = p.run(&["collect", "--format", "json"]);
    let doc = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON ({e}): {}", out.describe()));
    (out.code, doc, out.stderr)
}

#[test]
fn syntax_error_keeps_other_files() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED).file(
        "tests/test_broken.py",
        "import pytest\n\ndef test_x(:\n    pass\n",
    );
    let (code, doc, stderr) = collect(&p);
    assert_eq!(code, 1);
    assert_eq!(node_ids(&doc), ["tests/test_ok.py::test_it"]);
    let found = diagnostics_with(&doc, "syntax-error");
    assert_eq!(found.len(), 1, "{doc:#}");
    assert_eq!(found[0]["path"], "tests/test_broken.py");
    assert_eq!(found[0]["line"], 3);
    assert!(stderr.contains("tests/test_broken.py:3:"), "{stderr}");
    assert!(
        stderr.contains("def test_x(:"),
        "source line shown: {stderr}"
    );
}

#[test]
fn non_utf8_file_keeps_other_files() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED).bytes(
        "tests/test_latin1.py",
        b"# caf\xe9\nimport pytest\n\ndef test_x():\n    pass\n",
    );
    let (code, doc, _) = collect(&p);
    assert_eq!(code, 1);
    assert_eq!(node_ids(&doc), ["tests/test_ok.py::test_it"]);
    let found = diagnostics_with(&doc, "invalid-utf8");
    assert_eq!(found.len(), 1, "{doc:#}");
    assert_eq!(found[0]["path"], "tests/test_latin1.py");
}

#[cfg(unix)]
#[test]
fn unreadable_file_keeps_other_files() {
    use std::os::unix::fs::PermissionsExt;
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED)
        .file("tests/test_secret.py", GROUPED);
    let secret = p.join("tests/test_secret.py");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let out = if is_root() {
        // Root reads a mode-000 file: run fanout as an unprivileged user instead.
        // The binary is copied beside the project: its own folder may be closed to others.
        std::fs::set_permissions(p.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod the project");
        let bin = p.join("fanout-unprivileged");
        std::fs::copy(env!("CARGO_BIN_EXE_fanout"), &bin).expect("copy the binary");
        let unprivileged = || {
            let mut command = std::process::Command::new("setpriv");
            command
                .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&bin)
                .args(["collect", "--format", "json"])
                .current_dir(p.path())
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default());
            crate::e2e::project::run(command)
        };
        // A process another test thread forks while the copy is open for writing holds that
        // descriptor until it execs: exec then fails with ETXTBSY. It passes; try again.
        let mut out = unprivileged();
        for _ in 0..20 {
            if !out.stderr.contains("Text file busy") {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
            out = unprivileged();
        }
        out
    } else {
        p.run(&["collect", "--format", "json"])
    };
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).expect("chmod back");
    let doc: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON ({e}): {}", out.describe()));
    assert!(
        node_ids(&doc).contains(&"tests/test_ok.py::test_it"),
        "{doc:#}"
    );
    assert_eq!(out.code, 2, "an I/O error: {doc:#}");
    let found = diagnostics_with(&doc, "io-error");
    assert_eq!(found.len(), 1, "{doc:#}");
    assert_eq!(found[0]["path"], "tests/test_secret.py");
}

#[cfg(unix)]
fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_a_warning() {
    let p = Project::new();
    p.file("tests/test_ok.py", GROUPED).dir("tests/sub");
    std::os::unix::fs::symlink("..", p.join("tests/sub/loop")).expect("symlink");
    let (code, doc, stderr) = collect(&p);
    assert_eq!(node_ids(&doc), ["tests/test_ok.py::test_it"], "{doc:#}");
    let found = diagnostics_with(&doc, "symlink-loop");
    assert!(!found.is_empty(), "{doc:#}");
    assert!(found.iter().all(|d| d["severity"] == "warning"), "{doc:#}");
    assert_eq!(code, 0, "a warning does not fail the run: {stderr}");
}
