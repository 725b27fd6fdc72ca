//! How collection time grows with the number of tests in one file. Ignored by default; run with
//! `cargo test -p fanout-pytest --test scaling -- --ignored --nocapture` (add `--release` for
//! figures comparable to a real run).

use fanout_pytest::{collect_source, mark_uses, walk, CollectRequest};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn module_with_tests(n: usize) -> String {
    let mut text = String::from("import pytest\n\npytestmark = pytest.mark.slow\n\n");
    for i in 0..n {
        text.push_str(&format!(
            "@pytest.mark.group({})\ndef test_{i}(): pass\n",
            i % 7
        ));
    }
    text
}

fn time_collect(text: &str) -> (usize, Duration) {
    let (classes, functions) = (vec!["Test".to_owned()], vec!["test".to_owned()]);
    let rootdir = PathBuf::from("/r");
    let request = CollectRequest {
        paths: &[],
        walk: walk::WalkRules {
            rootdir: &rootdir,
            python_files: &[],
            norecursedirs: &[],
            ignore: &[],
            ignore_glob: &[],
            collect_in_virtualenv: false,
            tracked: None,
            respect_gitignore: true,
            doctest_glob: &[],
        },
        python_classes: &classes,
        python_functions: &functions,
        ids: Default::default(),
        imports: Default::default(),
    };
    let start = Instant::now();
    let (tests, diagnostics) = collect_source("t/test_big.py", "t", text, &request);
    let elapsed = start.elapsed();
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    (tests.len(), elapsed)
}

#[test]
#[ignore = "a measurement, not a check"]
#[allow(clippy::print_stderr)]
fn collection_time_by_tests_in_one_file() {
    let sizes: Vec<usize> = std::env::var("FANOUT_SCALING_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 20_000, 40_000, 100_000]);
    for n in sizes {
        let text = module_with_tests(n);
        let (collected, elapsed) = time_collect(&text);
        assert_eq!(collected, n);
        // What the checks around ruff's parser cost.
        let start = Instant::now();
        let ruff_only = ruff_python_parser::parse_module(&text).is_ok();
        let ruff_elapsed = start.elapsed();
        let start = Instant::now();
        let checked = fanout_pytest::source::parse(&text).is_ok();
        let checked_elapsed = start.elapsed();
        assert!(ruff_only && checked);
        let start = Instant::now();
        let uses = mark_uses(&text).map(|u| u.len());
        let uses_elapsed = start.elapsed();
        assert_eq!(uses, Some(n + 1));
        eprintln!(
            "{n:>7} tests, {:>5} KB: collect_source {:>7.3} s ({:.2} µs per test), mark_uses {:>7.3} s, parse: ruff {:>6.3} s, checked {:>6.3} s",
            text.len() / 1024,
            elapsed.as_secs_f64(),
            elapsed.as_secs_f64() * 1e6 / n as f64,
            uses_elapsed.as_secs_f64(),
            ruff_elapsed.as_secs_f64(),
            checked_elapsed.as_secs_f64(),
        );
    }
}
