use super::*;

use crate::test_support::project;

fn setup(inv: &Path, args: &[&str]) -> Setup {
    let args: Vec<PathBuf> = args.iter().map(PathBuf::from).collect();
    determine_setup(inv, &args, &Overrides::default()).unwrap()
}

#[test]
fn pytest_ini_beats_pyproject_in_the_same_dir() {
    let (_d, root) = project(&[
        ("pytest.ini", "[pytest]\n"),
        ("pyproject.toml", "[tool.pytest.ini_options]\n"),
    ]);
    let s = setup(&root, &[]);
    assert_eq!(s.inifile, Some(root.join("pytest.ini")));
    assert_eq!(s.rootdir, root);
}

#[test]
fn pytest_toml_beats_pytest_ini_and_dotfiles_follow_their_plain_names() {
    let (_d, root) = project(&[
        ("pytest.ini", ""),
        (".pytest.toml", ""),
        ("pytest.toml", ""),
    ]);
    assert_eq!(setup(&root, &[]).inifile, Some(root.join("pytest.toml")));
    let (_d, root) = project(&[("pytest.ini", ""), (".pytest.toml", "")]);
    assert_eq!(setup(&root, &[]).inifile, Some(root.join(".pytest.toml")));
}

#[test]
fn pyproject_without_pytest_section_is_skipped_for_tox_ini() {
    let (_d, root) = project(&[
        ("pyproject.toml", "[project]\nname='x'\n"),
        ("tox.ini", "[pytest]\nx = 1\n"),
    ]);
    assert_eq!(setup(&root, &[]).inifile, Some(root.join("tox.ini")));
}

#[test]
fn config_in_parent_dir_found_from_subdir_arg() {
    let (_d, root) = project(&[
        ("setup.cfg", "[tool:pytest]\n"),
        ("pkg/tests/test_a.py", ""),
    ]);
    let s = setup(&root.join("pkg"), &["tests/test_a.py"]);
    assert_eq!(s.rootdir, root);
    assert_eq!(s.inifile, Some(root.join("setup.cfg")));
}

#[test]
fn nearer_config_wins_over_higher_precedence_name_further_up() {
    let (_d, root) = project(&[("pytest.ini", ""), ("sub/tox.ini", "[pytest]\n")]);
    assert_eq!(
        setup(&root.join("sub"), &[]).inifile,
        Some(root.join("sub/tox.ini"))
    );
}

#[test]
fn rootdir_is_common_ancestor_of_args_without_config() {
    let (_d, root) = project(&[
        ("a/x/test_1.py", ""),
        ("a/y/test_2.py", ""),
        ("elsewhere/", ""),
    ]);
    let s = setup(
        &root.join("elsewhere"),
        &["../a/x/test_1.py", "../a/y", "../missing"],
    );
    // No config anywhere: common ancestor of the invocation dir and the args' ancestor.
    assert_eq!(s.inifile, None);
    assert_eq!(s.rootdir, root);
    let s = setup(&root.join("a"), &["x/test_1.py::test_x", "y"]);
    assert_eq!(s.rootdir, root.join("a"));
}

#[test]
fn setup_py_fallback() {
    let (_d, root) = project(&[("setup.py", ""), ("src/pkg/tests/", "")]);
    let s = setup(&root.join("src/pkg/tests"), &[]);
    assert_eq!(s.rootdir, root);
    assert_eq!(s.inifile, None);
}

#[test]
fn pyproject_without_pytest_section_still_beats_setup_py() {
    let (_d, root) = project(&[
        ("setup.py", ""),
        ("pyproject.toml", "[project]\n"),
        ("sub/pyproject.toml", ""),
    ]);
    let s = setup(&root.join("sub"), &[]);
    // The nearest section-less pyproject.toml becomes the inifile when nothing else matches.
    assert_eq!(s.inifile, Some(root.join("sub/pyproject.toml")));
    assert_eq!(s.rootdir, root.join("sub"));
    assert!(s.config.is_empty());
}

#[test]
fn broken_lower_precedence_file_in_same_dir_is_still_an_error() {
    let (_d, root) = project(&[("pytest.ini", "[pytest]\n"), ("tox.ini", "junk\n")]);
    let e = determine_setup(&root, &[], &Overrides::default()).unwrap_err();
    assert_eq!(e.path(), Some(root.join("tox.ini").as_path()));
}

#[test]
fn inifile_override() {
    let (_d, root) = project(&[
        ("pytest.ini", ""),
        ("ci/custom.ini", "[pytest]\nx = 1\n"),
        ("ci/odd.yaml", ""),
    ]);
    let over = Overrides {
        rootdir: None,
        inifile: Some(PathBuf::from("ci/custom.ini")),
        ..Overrides::default()
    };
    let s = determine_setup(&root, &[], &over).unwrap();
    assert_eq!(
        (s.rootdir, s.inifile),
        (root.join("ci"), Some(root.join("ci/custom.ini")))
    );
    assert_eq!(s.config.len(), 1);
    let over = Overrides {
        rootdir: None,
        inifile: Some(PathBuf::from("ci/odd.yaml")),
        ..Overrides::default()
    };
    assert!(matches!(
        determine_setup(&root, &[], &over),
        Err(ConfigError::InifileUnsupported { .. })
    ));
    let over = Overrides {
        rootdir: None,
        inifile: Some(PathBuf::from("nope.ini")),
        ..Overrides::default()
    };
    assert!(matches!(
        determine_setup(&root, &[], &over),
        Err(ConfigError::InifileNotFound { .. })
    ));
    let over = Overrides {
        rootdir: None,
        inifile: Some(PathBuf::from("ci")),
        ..Overrides::default()
    };
    assert!(matches!(
        determine_setup(&root, &[], &over),
        Err(ConfigError::InifileIsDirectory { .. })
    ));
}

#[test]
fn rootdir_override_keeps_located_inifile() {
    let (_d, root) = project(&[("pytest.ini", ""), ("other/", "")]);
    let over = Overrides {
        rootdir: Some(PathBuf::from("other")),
        inifile: None,
        ..Overrides::default()
    };
    let s = determine_setup(&root, &[], &over).unwrap();
    assert_eq!(
        (s.rootdir, s.inifile),
        (root.join("other"), Some(root.join("pytest.ini")))
    );
    let over = Overrides {
        rootdir: Some(PathBuf::from("missing")),
        inifile: None,
        ..Overrides::default()
    };
    assert!(matches!(
        determine_setup(&root, &[], &over),
        Err(ConfigError::RootdirNotFound { .. })
    ));
}
