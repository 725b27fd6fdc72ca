//! A generative check of change selection: small suites (tests, fixtures, helpers, a class with
//! `setup_method`, a module constant, an imported helper module) and one random edit each; the
//! selection must hold every test whose own code, or code it reaches, changed.

use super::repo::{git_in, selected, Repo};
use crate::e2e::project::Project;
use crate::support::rng::Rng;
use std::collections::BTreeSet;

/// What a module-level test uses besides its own body.
#[derive(Clone, Copy)]
enum Uses {
    Nothing,
    Fixture,
    Local,
    Constant,
    Helper(usize),
}

struct Test {
    file: usize,
    name: String,
    group: u32,
    uses: Uses,
    /// The editable line of its body.
    unit: usize,
}

/// An editable line and the tests that depend on it.
struct Unit {
    path: String,
    line: String,
    dependents: Vec<usize>,
}

struct Suite {
    files: Vec<(String, String)>,
    tests: Vec<Test>,
    units: Vec<Unit>,
}

fn generate(rng: &mut Rng) -> Suite {
    let mut units: Vec<Unit> = Vec::new();
    let unit = |path: &str, units: &mut Vec<Unit>| {
        let n = units.len();
        units.push(Unit {
            path: path.to_owned(),
            line: format!("_ = {n}  # unit {n}"),
            dependents: Vec::new(),
        });
        n
    };
    let helpers: Vec<usize> = (0..3)
        .map(|_| unit("tests/helpers/lib.py", &mut units))
        .collect();
    let mut lib = String::new();
    for (i, u) in helpers.iter().enumerate() {
        lib.push_str(&format!(
            "def h{i}():\n    {}\n    return 0\n\n\n",
            units[*u].line
        ));
    }
    let mut files = vec![
        (
            "pyproject.toml".to_owned(),
            "[tool.pytest.ini_options]\ntestpaths = [\"tests\"]\n".to_owned(),
        ),
        ("tests/helpers/__init__.py".to_owned(), String::new()),
        ("tests/helpers/lib.py".to_owned(), lib),
    ];
    let mut tests: Vec<Test> = Vec::new();
    for f in 0..2 + rng.next(2) {
        let path = format!("tests/test_f{f}.py");
        let fixture = unit(&path, &mut units);
        let local = unit(&path, &mut units);
        let constant = units.len();
        units.push(Unit {
            path: path.clone(),
            line: format!("K = {constant}  # unit {constant}"),
            dependents: Vec::new(),
        });
        let setup = unit(&path, &mut units);
        let mut text = format!(
            "import pytest\nfrom helpers.lib import h0, h1, h2\n\n{}\n\n\n@pytest.fixture\ndef fix():\n    {}\n    return 0\n\n\ndef local():\n    {}\n    return 0\n\n\n",
            units[constant].line, units[fixture].line, units[local].line
        );
        for t in 0..2 + rng.next(3) {
            let uses = match rng.next(5) {
                0 => Uses::Nothing,
                1 => Uses::Fixture,
                2 => Uses::Local,
                3 => Uses::Constant,
                _ => Uses::Helper(rng.next(3)),
            };
            let own = unit(&path, &mut units);
            let group = 1 + u32::try_from(rng.next(2)).unwrap_or(0);
            let name = format!("test_t{t}");
            let (param, body) = match uses {
                Uses::Nothing => ("", String::new()),
                Uses::Fixture => ("fix", "    assert fix == 0\n".to_owned()),
                Uses::Local => ("", "    assert local() == 0\n".to_owned()),
                Uses::Constant => ("", "    assert K >= 0\n".to_owned()),
                Uses::Helper(h) => ("", format!("    assert h{h}() == 0\n")),
            };
            text.push_str(&format!(
                "@pytest.mark.group({group})\ndef {name}({param}):\n    {}\n{body}\n\n",
                units[own].line
            ));
            let index = tests.len();
            units[own].dependents.push(index);
            match uses {
                Uses::Nothing => {}
                Uses::Fixture => units[fixture].dependents.push(index),
                Uses::Local => units[local].dependents.push(index),
                Uses::Constant => units[constant].dependents.push(index),
                Uses::Helper(h) => units[helpers[h]].dependents.push(index),
            }
            tests.push(Test {
                file: f,
                name,
                group,
                uses,
                unit: own,
            });
        }
        let method = unit(&path, &mut units);
        text.push_str(&format!(
            "@pytest.mark.group(3)\nclass TestC:\n    def setup_method(self):\n        {}\n        self.v = 0\n\n    def test_m(self):\n        {}\n        assert self.v == 0\n",
            units[setup].line, units[method].line
        ));
        let index = tests.len();
        units[setup].dependents.push(index);
        units[method].dependents.push(index);
        tests.push(Test {
            file: f,
            name: "TestC::test_m".to_owned(),
            group: 3,
            uses: Uses::Nothing,
            unit: method,
        });
        files.push((path, text));
    }
    Suite {
        files,
        tests,
        units,
    }
}

#[test]
fn every_test_whose_code_changed_is_selected() {
    for seed in 1..=24_u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let suite = generate(&mut rng);
        let p = Project::new();
        for (path, text) in &suite.files {
            p.bytes(path, text.as_bytes());
        }
        git_in(&p.path(), &["init", "-q", "-b", "main"]);
        git_in(&p.path(), &["add", "-A"]);
        git_in(&p.path(), &["commit", "-q", "-m", "base"]);
        git_in(&p.path(), &["checkout", "-q", "-b", "feature"]);
        let edited = rng.next(suite.units.len());
        let unit = &suite.units[edited];
        let path = p.join(&unit.path);
        let text = std::fs::read_to_string(&path).expect("generated file");
        let changed = unit.line.replacen(" = ", " = 1 + ", 1);
        assert!(
            text.contains(&unit.line),
            "seed {seed}: unit {edited} is in {}",
            unit.path
        );
        std::fs::write(&path, text.replacen(&unit.line, &changed, 1)).expect("edit");
        git_in(&p.path(), &["commit", "-q", "-am", "edit"]);
        let out = Repo::affected_in(&p.path(), &["--base", "main", "--no-include-worktree"]);
        assert_eq!(out.code, 0, "seed {seed}: {}", out.describe());
        let Some(jobs) = selected(&out) else {
            continue; // everything runs
        };
        let expected: BTreeSet<String> = unit
            .dependents
            .iter()
            .map(|&t| {
                let test = &suite.tests[t];
                format!("tests/test_f{}.py group {}", test.file, test.group)
            })
            .collect();
        let missing: Vec<&String> = expected.difference(&jobs).collect();
        assert!(
            missing.is_empty(),
            "seed {seed}: editing unit {edited} ({}: {:?}) must select {missing:?}; tests using it: {:?}\n{}",
            unit.path,
            unit.line,
            unit.dependents
                .iter()
                .map(|&t| (&suite.tests[t].name, suite.tests[t].unit, matches!(suite.tests[t].uses, Uses::Fixture)))
                .collect::<Vec<_>>(),
            out.describe()
        );
    }
}
