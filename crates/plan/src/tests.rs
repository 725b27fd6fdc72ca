//! Hand-made files whose best grouping is known.

use super::*;

fn file(path: &str, setup: f64, costs: &[f64]) -> FileInput {
    FileInput {
        path: path.into(),
        units: costs
            .iter()
            .enumerate()
            .map(|(i, &cost)| Unit {
                id: format!("{path}::test_{i}"),
                cost,
            })
            .collect(),
        setup,
        overhead: 0.0,
        together: Vec::new(),
    }
}

fn groups(plan: &Plan, file: usize) -> Vec<Vec<usize>> {
    plan.files[file]
        .groups
        .iter()
        .map(|g| g.units.clone())
        .collect()
}

#[test]
fn one_slow_test_keeps_the_file_whole() {
    let plan = plan(
        &[file("a.py", 100.0, &[2.0, 300.0, 1.0])],
        &Limits::default(),
    );
    assert_eq!(groups(&plan, 0), vec![vec![0, 1, 2]]);
    assert_eq!(wall(&plan.files), 403.0);
}

#[test]
fn two_slow_tests_after_a_big_setup_get_a_group_each() {
    let plan = plan(
        &[file("a.py", 100.0, &[2.0, 300.0, 1.0, 250.0, 1.0])],
        &Limits::default(),
    );
    assert_eq!(groups(&plan, 0), vec![vec![0, 1, 2], vec![3, 4]]);
    assert_eq!((wall(&plan.files), machine(&plan.files)), (403.0, 754.0));
}

#[test]
fn small_groups_merge_while_the_wall_time_holds() {
    // Four slow tests (>= setup 10): 110 is the wall; the three 20s fit one job of 70.
    let plan = plan(
        &[file("a.py", 10.0, &[100.0, 20.0, 20.0, 20.0])],
        &Limits::default(),
    );
    assert_eq!(groups(&plan, 0), vec![vec![0], vec![1, 2, 3]]);
    assert_eq!((wall(&plan.files), machine(&plan.files)), (110.0, 180.0));
}

#[test]
fn a_short_file_merges_up_to_the_longest_job_of_another() {
    let plan = plan(
        &[
            file("long.py", 100.0, &[500.0]),
            file("short.py", 10.0, &[100.0, 100.0, 100.0]),
        ],
        &Limits::default(),
    );
    assert_eq!(groups(&plan, 1), vec![vec![0, 1, 2]]);
    assert_eq!(wall(&plan.files), 600.0);
}

#[test]
fn max_jobs_merges_the_cheapest_pair_first() {
    let inputs = [
        file("a.py", 100.0, &[300.0, 300.0]),
        file("b.py", 100.0, &[200.0, 180.0]),
    ];
    let free = plan(&inputs, &Limits::default());
    assert_eq!(free.files.iter().map(|f| f.groups.len()).sum::<usize>(), 4);
    let capped = plan(
        &inputs,
        &Limits {
            max_jobs: Some(3),
            ..Limits::default()
        },
    );
    assert_eq!(groups(&capped, 0), vec![vec![0], vec![1]]);
    assert_eq!(groups(&capped, 1), vec![vec![0, 1]]);
    assert_eq!(wall(&capped.files), 480.0);
    assert_eq!(capped.unmet, None);
}

#[test]
fn machine_time_budget_merges_until_it_fits() {
    let inputs = [file("a.py", 100.0, &[300.0, 300.0, 300.0])];
    let budget = |seconds| Limits {
        max_machine_seconds: Some(seconds),
        ..Limits::default()
    };
    assert_eq!(machine(&plan(&inputs, &budget(1200.0)).files), 1200.0);
    let two = plan(&inputs, &budget(1100.0));
    assert_eq!(groups(&two, 0), vec![vec![0, 1], vec![2]]);
    assert_eq!(machine(&two.files), 1100.0);
    let none = plan(&inputs, &budget(500.0));
    assert_eq!(groups(&none, 0), vec![vec![0, 1, 2]]);
    assert!(none.unmet.is_some_and(|m| m.contains("machine time")));
}

#[test]
fn together_keeps_dependent_slow_tests_in_one_job() {
    let mut input = file("a.py", 100.0, &[300.0, 300.0, 300.0]);
    input.together = vec![vec![0, 2]];
    let plan = plan(&[input], &Limits::default());
    assert_eq!(groups(&plan, 0), vec![vec![0, 2], vec![1]]);
}

#[test]
fn overhead_counts_in_every_job() {
    let mut input = file("a.py", 100.0, &[150.0, 150.0]);
    assert_eq!(
        plan(&[input.clone()], &Limits::default()).files[0]
            .groups
            .len(),
        2
    );
    input.overhead = 20.0;
    let plan = plan(&[input], &Limits::default());
    assert_eq!(
        plan.files[0].job_seconds().collect::<Vec<_>>(),
        [270.0, 270.0]
    );
}

#[test]
fn a_test_is_slow_against_setup_and_start_up_together() {
    // Costlier than the setup, not than setup and start-up: splitting it off would save
    // 1 s of wall time for 18.5 s of machine time.
    let mut input = file("a.py", 0.5, &[0.5, 1.0]);
    input.overhead = 18.0;
    assert_eq!(
        groups(&plan(&[input.clone()], &Limits::default()), 0),
        vec![vec![0, 1]]
    );
    input.units[0].cost = 30.0;
    input.units[1].cost = 30.0;
    assert_eq!(
        groups(&plan(&[input], &Limits::default()), 0),
        vec![vec![0], vec![1]]
    );
}
