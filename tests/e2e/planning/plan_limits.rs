use super::{job, timings};
use crate::e2e::project::Project;

/// Two files measured in one job each: a.py has two 300 s tests after a 100 s setup, b.py two
/// of 200 and 180 s.
fn two_files() -> Project {
    let p = Project::new();
    let file = |names: [&str; 2]| {
        format!(
            "import pytest\n\n\ndef {}():\n    pass\n\n\ndef {}():\n    pass\n",
            names[0], names[1]
        )
    };
    p.file("pyproject.toml", super::plan::MARKERS)
        .file("tests/test_a.py", &file(["test_one", "test_two"]))
        .file("tests/test_b.py", &file(["test_three", "test_four"]))
        .file(
            "timings.json",
            &timings(&[
                job(
                    "a",
                    "tests/test_a.py",
                    &[
                        ("tests/test_a.py::test_one", 100.0, 300.0),
                        ("tests/test_a.py::test_two", 0.0, 300.0),
                    ],
                ),
                job(
                    "b",
                    "tests/test_b.py",
                    &[
                        ("tests/test_b.py::test_three", 100.0, 200.0),
                        ("tests/test_b.py::test_four", 0.0, 180.0),
                    ],
                ),
            ]),
        );
    p
}

#[test]
fn plan_limits_merge_the_cheapest_groups() {
    let p = two_files();
    let free = p.run(&["plan", "--timings", "timings.json"]);
    assert_eq!(free.code, 0, "{}", free.describe());
    let capped = p.run(&["plan", "--timings", "timings.json", "--max-jobs", "3"]);
    assert_eq!(capped.code, 0, "{}", capped.describe());
    let budget = p.run(&[
        "plan",
        "--timings",
        "timings.json",
        "--max-machine-time",
        "1300",
    ]);
    let impossible = p.run(&["plan", "--timings", "timings.json", "--max-jobs", "1"]);
    insta::assert_snapshot!(
        "plan_limits",
        format!(
            "--- no limit ---\n{}{}--- --max-jobs 3 ---\n{}{}--- --max-machine-time 1300 ---\n{}{}--- --max-jobs 1 ---\n{}{}",
            free.stdout, free.stderr, capped.stdout, capped.stderr, budget.stdout, budget.stderr, impossible.stdout, impossible.stderr
        )
    );
}
