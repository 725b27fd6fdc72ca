//! What a packaged fanout ships besides the commands: shell completions, the man page, and a
//! `--version` that names the commit.

use crate::e2e::project::{Output, Project};

const SUBCOMMANDS: [&str; 6] = [
    "collect", "matrix", "check", "affected", "verify", "backends",
];

fn completions(shell: &str) -> Output {
    let out = Project::new().run(&["completions", shell]);
    assert_eq!(out.code, 0, "{shell}: {}", out.describe());
    out
}

#[test]
fn completions_for_each_shell_offer_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = completions(shell);
        assert!(!out.stdout.trim().is_empty(), "{shell}: empty script");
        for command in SUBCOMMANDS {
            assert!(
                out.stdout.contains(command),
                "{shell} completions lack `{command}`"
            );
        }
    }
}

#[test]
fn bash_completions_source_cleanly() {
    let p = Project::new();
    p.file("fanout.bash", &completions("bash").stdout);
    let status = std::process::Command::new("bash")
        .args(["-c", "set -e; source fanout.bash; complete -p fanout"])
        .current_dir(p.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .expect("running bash");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(String::from_utf8_lossy(&status.stdout).contains("fanout"));
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = Project::new().run(&["completions", "tcsh"]);
    assert_eq!(out.code, 2, "{}", out.describe());
}

#[test]
fn man_page_renders() {
    let out = Project::new().run(&["man"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    for section in [
        ".TH fanout 1",
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH SUBCOMMANDS",
    ] {
        assert!(
            out.stdout.contains(section),
            "no {section}:\n{}",
            out.stdout
        );
    }
    assert!(out.stdout.contains("fanout\\-matrix(1)"), "{}", out.stdout);
}

#[test]
fn man_dir_writes_a_page_per_command() {
    let p = Project::new();
    let out = p.run(&["man", "--dir", "man1"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    for page in ["fanout.1", "fanout-matrix.1", "fanout-check.1"] {
        let text = std::fs::read_to_string(p.join("man1").join(page))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.contains(".SH SYNOPSIS"), "{page}");
    }
}

#[test]
fn version_names_the_commit() {
    let out = Project::new().run(&["--version"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let line = out.stdout.trim();
    let version = env!("CARGO_PKG_VERSION");
    let commit = line
        .strip_prefix(&format!("fanout {version} (commit "))
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("unexpected version line: {line}"));
    // Built from a git checkout (as here and in CI): the short hash; from an sdist: unknown.
    let checkout = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".git")
        .exists();
    let is_hash = commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit());
    assert!(
        if checkout {
            is_hash
        } else {
            commit == "unknown"
        },
        "{line}"
    );
}
