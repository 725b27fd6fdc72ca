//! One fixture file per diagnostic (tests/fixtures/diagnostics/*.py), each run through
//! `fanout matrix` as `tests/test_<name>.py` of a fresh project, with one snapshot of the exit
//! status and both outputs (tests/e2e/cli/snapshots/). As ruff keeps its rule fixtures: the
//! snapshot shows exactly what a user sees.

use crate::e2e::project::Project;
use std::path::Path;

fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagnostics");
    let mut found: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("the fixtures folder")
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry
                .file_name()
                .to_string_lossy()
                .strip_suffix(".py")?
                .to_owned();
            let text = std::fs::read_to_string(entry.path()).ok()?;
            Some((name, text))
        })
        .collect();
    found.sort();
    found
}

#[test]
fn every_diagnostic_fixture_matches_its_snapshot() {
    let all = fixtures();
    assert!(all.len() >= 15, "fixtures found: {}", all.len());
    for (name, text) in all {
        let p = Project::new();
        p.bytes(&format!("tests/test_{name}.py"), text.as_bytes());
        let out = p.run(&["matrix", "--backend", "json"]);
        let shown = format!(
            "exit: {}\n--- stdout ---\n{}--- stderr ---\n{}",
            out.code, out.stdout, out.stderr
        );
        insta::assert_snapshot!(name.as_str(), shown);
        let code = name.replace('_', "-");
        if code != "control-characters" {
            assert!(
                out.stderr.contains(&format!("[{code}]")),
                "{name}: the fixture shows its own code\n{}",
                out.stderr
            );
        }
    }
}
