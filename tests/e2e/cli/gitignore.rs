//! Test files git tracks are collected whatever `.gitignore` says, as pytest collects them;
//! untracked ignored files are left out (`respect-gitignore`, on by default).

use crate::e2e::affected::repo::git_in;
use crate::e2e::project::Project;
use crate::support::pytest_oracle::pytest_collect;

const GROUPED: &str = "import pytest\n\n@pytest.mark.group(1)\ndef test_it():\n    pass\n";

#[test]
fn tracked_test_files_are_collected_even_when_gitignored() {
    let p = Project::new();
    p.file(
        ".gitignore",
        "tests/test_tracked.py\ntests/generated/\ntests/test_scratch.py\n",
    )
    .file("tests/test_plain.py", GROUPED)
    .file("tests/test_tracked.py", GROUPED)
    .file("tests/generated/test_gen.py", GROUPED)
    .file("tests/test_scratch.py", GROUPED);
    git_in(&p.path(), &["init", "-q", "-b", "main"]);
    git_in(&p.path(), &["add", "-A"]);
    // Tracked on purpose despite the ignore rules; test_scratch.py stays untracked.
    git_in(
        &p.path(),
        &[
            "add",
            "-f",
            "tests/test_tracked.py",
            "tests/generated/test_gen.py",
        ],
    );
    git_in(&p.path(), &["commit", "-q", "-m", "base"]);
    let doc = p.collect_json(&[]);
    let mut ours: Vec<&str> = crate::e2e::project::node_ids(&doc);
    ours.sort_unstable();
    assert_eq!(
        ours,
        [
            "tests/generated/test_gen.py::test_it",
            "tests/test_plain.py::test_it",
            "tests/test_tracked.py::test_it"
        ]
    );
    // pytest reads no ignore file: it collects the tracked ones too (and the scratch file,
    // which fanout leaves out on purpose: it is in no commit, so in no CI run).
    let oracle = pytest_collect(&p.path(), &[]);
    for id in &ours {
        assert!(oracle.node_ids().contains(id), "pytest collects {id}");
    }
}
