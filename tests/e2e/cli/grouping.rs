//! File-level grouping rules and values unsafe for CI: errors that stop the matrix.

use crate::e2e::project::{diagnostics_with, Output, Project};

fn assert_no_matrix(out: &Output, code: &str) {
    assert_eq!(out.code, 1, "{}", out.describe());
    assert!(
        out.stdout.trim().is_empty(),
        "no matrix written: {}",
        out.stdout
    );
    assert!(
        out.stderr.contains(&format!("error[{code}]")),
        "{}",
        out.stderr
    );
}

#[test]
fn mixed_grouping_names_the_test_left_out() {
    let p = Project::new();
    p.file(
        "tests/test_mixed.py",
        r#"
        import pytest

        @pytest.mark.group(1)
        def test_grouped():
            pass

        def test_forgotten():
            pass
        "#,
    );
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_no_matrix(&out, "mixed-grouping");
    assert!(out.stderr.contains("test_forgotten"), "{}", out.stderr);
    assert_eq!(p.run(&["collect"]).code, 1, "collect reports it too");
}

#[test]
fn ungrouped_file_is_an_error_unless_whole_file() {
    let p = Project::new();
    p.file(
        "tests/test_plain.py",
        "def test_a():\n    pass\n\ndef test_b():\n    pass\n",
    )
    .file(
        "tests/test_grouped.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_c():\n    pass\n",
    );
    assert_no_matrix(&p.run(&["matrix", "--backend", "json"]), "ungrouped-file");

    p.file(
        "pyproject.toml",
        "[tool.fanout]\nungrouped = \"whole-file\"\n",
    );
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let plain: Vec<_> = doc["groups"]
        .as_array()
        .expect("an array")
        .iter()
        .filter(|g| g["path_to_test_file"] == "tests/test_plain.py")
        .collect();
    assert_eq!(plain.len(), 1, "one job for the whole file: {doc:#}");
    assert_eq!(
        plain[0]["node_ids"],
        serde_json::json!(["tests/test_plain.py"]),
        "a job with all of a file's tests names the file"
    );
}

#[test]
fn unsafe_path_is_rejected_by_matrix() {
    let p = Project::new();
    p.file(
        "tests/my tests/test_space.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n",
    );
    assert_eq!(p.run(&["collect"]).code, 0, "collect only lists the tests");
    let out = p.run(&["matrix", "--backend", "json"]);
    assert_no_matrix(&out, "unsafe-path");
    assert!(out.stderr.contains("my tests"), "{}", out.stderr);
}

#[test]
fn unsafe_group_id_is_rejected_by_matrix() {
    let p = Project::new();
    p.file(
        "tests/test_semicolon.py",
        "import pytest\n\n@pytest.mark.group(\"a;b\")\ndef test_a():\n    pass\n",
    );
    let out = p.run(&["matrix", "--backend", "github"]);
    assert_no_matrix(&out, "unsafe-group-id");
    assert!(out.stderr.contains("a;b"), "{}", out.stderr);
}

#[test]
fn group_ids_that_break_artifact_names() {
    for (id, shown) in [("\"a/b\"", "a/b"), ("\"\"", "empty")] {
        let p = Project::new();
        p.file(
            "tests/test_bad_id.py",
            &format!("import pytest\n\n@pytest.mark.group({id})\ndef test_a():\n    pass\n"),
        );
        let doc = p.collect_json(&[]);
        let found = diagnostics_with(&doc, "invalid-group-id");
        assert_eq!(found.len(), 1, "{doc:#}");
        assert_eq!(found[0]["line"], 3);
        assert!(
            found[0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains(shown),
            "{doc:#}"
        );
        assert_no_matrix(&p.run(&["matrix", "--backend", "json"]), "invalid-group-id");
    }
}

#[test]
fn gitignored_files_are_skipped_by_default() {
    // A documented divergence from pytest (docs/configuration.md: respect-gitignore).
    let p = Project::new();
    p.dir(".git")
        .file(".gitignore", "generated/\n")
        .file(
            "tests/generated/test_gen.py",
            "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n",
        )
        .file(
            "tests/test_kept.py",
            "import pytest\n\n@pytest.mark.group(1)\ndef test_a():\n    pass\n",
        );
    let doc = p.collect_json(&[]);
    let ids: Vec<&str> = crate::e2e::project::node_ids(&doc);
    assert_eq!(ids, ["tests/test_kept.py::test_a"]);
}
