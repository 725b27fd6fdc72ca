//! The release tooling that can run here: `.ci/check-version` (the tag, Cargo.toml, action.yml
//! and CHANGELOG.md agree) and `.ci/archive` (the standalone archive taken out of a wheel), and
//! the targets release.yml builds.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::e2e::action::FAKE_WHEEL;
use crate::e2e::project::{run, Output, Project};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn repo(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A copy of the files `.ci/check-version` reads.
fn release_files() -> Project {
    let p = Project::new();
    for rel in [
        "Cargo.toml",
        "action.yml",
        "CHANGELOG.md",
        ".ci/check-version",
    ] {
        p.bytes(
            rel,
            &std::fs::read(repo(rel)).expect("reading a release file"),
        );
    }
    p
}

fn check_version(p: &Project, tag: &str) -> Output {
    let mut command = Command::new("bash");
    command.arg(p.join(".ci/check-version")).arg(tag);
    run(command)
}

fn dated_changelog(p: &Project) {
    let text = std::fs::read_to_string(p.join("CHANGELOG.md")).expect("CHANGELOG.md");
    let dated = text.replacen(
        "## [Unreleased]",
        &format!("## [Unreleased]\n\n## [{VERSION}] - 2030-01-31"),
        1,
    );
    p.bytes("CHANGELOG.md", dated.as_bytes());
}

#[test]
fn check_version_wants_tag_crate_action_and_changelog_to_agree() {
    let p = release_files();
    dated_changelog(&p);
    let out = check_version(&p, &format!("v{VERSION}"));
    assert_eq!(out.code, 0, "{}", out.describe());
    assert_eq!(out.stderr, "");

    let out = check_version(&p, "v9.9.9");
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(
        out.stderr
            .contains(&format!("tag v9.9.9 is not v{VERSION}")),
        "{}",
        out.describe()
    );

    let action = std::fs::read_to_string(p.join("action.yml")).expect("action.yml");
    let pinned = format!("default: \"{VERSION}\"");
    assert!(action.contains(&pinned), "action.yml pins {VERSION}");
    p.bytes(
        "action.yml",
        action.replacen(&pinned, "default: \"0.0.1\"", 1).as_bytes(),
    );
    let out = check_version(&p, &format!("v{VERSION}"));
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(
        out.stderr.contains("action.yml installs fanout-ci 0.0.1"),
        "{}",
        out.describe()
    );

    // The repository as it is: a release needs a dated changelog section first.
    let p = release_files();
    let changelog = std::fs::read_to_string(p.join("CHANGELOG.md")).expect("CHANGELOG.md");
    if !changelog.contains(&format!("## [{VERSION}] - ")) {
        let out = check_version(&p, &format!("v{VERSION}"));
        assert_eq!(out.code, 1, "{}", out.describe());
        assert!(
            out.stderr.contains("CHANGELOG.md has no dated section"),
            "{}",
            out.describe()
        );
    }
}

fn fake_wheel(dir: &Path, exe: &str) -> std::path::PathBuf {
    let made = Command::new("python3")
        .args(["-c", FAKE_WHEEL])
        .arg(dir)
        .arg(VERSION)
        .arg(exe)
        .output()
        .expect("running python3");
    assert!(made.status.success(), "{made:?}");
    dir.join(format!("fanout_ci-{VERSION}-py3-none-any.whl"))
}

fn archive(wheel: &Path, target: &str, out: &Path) -> Output {
    let mut command = Command::new("python3");
    command
        .arg(repo(".ci/archive"))
        .arg(wheel)
        .arg(target)
        .arg(out);
    run(command)
}

#[test]
fn archive_holds_the_wheels_binary() {
    let p = Project::new();
    let wheel = fake_wheel(&p.join("wheels"), "fanout");
    let target = "aarch64-unknown-linux-musl";
    let out = archive(&wheel, target, &p.join("archives"));
    assert_eq!(out.code, 0, "{}", out.describe());
    let top = format!("fanout-{VERSION}-{target}");
    let tarball = p.join(&format!("archives/{top}.tar.gz"));
    assert_eq!(out.stdout.trim(), tarball.display().to_string());
    let listing = Command::new("tar")
        .arg("tzvf")
        .arg(&tarball)
        .output()
        .expect("tar");
    let listing = String::from_utf8_lossy(&listing.stdout).into_owned();
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(lines.len(), 2, "{listing}");
    assert!(
        lines[0].starts_with("-rwxr-xr-x") && lines[0].ends_with(&format!("{top}/fanout")),
        "{listing}"
    );
    assert!(lines[1].ends_with(&format!("{top}/README.md")), "{listing}");
    let extracted = Command::new("tar")
        .arg("xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(p.join("archives"))
        .status()
        .expect("tar");
    assert!(extracted.success());
    let ran = run(Command::new(p.join(&format!("archives/{top}/fanout"))));
    assert_eq!(
        ran.stdout.trim(),
        format!("fanout {VERSION} (stand-in wheel)")
    );

    // Windows: a zip holding fanout.exe.
    let wheel = fake_wheel(&p.join("win"), "fanout.exe");
    let out = archive(&wheel, "x86_64-pc-windows-msvc", &p.join("archives"));
    assert_eq!(out.code, 0, "{}", out.describe());
    let zip = p.join(&format!(
        "archives/fanout-{VERSION}-x86_64-pc-windows-msvc.zip"
    ));
    let names = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
        ])
        .arg(&zip)
        .output()
        .expect("python3");
    assert_eq!(
        String::from_utf8_lossy(&names.stdout)
            .lines()
            .collect::<Vec<_>>(),
        [
            format!("fanout-{VERSION}-x86_64-pc-windows-msvc/fanout.exe"),
            format!("fanout-{VERSION}-x86_64-pc-windows-msvc/README.md")
        ]
    );

    // A wheel without the binary is an error that says so.
    let out = archive(&wheel, "x86_64-unknown-linux-gnu", &p.join("archives"));
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(
        out.stderr.contains("has no fanout_ci-"),
        "{}",
        out.describe()
    );
}

#[test]
fn release_builds_every_platform() {
    let text = std::fs::read_to_string(repo(".github/workflows/release.yml")).expect("release.yml");
    let workflow = fanout_gitlab::lint::parse(&text).expect("YAML");
    let targets: BTreeSet<&str> = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .expect("include")
        .iter()
        .map(|leg| leg["target"].as_str().expect("a target"))
        .collect();
    let wanted: BTreeSet<&str> = [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ]
    .into();
    assert_eq!(targets, wanted);
    assert!(text.contains("sha256sum"), "checksums");
    assert!(
        text.contains("bash .ci/check-version"),
        "the version check runs first"
    );
}
