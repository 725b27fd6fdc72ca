//! Hostile inputs: every limit gives an opaque value saying which, quickly.

use super::{eval_last, eval_last_with};
use crate::eval::Limits;
use std::time::{Duration, Instant};

fn reason(source: &str) -> String {
    let start = Instant::now();
    let seen = eval_last(source);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{source:?} took {:?}",
        start.elapsed()
    );
    seen.unknown
        .unwrap_or_else(|| panic!("{source:?} should be opaque, got {:?}", seen.repr))
}

#[test]
fn huge_repetitions_and_ranges_hit_the_size_limits() {
    assert!(reason("[0] * 10**12").contains("collection of"));
    assert!(reason("'a' * 10**12").contains("string of"));
    assert!(reason("range(10**18)").contains("collection of"));
    assert!(reason("list(range(-10**18, 10**18, 3))").contains("collection of"));
    assert!(reason("'{:>999999999}'.format(1)").contains("limit"));
    assert!(reason("f'{1:>999999999}'").contains("limit"));
    assert!(reason("'%999999999d' % 1").contains("limit"));
    assert!(
        reason("import itertools\nlist(itertools.product(range(1000), range(1000)))")
            .contains("collection of")
    );
}

#[test]
fn nested_loops_hit_the_step_limit() {
    let r = reason("[1 for a in range(100000) for b in range(100000)]");
    assert!(r.contains("steps"), "{r}");
    let r = reason("A = [0] * 100000\nB = [len(A * 10) for _ in A]\nB");
    assert!(r.contains("steps") || r.contains("collection"), "{r}");
}

#[test]
fn exponential_names_hit_the_step_limit() {
    let mut source = String::from("A0 = [1, 2]\n");
    for i in 1..60 {
        source.push_str(&format!("A{i} = [A{p}, A{p}]\n", p = i - 1));
    }
    source.push_str("A59\n");
    let seen = eval_last(&source);
    assert!(seen.unknown.is_some_and(|r| r.contains("steps")));
}

#[test]
fn deep_nesting_hits_the_depth_limit() {
    let chained = format!("1{}", " + 1".repeat(2000));
    assert!(reason(&chained).contains("nesting"));
    let mut comprehensions = String::from("A0 = [0]\n");
    for i in 1..500 {
        comprehensions.push_str(&format!("A{i} = [x for x in A{p}]\n", p = i - 1));
    }
    comprehensions.push_str("A499\n");
    assert!(reason(&comprehensions).contains("nesting"));
    let mut chain = String::from("A0 = 1\n");
    for i in 1..1000 {
        chain.push_str(&format!("A{i} = A{p} + 1\n", p = i - 1));
    }
    chain.push_str("A999\n");
    assert!(reason(&chain).contains("nesting"));
    let self_ref = "A = [A]\nA";
    assert!(reason(self_ref).contains("itself"));
}

#[test]
fn a_small_budget_is_respected() {
    let limits = Limits {
        steps: 100,
        ..Limits::default()
    };
    let seen = eval_last_with("[x for x in range(1000)]", limits);
    assert!(seen.unknown.is_some_and(|r| r.contains("100 steps")));
}
