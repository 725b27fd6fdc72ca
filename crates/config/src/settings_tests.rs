use super::*;
use crate::toml_doc;

fn ini_cfg(pairs: &[(&str, &str)]) -> ConfigDict {
    pairs
        .iter()
        .map(|(k, v)| {
            (
                (*k).to_string(),
                ConfigValue {
                    value: Value::str(*v, Location::at(Path::new("tox.ini"), 2, None)),
                    mode: Mode::Ini,
                },
            )
        })
        .collect()
}

fn toml_cfg(body: &str) -> ConfigDict {
    let doc = toml_doc::parse_str(Path::new("pytest.toml"), body).unwrap();
    doc.as_table()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                ConfigValue {
                    value: v.clone(),
                    mode: Mode::Toml,
                },
            )
        })
        .collect()
}

fn values(mut cfg: ConfigDict) -> Result<IniValues, ConfigError> {
    ini_values(&mut cfg, Some(Path::new("tox.ini")), Path::new("/"), None).map(|(v, _, _)| v)
}

#[test]
fn defaults_apply() {
    let v = values(ConfigDict::new()).unwrap();
    assert_eq!(v.python_files, ["test_*.py", "*_test.py"]);
    assert_eq!(v.python_classes, ["Test"]);
    assert_eq!(v.python_functions, ["test"]);
    assert_eq!(v.norecursedirs.len(), 9);
    assert!(v.testpaths.is_empty() && v.markers.is_empty() && !v.strict_markers);
}

#[test]
fn ini_strings_are_split() {
    let v = values(ini_cfg(&[
        ("testpaths", "tests\nintegration 'with space'"),
        (
            "markers",
            "slow: slow tests\n\n  group(id): fan-out group  ",
        ),
        ("addopts", "--strict-markers -m 'not slow' --ignore=old"),
    ]))
    .unwrap();
    assert_eq!(v.testpaths, ["tests", "integration", "with space"]);
    assert_eq!(v.markers, ["slow: slow tests", "group(id): fan-out group"]);
    assert!(v.strict_markers);
    assert_eq!(v.markexpr.as_deref(), Some("not slow"));
    assert_eq!(v.ignore, ["old"]);
}

#[test]
fn override_in_addopts_beats_file_value() {
    let v = values(ini_cfg(&[
        ("testpaths", "a"),
        ("addopts", "-o testpaths=b"),
        ("strict_markers", "false"),
        ("strict", "1"),
    ]))
    .unwrap();
    assert_eq!(v.testpaths, ["b"]);
    // strict_markers set (false) wins over strict.
    assert!(!v.strict_markers);
    assert!(
        values(ini_cfg(&[("strict", "yes")]))
            .unwrap()
            .strict_markers
    );
}

#[test]
fn toml_mode_is_strict_about_types() {
    let v = values(toml_cfg(
        "testpaths = ['t']\nstrict = true\nmarkers = ['a: b']\n",
    ))
    .unwrap();
    assert_eq!(v.testpaths, ["t"]);
    assert!(v.strict_markers);
    let e = values(toml_cfg("x = 1\ntestpaths = 3\n")).unwrap_err();
    assert_eq!(e.to_string(), "pytest.toml:2:13: config option 'testpaths' expects a list for type 'args', got int: 3; write a TOML list of strings, e.g. [\"a\", \"b\"]");
    let e = values(toml_cfg("addopts = '-v'\n")).unwrap_err();
    assert!(e.to_string().contains("got str: '-v'"), "{e}");
    let e = values(toml_cfg("python_files = ['a', 2]\n")).unwrap_err();
    assert_eq!((e.line(), e.column()), (Some(1), Some(22)));
    assert!(values(toml_cfg("strict = 'true'\n")).is_err());
}

#[test]
fn ini_mode_errors() {
    let e = values(ini_cfg(&[("addopts", "-m 'unclosed")])).unwrap_err();
    assert!(e.to_string().contains("No closing quotation"), "{e}");
    assert_eq!(e.line(), Some(2));
    assert!(values(ini_cfg(&[("strict", "maybe")]))
        .unwrap_err()
        .to_string()
        .contains("invalid truth value 'maybe'"));
    assert!(values(ini_cfg(&[("addopts", "-o novalue")])).is_err());
}
