//! End-to-end discovery over temp project layouts, and the never-panics property.

use super::*;
use proptest::prelude::*;

use crate::test_support::project;

fn run(inv: &Path, args: &[&str]) -> PytestConfig {
    let args: Vec<PathBuf> = args.iter().map(PathBuf::from).collect();
    discover(inv, &args, &Overrides::default()).unwrap()
}

const LAYOUT: &[(&str, &str)] = &[
    (
        "pyproject.toml",
        "[tool.pytest.ini_options]\ntestpaths = ['tests', 'pkg*/tests', 'missing']\n",
    ),
    ("tests/test_a.py", ""),
    ("pkg2/tests/", ""),
    ("pkg1/tests/", ""),
];

#[test]
fn testpaths_used_only_from_rootdir_without_args() {
    let (_d, root) = project(LAYOUT);
    let c = run(&root, &[]);
    assert_eq!(c.args_source, ArgsSource::Testpaths);
    assert_eq!(
        c.collect_paths,
        [
            root.join("tests"),
            root.join("pkg1/tests"),
            root.join("pkg2/tests")
        ]
    );
    assert_eq!(c.inifile, Some(root.join("pyproject.toml")));

    let c = run(&root.join("tests"), &[]);
    assert_eq!(c.rootdir, root);
    assert_eq!(
        (c.args_source, c.collect_paths),
        (ArgsSource::InvocationDir, vec![root.join("tests")])
    );

    let c = run(&root, &["tests/test_a.py::test_x"]);
    assert_eq!(
        (c.args_source, c.collect_paths),
        (ArgsSource::Args, vec![root.join("tests/test_a.py::test_x")])
    );
}

#[test]
fn testpaths_matching_nothing_falls_back_to_invocation_dir() {
    let (_d, root) = project(&[("pytest.ini", "[pytest]\ntestpaths = nope\n")]);
    let c = run(&root, &[]);
    assert_eq!(
        (c.args_source, c.collect_paths),
        (ArgsSource::InvocationDir, vec![root.clone()])
    );
    assert_eq!(c.ini.testpaths, ["nope"]);
}

#[test]
fn positional_args_in_addopts_are_args() {
    let (_d, root) = project(&[
        (
            "pytest.ini",
            "[pytest]\naddopts = -p no:x smoke\ntestpaths = tests\n",
        ),
        ("tests/", ""),
        ("smoke/", ""),
    ]);
    let c = run(&root, &[]);
    assert_eq!(
        (c.args_source, c.collect_paths),
        (ArgsSource::Args, vec![root.join("smoke")])
    );
}

#[test]
fn native_tool_pytest_values() {
    let text = "[tool.pytest]\npython_files = ['check_*.py']\nmarkers = ['group(id): fan-out group']\naddopts = ['--strict-markers', '-m', 'not slow']\n";
    let (_d, root) = project(&[("pyproject.toml", text)]);
    let c = run(&root, &[]);
    assert_eq!(c.ini.python_files, ["check_*.py"]);
    assert_eq!(c.ini.markers, ["group(id): fan-out group"]);
    assert!(c.ini.strict_markers);
    assert_eq!(c.ini.markexpr.as_deref(), Some("not slow"));
}

#[test]
fn ini_options_strings_and_lists() {
    let text = "[tool.pytest.ini_options]\naddopts = \"--ignore=legacy -q\"\nnorecursedirs = ['a', 'b']\nmarkers = \"\"\"\n  slow: slow\n  fast\n\"\"\"\n";
    let (_d, root) = project(&[("pyproject.toml", text)]);
    let c = run(&root, &[]);
    assert_eq!(c.ini.addopts, ["--ignore=legacy", "-q"]);
    assert_eq!(c.ini.ignore, ["legacy"]);
    assert_eq!(c.ini.norecursedirs, ["a", "b"]);
    assert_eq!(c.ini.markers, ["slow: slow", "fast"]);
}

#[test]
fn errors_carry_file_and_line() {
    let (_d, root) = project(&[("pyproject.toml", "[tool.pytest]\nx = 1\ntestpaths = 3\n")]);
    let e = discover(&root, &[], &Overrides::default()).unwrap_err();
    assert_eq!(e.path(), Some(root.join("pyproject.toml").as_path()));
    assert_eq!(e.line(), Some(3));
    let (_d, root) = project(&[("tox.ini", "[pytest]\n[pytest]\n")]);
    assert_eq!(
        discover(&root, &[], &Overrides::default())
            .unwrap_err()
            .line(),
        Some(2)
    );
}

const NAMES: [&str; 5] = [
    "pytest.ini",
    "tox.ini",
    "setup.cfg",
    "pyproject.toml",
    "pytest.toml",
];
const SEEDS: [&str; 6] = [
    "[pytest]\ntestpaths = a b\naddopts = -m 'x' --ignore=y\n",
    "[tool:pytest]\nmarkers =\n  a: b\n",
    "[tool.pytest.ini_options]\ntestpaths = ['*']\nstrict = 1\n",
    "[tool.pytest]\naddopts = ['-o', 'strict=1']\n[tool.fanout]\nmax-jobs = 2\n",
    "[pytest]\npython_files = ['**']\n",
    "[tool.fanout]\nungrouped = 'whole-file'\n",
];

fn contents() -> impl Strategy<Value = Vec<u8>> {
    let mutated = (
        0..SEEDS.len(),
        proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6),
    )
        .prop_map(|(i, edits)| {
            let mut bytes = SEEDS[i].as_bytes().to_vec();
            for (pos, byte) in edits {
                let pos = pos % (bytes.len() + 1);
                if byte % 3 == 0 && pos < bytes.len() {
                    bytes.remove(pos);
                } else {
                    bytes.insert(pos, byte);
                }
            }
            bytes
        });
    prop_oneof![proptest::collection::vec(any::<u8>(), 0..64), mutated]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn discovery_never_panics(files in proptest::collection::vec((0..NAMES.len(), contents()), 1..4)) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("sub")).unwrap();
        for (i, (name, bytes)) in files.iter().enumerate() {
            let at = if i % 2 == 0 { root.clone() } else { root.join("sub") };
            std::fs::write(at.join(NAMES[*name]), bytes).unwrap();
        }
        for inv in [root.clone(), root.join("sub")] {
            let _ = discover(&inv, &[], &Overrides::default());
            let _ = load_fanout_settings(&root, &inv);
        }
    }
}
