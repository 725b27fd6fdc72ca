//! A generative check of parametrize ids: random `parametrize` decorators (literal values of
//! every kind pytest makes ids from, `ids=` lists with gaps, `pytest.param(id=...)`,
//! duplicates, stacking, class-level parametrize), each with a group mark on one parameter so
//! fanout lists the cases, and fixtures with `params=` (and `ids=`, scopes) the tests request;
//! every case id and group must equal what pytest builds.

use super::compare::assert_matches_pytest;
use crate::e2e::project::Project;
use crate::support::rng::Rng;

const VALUES: &[&str] = &[
    "0",
    "1",
    "-7",
    "10**3",
    "1.5",
    "0.1",
    "1e-05",
    "2.5e16",
    "-0.0",
    "float('inf')",
    "3j",
    "True",
    "False",
    "None",
    "'a'",
    "'a'",
    "'1'",
    "''",
    "'a b-c'",
    "'é'",
    "'日本'",
    "'\\n\\t'",
    "'\\\\'",
    "'x' * 101",
    "b'\\x00b'",
    "b'ok'",
    "(1, 2)",
    "[3]",
    "{'k': 1}",
    "Color.RED",
    "helper",
    "Helper",
    "VALUE",
    "f'{VALUE}-x'",
];

const IDS: &[&str] = &["None", "'i'", "'i'", "'1'", "'é'", "3", "2.5", "True"];

fn value(rng: &mut Rng) -> String {
    rng.pick(VALUES).to_owned()
}

/// One `parametrize` with `names` argument names and 1-4 parameter sets; the first gets a
/// group mark when `grouped`.
fn parametrize(rng: &mut Rng, names: &[String], grouped: bool) -> String {
    let sets = 1 + rng.next(4);
    // A list of names wants each parameter set as a sequence, even of one value.
    let names_as_list = rng.next(3) == 2;
    let mut entries = Vec::new();
    for index in 0..sets {
        let values: Vec<String> = names.iter().map(|_| value(rng)).collect();
        let values = if names.len() == 1 && !names_as_list {
            values[0].clone()
        } else {
            format!("({},)", values.join(", "))
        };
        let group = grouped && index == 0;
        let given_id = rng.next(4) == 0;
        if group || given_id {
            let id = if given_id {
                format!(", id={}", rng.pick(&["'p'", "'p'", "'q-1'", "'ü'"]))
            } else {
                String::new()
            };
            let marks = if group {
                ", marks=pytest.mark.group('g1')"
            } else {
                ""
            };
            let unpacked = if names.len() == 1 && !names_as_list {
                values
            } else {
                values[1..values.len() - 2].to_owned()
            };
            entries.push(format!("pytest.param({unpacked}{id}{marks})"));
        } else {
            entries.push(values);
        }
    }
    let ids = if rng.next(3) == 0 {
        let ids: Vec<&str> = (0..sets).map(|_| rng.pick(IDS)).collect();
        format!(", ids=[{}]", ids.join(", "))
    } else {
        String::new()
    };
    let names_arg = match (names_as_list, rng.next(2)) {
        (false, 0) => format!("{:?}", names.join(",")),
        (false, _) => format!("{:?}", names.join(", ")),
        (true, _) => format!(
            "[{}]",
            names
                .iter()
                .map(|n| format!("{n:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!(
        "@pytest.mark.parametrize({names_arg}, [{}]{ids})\n",
        entries.join(", ")
    )
}

fn module(rng: &mut Rng) -> String {
    let mut text = String::from(
        "import enum\nimport pytest\n\nVALUE = 'v'\n\n\nclass Color(enum.Enum):\n    RED = 1\n\n\n\
         def helper():\n    pass\n\n\nclass Helper:\n    pass\n\n\npytestmark = pytest.mark.group('m')\n\n\n",
    );
    // Fixtures with parameters, of random scopes: pytest puts their ids first, widest first.
    let fixtures = rng.next(3);
    for k in 0..fixtures {
        let count = 1 + rng.next(3);
        let params: Vec<String> = (0..count).map(|_| value(rng)).collect();
        let ids = if rng.next(3) == 0 {
            let ids: Vec<&str> = (0..count).map(|_| rng.pick(IDS)).collect();
            format!(", ids=[{}]", ids.join(", "))
        } else {
            String::new()
        };
        let scope = rng.pick(&["function", "function", "module", "session", "class"]);
        text.push_str(&format!(
            "@pytest.fixture(scope={scope:?}, params=[{}]{ids})
def fx{k}(request):
    return request.param


",
            params.join(", ")
        ));
    }
    for test in 0..4 {
        let stacked = 1 + rng.next(3);
        let mut decorators = String::new();
        let mut args = Vec::new();
        for k in 0..fixtures {
            if rng.next(2) == 0 {
                args.push(format!("fx{k}"));
            }
        }
        let grouped_at = rng.next(stacked);
        for level in 0..stacked {
            let count = 1 + rng.next(2);
            let names: Vec<String> = (0..count).map(|i| format!("a{test}{level}{i}")).collect();
            args.extend(names.iter().cloned());
            decorators.push_str(&parametrize(rng, &names, level == grouped_at));
        }
        if rng.next(4) == 0 {
            let class_args: Vec<String> = vec![format!("c{test}")];
            text.push_str(&parametrize(rng, &class_args, false));
            text.push_str(&format!("class TestC{test}:\n"));
            for line in decorators.lines() {
                text.push_str(&format!("    {line}\n"));
            }
            text.push_str(&format!(
                "    def test_{test}(self, {}, {}):\n        pass\n\n\n",
                args.join(", "),
                class_args[0]
            ));
        } else {
            text.push_str(&decorators);
            text.push_str(&format!(
                "def test_{test}({}):\n    pass\n\n\n",
                args.join(", ")
            ));
        }
    }
    text
}

#[test]
fn generated_parametrize_ids_match_pytest() {
    let p = Project::new();
    let seeds: u64 = std::env::var("FANOUT_GENERATED_SEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(16);
    for seed in 0..seeds {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (seed + 1));
        let text = module(&mut rng);
        if let Ok(dir) = std::env::var("FANOUT_DUMP_GENERATED") {
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(format!("{dir}/test_gen_{seed}.py"), &text);
        }
        p.file(&format!("tests/test_gen_{seed}.py"), &text);
    }
    let compared = assert_matches_pytest(&p, &[]);
    let cases: usize = compared.oracle.items.iter().map(|i| i.cases.len()).sum();
    assert!(
        cases > seeds as usize * 8,
        "the generated suites parametrize enough ({cases} cases)"
    );
}
