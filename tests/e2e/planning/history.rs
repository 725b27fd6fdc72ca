//! `fanout plan` and `fanout report` over several measured runs of a real suite (pytest 9.2):
//! times that vary between runs, a test added after the first run, a job that failed, a pair
//! linked by pytest-dependency's `depends=`, and a test no run measured.

use crate::e2e::project::{Output, Project};
use crate::e2e::run::run_with;
use crate::support::pytest_oracle::python;

const CONFIG: &str = r#"
    [tool.pytest.ini_options]
    testpaths = ["tests"]
    markers = ["group(id): the CI job", "dependency(**kw): pytest-dependency"]
    "#;

/// The suite of the `run`th measurement: sleeps scaled by `speed.txt`; `fail.txt` fails
/// `test_deploy`; `test_added` exists from the second run on.
fn suite(run: usize) -> String {
    let added = if run >= 2 {
        "\n@pytest.mark.group(1)\ndef test_added(deployed):\n    time.sleep(0.3 * SPEED)\n"
    } else {
        ""
    };
    format!(
        r#"import os
import time
import pytest

SPEED = float(open(os.path.join(os.path.dirname(__file__), "..", "speed.txt")).read())


@pytest.fixture(scope="module")
def deployed():
    time.sleep(0.4)


@pytest.mark.group(1)
def test_deploy(deployed):
    assert not os.path.exists(os.path.join(os.path.dirname(__file__), "..", "fail.txt"))


@pytest.mark.group(1)
def test_slow_a(deployed):
    time.sleep(1.2 * SPEED)


@pytest.mark.group(1)
@pytest.mark.dependency(depends=["test_slow_a"])
def test_needs_a(deployed):
    time.sleep(1.2 * SPEED)


@pytest.mark.group(1)
def test_slow_b(deployed):
    time.sleep(1.2 * SPEED)
{added}"#
    )
}

const BRAND_NEW: &str = "\n@pytest.mark.group(1)\ndef test_brand_new(deployed):\n    pass\n";

fn measured(p: &Project) -> Vec<String> {
    let py = python();
    let mut files = Vec::new();
    for (run, speed, fail) in [(1, "1.0", false), (2, "1.5", true), (3, "0.8", false)] {
        p.file("tests/test_db.py", &suite(run))
            .file("speed.txt", speed);
        if fail {
            p.file("fail.txt", "");
        } else {
            let _ = std::fs::remove_file(p.join("fail.txt"));
        }
        let name = format!("run-{run}.json");
        let out = run_with(p, &py, &["--all", "--timings", &name]);
        assert_eq!(out.code, if fail { 1 } else { 0 }, "{}", out.describe());
        files.push(name);
    }
    let _ = std::fs::remove_file(p.join("fail.txt"));
    let mut now = suite(3);
    now.push_str(BRAND_NEW);
    p.file("tests/test_db.py", &now);
    files
}

fn plan(p: &Project, files: &[&str], extra: &[&str]) -> Output {
    let mut args = vec!["plan"];
    for f in files {
        args.extend(["--timings", f]);
    }
    args.extend_from_slice(extra);
    let out = p.run(&args);
    assert!(out.code == 0 || out.code == 1, "{}", out.describe());
    out
}

/// The proposed groups of `plan`'s output: each `group N` line's tests.
fn groups(out: &Output) -> Vec<Vec<String>> {
    out.stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("group "))
        .map(|l| {
            l.split("  ")
                .last()
                .unwrap_or("")
                .split(", ")
                .map(|t| t.split(' ').next().unwrap_or(t).to_owned())
                .collect()
        })
        .collect()
}

#[test]
fn plan_over_several_runs() {
    let p = Project::new();
    p.file("pyproject.toml", CONFIG);
    let files = measured(&p);
    let f: Vec<&str> = files.iter().map(String::as_str).collect();

    let base = plan(&p, &f, &[]);

    let proposed = groups(&base);
    assert!(
        proposed.len() >= 2,
        "slow tests get groups of their own\n{}",
        base.describe()
    );
    // The dependent pair is never split.
    let with_a = proposed
        .iter()
        .find(|g| g.iter().any(|t| t == "test_slow_a"))
        .expect("test_slow_a is planned");
    assert!(
        with_a.iter().any(|t| t == "test_needs_a"),
        "depends= keeps the pair in one job: {proposed:?}\n{}",
        base.describe()
    );
    assert!(
        base.stderr
            .contains("kept in one job (pytest-dependency `depends`)"),
        "{}",
        base.describe()
    );
    // The test no run measured is estimated, and said so; the one added later is measured.
    assert!(
        base.stderr
            .contains("`tests/test_db.py::test_brand_new` has no timing: estimated at"),
        "{}",
        base.describe()
    );
    assert!(
        !base.stderr.contains("test_added` has no timing"),
        "{}",
        base.describe()
    );
    assert!(base.stderr.contains("3 runs read"), "{}", base.describe());

    // Whatever the order of the inputs, and with a run given twice: the same plan.
    for other in [
        vec![f[2], f[0], f[1]],
        vec![f[1], f[2], f[0]],
        vec![f[0], f[1], f[2], f[1]],
    ] {
        let out = plan(&p, &other, &[]);
        assert_eq!(out.stdout, base.stdout, "{other:?}\n{}", out.describe());
    }
    p.file(
        "copy.json",
        &std::fs::read_to_string(p.join(f[2])).expect("read"),
    );
    let out = plan(&p, &[f[0], f[1], f[2], "copy.json"], &[]);
    assert_eq!(out.stdout, base.stdout, "{}", out.describe());
    assert!(out.stderr.contains("counted once"), "{}", out.describe());
    // --history 1: only the newest run counts.
    let newest = plan(&p, &f, &["--history", "1"]);
    assert!(
        newest.stderr.contains("2 older runs left out"),
        "{}",
        newest.describe()
    );

    // The report shows the trend.
    let mut args = vec!["report"];
    for file in &f {
        args.extend(["--timings", file]);
    }
    let report = p.run(&args);
    assert_eq!(report.code, 0, "{}", report.describe());
    let trend: Vec<&str> = report
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("runs, oldest first"))
        .skip(2)
        .collect();
    assert_eq!(trend.len(), 3, "{}", report.stdout);
    for (line, file) in trend.iter().zip(&f) {
        assert!(line.trim_start().starts_with(file), "{line}");
    }
    assert!(trend[1].contains("(1 failed)"), "{}", report.stdout);
}

/// Hand-made runs with known answers: a case no run measured costs the median of its
/// function's measured cases; a function no run measured, its file's median times its cases;
/// a file no run measured keeps its groups and is named; the median over three runs is the
/// middle one, whatever one outlier run says.
#[test]
fn estimates_and_medians_with_known_answers() {
    use super::{job, timings, Job};
    let p = Project::new();
    p.file(
        "pyproject.toml",
        "[tool.pytest.ini_options]\nmarkers = [\"group(id): the CI job\"]\n",
    )
    .file(
        "tests/test_a.py",
        "import pytest\n\n\
         @pytest.mark.group(1)\ndef test_first():\n    pass\n\n\
         @pytest.mark.group(1)\n@pytest.mark.parametrize('n', [1, 2, 3])\ndef test_cases(n):\n    pass\n\n\
         @pytest.mark.group(1)\n@pytest.mark.parametrize('n', [1, 2])\ndef test_new(n):\n    pass\n",
    )
    .file(
        "tests/test_b.py",
        "import pytest\n\n@pytest.mark.group(1)\ndef test_b():\n    pass\n",
    );
    // (node id, setup, call): the first test carries a 10 s setup in every run.
    let run = |start: f64, scale: f64| {
        let tests = [
            ("tests/test_a.py::test_first", 10.0, 1.0 * scale),
            ("tests/test_a.py::test_cases[1]", 0.0, 4.0 * scale),
            ("tests/test_a.py::test_cases[2]", 0.0, 6.0 * scale),
        ];
        let tests: Vec<(&str, f64, f64)> = tests.to_vec();
        let j = Job {
            start,
            ..job("tests/test_a.py | group 1", "tests/test_a.py", &[])
        };
        timings(&[Job {
            tests: Box::leak(tests.into_boxed_slice()),
            ..j
        }])
    };
    p.file("r1.json", &run(1_000.0, 1.0))
        .file("r2.json", &run(2_000.0, 1.0))
        .file("r3.json", &run(3_000.0, 50.0));
    let out = p.run(&["plan", "--timings", "r3.json", "r1.json", "r2.json"]);
    assert!(out.code == 0, "{}", out.describe());
    // test_cases: [1] 4 s and [2] 6 s (the medians: run 3 is an outlier), [3] the median of
    // the two, 5 s: 15 s. test_new: no case measured: 2 x the file's median case (4 s).
    assert!(
        out.stderr.contains(
            "`tests/test_a.py::test_cases` has no timing: estimated at 15.0s (the median of its measured cases)"
        ),
        "{}",
        out.describe()
    );
    assert!(
        out.stderr.contains(
            "`tests/test_a.py::test_new` has no timing: estimated at 8.0s (the median of its file's tests)"
        ),
        "{}",
        out.describe()
    );
    assert!(
        out.stderr.contains(
            "1 file without any timing, planned as they are (groups kept): tests/test_b.py"
        ),
        "{}",
        out.describe()
    );
    assert!(
        out.stdout.contains("shared setup 10.0s"),
        "{}",
        out.describe()
    );
}
