use super::*;

fn tree(paths: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for p in paths {
        let full = dir.path().join(p);
        if p.ends_with('/') {
            std::fs::create_dir_all(full).unwrap();
        } else {
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, "").unwrap();
        }
    }
    dir
}

#[test]
fn literal_and_wildcards() {
    let d = tree(&[
        "tests/unit/test_a.py",
        "tests/integration/",
        "tests/.hidden/",
        "other/",
        "pkg1/tests/",
        "pkg2/tests/",
    ]);
    let g = |p: &str| glob(d.path(), p);
    assert_eq!(g("tests"), ["tests"]);
    assert!(g("missing").is_empty());
    assert_eq!(g("tests/*"), ["tests/integration", "tests/unit"]);
    assert_eq!(g("tests/.*"), ["tests/.hidden"]);
    assert_eq!(g("pkg?/tests"), ["pkg1/tests", "pkg2/tests"]);
    assert_eq!(g("pkg[!2]/tests"), ["pkg1/tests"]);
    assert_eq!(g("pkg[1-2]/tests/"), ["pkg1/tests/", "pkg2/tests/"]);
    assert_eq!(g("*/tests"), ["pkg1/tests", "pkg2/tests"]);
    assert_eq!(g("tests/"), ["tests/"]);
}

#[test]
fn double_star_recurses_and_skips_hidden() {
    let d = tree(&["a/b/test_x.py", "a/.git/test_y.py", "test_z.py"]);
    assert_eq!(
        glob(d.path(), "**/test_*.py"),
        ["a/b/test_x.py", "test_z.py"]
    );
    assert_eq!(glob(d.path(), "a/**"), ["a/", "a/b", "a/b/test_x.py"]);
    assert_eq!(
        glob(d.path(), "**"),
        ["a", "a/b", "a/b/test_x.py", "test_z.py"]
    );
}

#[test]
fn absolute_patterns_stay_absolute() {
    let d = tree(&["x/"]);
    let abs = format!("{}/x", d.path().display());
    assert_eq!(
        glob(Path::new("/"), &format!("{}/*", d.path().display())),
        [abs]
    );
}

#[test]
fn fnmatch_classes() {
    assert!(!fnmatch("a]", "[]]]"));
    assert!(fnmatch("]", "[]]"));
    assert!(fnmatch("[x", "[x"));
    assert!(fnmatch("b", "[!a]"));
    assert!(!fnmatch("a", "[!a]"));
    assert!(fnmatch("-", "[a-]"));
    assert!(fnmatch("test_a.py", "test_*.py"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_end() {
    let d = tree(&["a/"]);
    std::os::unix::fs::symlink(d.path().join("a"), d.path().join("a/loop")).unwrap();
    let found = glob(d.path(), "**");
    assert!(found.contains(&"a/loop".to_string()));
    assert!(found.len() < 10);
}
