//! Collection in batches ([`READ_BATCH`] files at a time): every test of every batch, in file
//! order, and the errors of files in later batches.

use super::*;
use fanout_core::GroupId;

fn request<'c>(
    paths: &'c [PathBuf],
    rootdir: &'c std::path::Path,
    names: &'c (Vec<String>, Vec<String>, Vec<String>),
) -> CollectRequest<'c> {
    CollectRequest {
        paths,
        walk: walk::WalkRules {
            rootdir,
            python_files: &names.0,
            norecursedirs: &[],
            ignore: &[],
            ignore_glob: &[],
            collect_in_virtualenv: false,
            tracked: None,
            respect_gitignore: false,
            doctest_glob: &[],
        },
        python_classes: &names.1,
        python_functions: &names.2,
        ids: Default::default(),
        imports: Default::default(),
    }
}

#[test]
fn files_beyond_one_batch_are_all_collected_in_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = READ_BATCH * 2 + 3;
    for i in 0..files {
        let text = if i == READ_BATCH + 1 {
            "def test_broken(:\n".to_owned()
        } else {
            format!("import pytest\n\n@pytest.mark.group({})\ndef test_a():\n    pass\n\n\ndef test_b():\n    pass\n", i % 7)
        };
        std::fs::write(dir.path().join(format!("test_{i:05}.py")), text).expect("write");
    }
    let names = (
        vec!["test_*.py".to_owned()],
        vec!["Test".to_owned()],
        vec!["test".to_owned()],
    );
    let paths = [dir.path().to_path_buf()];
    let collection = collect(&request(&paths, dir.path(), &names));
    let expected: Vec<String> = (0..files)
        .filter(|&i| i != READ_BATCH + 1)
        .flat_map(|i| ["a", "b"].map(|f| format!("test_{i:05}.py::test_{f}")))
        .collect();
    let got: Vec<&str> = collection
        .tests
        .iter()
        .map(|t| t.node_id.as_str())
        .collect();
    assert_eq!(got, expected);
    // A file of the second batch, after the broken one, has its own group.
    let later = format!("test_{:05}.py::test_a", READ_BATCH + 2);
    let later = collection
        .tests
        .iter()
        .find(|t| t.node_id == later.as_str());
    let group = i64::try_from((READ_BATCH + 2) % 7).expect("small");
    assert_eq!(
        later.and_then(|t| t.group.clone()),
        Some(GroupId::Int(group))
    );
    let errors: Vec<(&str, &str)> = collection
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code.as_str(), d.path.as_str()))
        .collect();
    let broken = format!("test_{:05}.py", READ_BATCH + 1);
    assert_eq!(errors, [("syntax-error", broken.as_str())]);
}
