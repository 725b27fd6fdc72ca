use super::*;
use std::fs;

fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
    fs::write(&path, text).expect("write");
    path
}

#[test]
fn absolute_relative_and_package_imports_resolve_transitively() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = fs::canonicalize(dir.path()).expect("canonical");
    let deep = write(&root, "tests/helpers/deep.py", "X = 1\n");
    write(&root, "tests/helpers/__init__.py", "");
    let util = write(&root, "tests/helpers/util.py", "from .deep import X\n");
    let a = write(&root, "tests/test_a.py", "import helpers.util\n");
    let b = write(&root, "tests/test_b.py", "from helpers import util\n");
    let c = write(&root, "tests/test_c.py", "import os\nimport pytest\n");
    let d = write(&root, "tests/test_d.py", "import helpers.missing\n");
    let tree = Tree::walk(&[root.join("tests")]);
    assert_eq!(tree.python_files.len(), 7);
    let graph = ImportGraph::build(&tree, &root);
    let hit = graph.dependents(&BTreeSet::from([deep.clone()]));
    assert_eq!(hit[&util].0, vec![deep.clone()]);
    assert_eq!(hit[&a].0, vec![util.clone(), deep.clone()]);
    assert!(hit.contains_key(&b));
    assert!(
        !hit.contains_key(&c),
        "stdlib and third-party imports point nowhere in the tree"
    );
    assert!(
        hit[&d].1.is_some(),
        "an unresolvable import into the tree depends on everything"
    );
}

#[test]
fn relative_imports_plugins_and_packages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = fs::canonicalize(dir.path()).expect("canonical");
    write(&root, "tests/__init__.py", "");
    let init = write(&root, "tests/pkg/__init__.py", "from .inner import thing\n");
    let inner = write(&root, "tests/pkg/inner.py", "thing = 1\n");
    let fixtures = write(&root, "tests/fixtures.py", "X = 1\n");
    let a = write(&root, "tests/test_a.py", "from . import pkg\n");
    let conftest = write(
        &root,
        "tests/conftest.py",
        "pytest_plugins = ['tests.fixtures']\n",
    );
    let b = write(&root, "tests/test_b.py", "from .nothere import x\n");
    let c = write(&root, "tests/test_c.py", "pytest_plugins = [name]\n");
    let graph = ImportGraph::build(&Tree::walk(&[root.join("tests")]), &root);
    let hit = graph.dependents(&BTreeSet::from([inner.clone()]));
    assert_eq!(hit[&init].0, vec![inner.clone()]);
    assert_eq!(hit[&a].0, vec![init.clone(), inner.clone()]);
    assert!(!hit.contains_key(&conftest));
    assert!(hit[&b].1.is_some() && hit[&c].1.is_some());
    let hit = graph.dependents(&BTreeSet::from([fixtures]));
    assert!(hit.contains_key(&conftest));
    assert!(graph.dependents(&BTreeSet::new()).is_empty());
}

#[test]
fn a_file_too_deep_to_import_does_not_parse() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = fs::canonicalize(dir.path()).expect("canonical");
    let deep = format!("import helpers\nx = {}1\n", "1 + ".repeat(100_000));
    let a = write(&root, "tests/test_a.py", &deep);
    let tree = Tree::walk(&[root.join("tests")]);
    let graph = ImportGraph::build(&tree, &root);
    assert_eq!(
        graph.files[&a].unknown.as_deref(),
        Some("it does not parse")
    );
}
