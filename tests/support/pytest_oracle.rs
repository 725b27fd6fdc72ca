//! The real pytest, asked what it collects: the oracle for end-to-end tests.
//!
//! `pytest_collect` runs the pinned pytest (tests/support/requirements.txt) with the
//! `dump_collection.py` plugin beside this file and parses its JSON. The venv is built once per
//! target dir under `<target>/pytest-venv-9.2.0`, guarded by a file lock so parallel tests and
//! parallel test processes share one build. `python3` (with the venv module) and access to `PyPI`
//! are needed the first time; without `python3` the tests fail and say so, never skip.
#![allow(dead_code)] // Each test uses a part of this API.

use std::fs::{self, File};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use serde_json::{Map, Value};

/// A venv built once per target dir from a pinned requirements file in tests/support.
struct Venv {
    name: &'static str,
    requirements: &'static str,
}

const PYTEST_9: Venv = Venv {
    name: "pytest-venv-9.2.0",
    requirements: "requirements.txt",
};
/// The oldest pytest `fanout verify`'s plugin supports.
const PYTEST_7: Venv = Venv {
    name: "pytest-venv-7.0.1",
    requirements: "requirements-pytest7.txt",
};
/// check-jsonschema, zizmor and pre-commit, for tests/e2e/ci_files.rs.
const CI_TOOLS: Venv = Venv {
    name: "ci-tools-venv",
    requirements: "requirements-ci-tools.txt",
};
/// Written last, holding the requirements it was built from: its presence means "ready".
const STAMP: &str = "fanout-requirements.txt";

#[derive(Debug, Clone, PartialEq)]
pub struct OracleItem {
    /// Node id of the function, any `[param]` suffix stripped.
    pub node_id: String,
    /// The closest group mark (function, then class, then module).
    pub group: Option<OracleGroup>,
    /// How many group marks sit on the node that holds the closest one.
    pub group_count_at_level: u32,
    /// First argument of the closest `runner` mark.
    pub runner: Option<Value>,
    /// The distinct closest group args (`null` for none) when parametrized items differ.
    pub param_groups: Option<Vec<Value>>,
    /// Every item pytest built from the function (one when it is not parametrized).
    pub cases: Vec<OracleCase>,
}

/// One item of a function: `test_f[a-1]`, with its own closest group and runner.
#[derive(Debug, Clone, PartialEq)]
pub struct OracleCase {
    pub node_id: String,
    pub group: Option<OracleGroup>,
    pub runner: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OracleGroup {
    pub args: Vec<Value>,
    pub kwargs: Map<String, Value>,
    /// "function", "class" or "module".
    pub level: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OracleCollection {
    pub rootdir: PathBuf,
    pub inifile: Option<PathBuf>,
    /// After `-m`/`-k` deselection, one per function, in collection order.
    pub items: Vec<OracleItem>,
    /// Node ids of collectors that failed (import errors, syntax errors, ...).
    pub errors: Vec<String>,
    pub exit_code: i32,
}

impl OracleCollection {
    /// The node ids, for comparisons that ignore marks.
    pub fn node_ids(&self) -> Vec<&str> {
        self.items
            .iter()
            .map(|item| item.node_id.as_str())
            .collect()
    }
}

/// Runs `python -m pytest --collect-only -q -p dump_collection [args]` in `dir` with the pinned pytest.
pub fn pytest_collect(dir: &Path, args: &[&str]) -> OracleCollection {
    pytest_collect_with_addopts(dir, args, None)
}

/// [`pytest_collect`] with `PYTEST_ADDOPTS` set to `env_addopts`.
pub fn pytest_collect_with_addopts(
    dir: &Path,
    args: &[&str],
    env_addopts: Option<&str>,
) -> OracleCollection {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "pytest-oracle-{}-{}.json",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let output = Command::new(python())
        .args([
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
        ])
        .args(["-p", "dump_collection"])
        .args(args)
        .current_dir(dir)
        .env("PYTHONPATH", support_dir())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
        .env("FANOUT_ORACLE_OUT", &out)
        .env("PY_COLORS", "0")
        .env("PYTEST_ADDOPTS", env_addopts.unwrap_or(""))
        .env_remove("PYTEST_PLUGINS")
        .env_remove("PYTHONHOME")
        .output()
        .expect("running the venv's python");
    let exit_code = output.status.code().unwrap_or(-1);
    let text = match fs::read_to_string(&out) {
        Ok(text) => text,
        Err(err) => panic!(
            "pytest wrote no collection to {} ({err}); exit {exit_code} in {}\n{}",
            out.display(),
            dir.display(),
            describe(&output)
        ),
    };
    // Best effort: a leftover file in the target's tmp dir harms nothing.
    let _ = fs::remove_file(&out);
    let json: Value = serde_json::from_str(&text).expect("dump_collection.py writes valid JSON");
    parse_collection(&json, exit_code)
}

/// The venv python, bootstrapping it once per target dir (safe across threads and processes).
/// A failed bootstrap is remembered: every later oracle test fails at once with the same
/// message instead of trying pip again.
pub fn python() -> PathBuf {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    python_of(&PYTHON, &PYTEST_9)
}

/// The python of a venv with pytest 7.0.1 (tests/support/requirements-pytest7.txt), built as
/// [`python`]'s is.
pub fn python_pytest7() -> PathBuf {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    python_of(&PYTHON, &PYTEST_7)
}

/// The python of the CI tools' venv (tests/support/requirements-ci-tools.txt), built as
/// [`python`]'s is; the tools are in the same `bin` directory.
pub fn python_ci_tools() -> PathBuf {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    python_of(&PYTHON, &CI_TOOLS)
}

fn python_of(cell: &OnceLock<Result<PathBuf, String>>, venv: &Venv) -> PathBuf {
    let result = cell.get_or_init(|| {
        std::panic::catch_unwind(|| bootstrap(venv)).map_err(|panic| {
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "bootstrapping the pytest venv failed".to_owned())
        })
    });
    match result {
        Ok(python) => python.clone(),
        Err(message) => panic!("{message}"),
    }
}

fn bootstrap(spec: &Venv) -> PathBuf {
    let venv = target_dir().join(spec.name);
    let python = venv_python(&venv);
    let requirements_path = support_dir().join(spec.requirements);
    let requirements = fs::read_to_string(&requirements_path)
        .unwrap_or_else(|err| panic!("reading {}: {err}", requirements_path.display()));
    if is_ready(&venv, &requirements) {
        return python;
    }
    // One builder at a time; the OS releases the lock if a builder dies.
    let lock_path = target_dir().join(format!("{}.lock", spec.name));
    let lock = File::create(&lock_path)
        .unwrap_or_else(|err| panic!("creating {}: {err}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|err| panic!("locking {}: {err}", lock_path.display()));
    if is_ready(&venv, &requirements) {
        return python;
    }
    if venv.exists() {
        fs::remove_dir_all(&venv)
            .unwrap_or_else(|err| panic!("removing stale {}: {err}", venv.display()));
    }
    let created = match Command::new("python3")
        .arg("-m")
        .arg("venv")
        .arg(&venv)
        .output()
    {
        Ok(output) => output,
        Err(err) if err.kind() == ErrorKind::NotFound => panic!(
            "python3 not found on PATH: fanout's end-to-end tests ask a real pytest. Install \
             Python 3.10 or newer with its venv module (Debian/Ubuntu: apt-get install python3 \
             python3-venv); pytest itself is installed from PyPI into {}",
            venv.display()
        ),
        Err(err) => panic!("running python3: {err}"),
    };
    assert!(
        created.status.success(),
        "python3 -m venv {} failed (Debian/Ubuntu: apt-get install python3-venv)\n{}",
        venv.display(),
        describe(&created)
    );
    let installed = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            // Fail fast and once when the package index cannot be reached.
            "--retries",
            "1",
            "--timeout",
            "15",
            "-r",
        ])
        .arg(&requirements_path)
        .env_remove("PIP_REQUIRE_VIRTUALENV")
        .output()
        .expect("running the venv's pip");
    assert!(
        installed.status.success(),
        "pip install -r {} failed (PyPI must be reachable)\n{}",
        requirements_path.display(),
        describe(&installed)
    );
    let stamp = venv.join(STAMP);
    let partial = venv.join(format!("{STAMP}.partial"));
    fs::write(&partial, &requirements).expect("writing the venv's stamp");
    fs::rename(&partial, &stamp).expect("publishing the venv's stamp");
    python
}

fn is_ready(venv: &Path, requirements: &str) -> bool {
    fs::read_to_string(venv.join(STAMP)).is_ok_and(|built| built == requirements)
}

fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

pub fn target_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is `<target dir>/tmp`, set by cargo when it builds integration tests.
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    match tmp.parent() {
        Some(parent) => parent.to_path_buf(),
        None => std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .expect("CARGO_TARGET_TMPDIR has a parent or CARGO_TARGET_DIR is set"),
    }
}

pub fn support_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("support")
}

pub fn describe(output: &Output) -> String {
    format!(
        "--- stdout ---\n{}--- stderr ---\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn parse_collection(json: &Value, exit_code: i32) -> OracleCollection {
    let path = |value: &Value| value.as_str().map(PathBuf::from);
    OracleCollection {
        rootdir: path(&json["rootdir"]).expect("rootdir is a string"),
        inifile: path(&json["inifile"]),
        items: array(&json["items"]).iter().map(parse_item).collect(),
        errors: array(&json["errors"])
            .iter()
            .map(|error| error.as_str().expect("errors are node ids").to_owned())
            .collect(),
        exit_code,
    }
}

fn parse_group(json: &Value) -> Option<OracleGroup> {
    match json {
        Value::Null => None,
        group => Some(OracleGroup {
            args: array(&group["args"]).clone(),
            kwargs: group["kwargs"]
                .as_object()
                .expect("group kwargs is an object")
                .clone(),
            level: group["level"]
                .as_str()
                .expect("group level is a string")
                .to_owned(),
        }),
    }
}

fn parse_item(json: &Value) -> OracleItem {
    let group = parse_group(&json["group"]);
    let count = json["group_count_at_level"]
        .as_u64()
        .expect("group_count_at_level is a count");
    OracleItem {
        node_id: json["node_id"]
            .as_str()
            .expect("node_id is a string")
            .to_owned(),
        group,
        group_count_at_level: u32::try_from(count).expect("group_count_at_level fits u32"),
        runner: Some(json["runner"].clone()).filter(|runner| !runner.is_null()),
        param_groups: json.get("param_groups").map(|groups| array(groups).clone()),
        cases: array(&json["cases"])
            .iter()
            .map(|case| OracleCase {
                node_id: case["node_id"]
                    .as_str()
                    .expect("node_id is a string")
                    .to_owned(),
                group: parse_group(&case["group"]),
                runner: Some(case["runner"].clone()).filter(|runner| !runner.is_null()),
            })
            .collect(),
    }
}

fn array(value: &Value) -> &Vec<Value> {
    value
        .as_array()
        .expect("dump_collection.py writes an array here")
}
