use super::*;
use std::path::PathBuf;

fn write(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn load(name: &str, text: &str) -> Result<Option<ConfigDict>, ConfigError> {
    let (_dir, path) = write(name, text);
    loader_for(&path).unwrap()(&path)
}

fn str_value(cfg: &ConfigDict, key: &str) -> String {
    cfg[key].value.py_str()
}

#[test]
fn pytest_ini_always_counts_tox_ini_needs_a_section() {
    assert_eq!(
        load("pytest.ini", "[other]\nx=1\n").unwrap(),
        Some(ConfigDict::new())
    );
    assert_eq!(load("tox.ini", "[tox]\nenvlist = py3\n").unwrap(), None);
    let cfg = load("tox.ini", "[pytest]\naddopts = -v\n")
        .unwrap()
        .unwrap();
    assert_eq!(str_value(&cfg, "addopts"), "-v");
    assert_eq!(cfg["addopts"].mode, Mode::Ini);
}

#[test]
fn setup_cfg_needs_tool_pytest_and_rejects_plain_pytest() {
    assert!(load("setup.cfg", "[metadata]\nname = x\n")
        .unwrap()
        .is_none());
    assert!(load("setup.cfg", "[tool:pytest]\n").unwrap().is_some());
    let e = load("setup.cfg", "[metadata]\n[pytest]\nx = 1\n").unwrap_err();
    assert_eq!(e.line(), Some(2));
    assert!(e.to_string().contains("[tool:pytest]"), "{e}");
    // Both present: [tool:pytest] wins silently.
    assert!(load("setup.cfg", "[pytest]\n[tool:pytest]\nx = 1\n")
        .unwrap()
        .is_some());
}

#[test]
fn pyproject_tables() {
    assert_eq!(
        load("pyproject.toml", "[project]\nname = 'x'\n").unwrap(),
        None
    );
    // An empty [tool.pytest] does not count, an empty [tool.pytest.ini_options] does.
    assert_eq!(load("pyproject.toml", "[tool.pytest]\n").unwrap(), None);
    assert_eq!(
        load("pyproject.toml", "[tool.pytest.ini_options]\n").unwrap(),
        Some(ConfigDict::new())
    );
    let cfg = load(
        "pyproject.toml",
        "[tool.pytest.ini_options]\ntestpaths = ['a']\nstrict = true\nn = 3\n",
    )
    .unwrap()
    .unwrap();
    assert_eq!(cfg["strict"].value.py_str(), "True");
    assert_eq!(cfg["n"].value.kind, Kind::Str("3".into()));
    assert!(matches!(cfg["testpaths"].value.kind, Kind::Array(_)));
    let cfg = load("pyproject.toml", "[tool.pytest]\nstrict = true\n")
        .unwrap()
        .unwrap();
    assert_eq!(cfg["strict"].value.kind, Kind::Bool(true));
    assert_eq!(cfg["strict"].mode, Mode::Toml);
}

#[test]
fn pyproject_with_both_tables_is_an_error() {
    let e = load(
        "pyproject.toml",
        "[tool.pytest]\nstrict = true\n[tool.pytest.ini_options]\nx = '1'\n",
    )
    .unwrap_err();
    assert!(e.to_string().contains("cannot use both"), "{e}");
    // ...unless ini_options is empty.
    assert!(load(
        "pyproject.toml",
        "[tool.pytest]\nstrict = true\n[tool.pytest.ini_options]\n"
    )
    .unwrap()
    .is_some());
}

#[test]
fn pytest_toml_without_table() {
    assert_eq!(load("pytest.toml", "").unwrap(), Some(ConfigDict::new()));
    // Other tables are ignored, even [tool.pytest].
    assert_eq!(
        load("pytest.toml", "[tool.pytest]\nstrict = true\n").unwrap(),
        Some(ConfigDict::new())
    );
    let e = load("pytest.toml", "strict = true\naddopts = ['-v']\n").unwrap_err();
    assert_eq!(e.line(), Some(1));
    assert!(
        e.to_string()
            .contains("found top-level options: addopts, strict"),
        "{e}"
    );
    let cfg = load(".pytest.toml", "[pytest]\naddopts = ['-v']\n")
        .unwrap()
        .unwrap();
    assert_eq!(cfg["addopts"].mode, Mode::Toml);
}

#[test]
fn wrong_table_shapes_are_errors_not_panics() {
    for text in [
        "tool = 3\n",
        "[tool]\npytest = 'x'\n",
        "[tool.pytest]\nini_options = 1\n",
    ] {
        assert!(load("pyproject.toml", text).is_err(), "{text}");
    }
    assert!(load("pytest.toml", "pytest = [1]\n").is_err());
}

#[test]
fn custom_toml_via_c() {
    assert!(load("ci.toml", "[pytest]\nx = 1\n").unwrap().is_some());
    assert!(load("ci.toml", "[tool.pytest.ini_options]\nx = '1'\n")
        .unwrap()
        .is_some());
    assert!(load("ci.toml", "[pytest]\n[tool.pytest.ini_options]\nx = '1'\n").is_err());
    assert!(load("ci.toml", "[other]\n").unwrap().is_none());
    let (_d, p) = write("ci.yaml", "");
    assert!(loader_for(&p).is_none());
}
