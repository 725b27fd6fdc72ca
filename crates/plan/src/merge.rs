//! Merging groups: a job costs its file's fixed price (shared setup and process start-up)
//! again, so two groups that fit in one job without making it the longest belong together.
//! Greedy: always the pair whose merged job is shortest, first while the predicted wall time
//! does not grow, then, past that, while the job count or machine time is over its limit.

use crate::{Limits, PlannedFile};

/// Below this, two times are equal (floating sums of measured seconds).
const EPSILON: f64 = 1e-6;

/// Merges in place; returns what could not be met, for the report.
pub fn merge(files: &mut [PlannedFile], limits: &Limits) -> Option<String> {
    let wall = crate::wall(files);
    while let Some(best) = cheapest_pair(files) {
        if best.seconds > wall + EPSILON {
            break;
        }
        apply(files, &best);
    }
    loop {
        let jobs: usize = files.iter().map(|f| f.groups.len()).sum();
        let machine = crate::machine(files);
        let over_jobs = limits.max_jobs.is_some_and(|max| jobs > max);
        let over_machine = limits
            .max_machine_seconds
            .is_some_and(|max| machine > max + EPSILON);
        if !over_jobs && !over_machine {
            return None;
        }
        let Some(best) = cheapest_pair(files) else {
            let what = if over_jobs {
                format!("{jobs} jobs, over --max-jobs")
            } else {
                format!("{machine:.0} s of machine time, over --max-machine-time")
            };
            return Some(format!(
                "every file is one group and the plan is still {what}: no grouping meets the limit"
            ));
        };
        apply(files, &best);
    }
}

struct Pair {
    file: usize,
    a: usize,
    b: usize,
    seconds: f64,
}

/// Over every file, the two cheapest groups whose merged job is shortest; ties go to the file
/// with the bigger fixed price (more saved), then the earlier file and groups.
fn cheapest_pair(files: &[PlannedFile]) -> Option<Pair> {
    let mut best: Option<Pair> = None;
    for (file, planned) in files.iter().enumerate() {
        let mut order: Vec<usize> = (0..planned.groups.len()).collect();
        order.sort_by(|&x, &y| planned.groups[x].cost.total_cmp(&planned.groups[y].cost));
        let [a, b, ..] = order[..] else {
            continue;
        };
        let seconds = planned.fixed + planned.groups[a].cost + planned.groups[b].cost;
        let better = best.as_ref().is_none_or(|current| {
            seconds < current.seconds - EPSILON
                || (seconds <= current.seconds + EPSILON
                    && planned.fixed > files[current.file].fixed + EPSILON)
        });
        if better {
            best = Some(Pair {
                file,
                a: a.min(b),
                b: a.max(b),
                seconds,
            });
        }
    }
    best
}

fn apply(files: &mut [PlannedFile], pair: &Pair) {
    let groups = &mut files[pair.file].groups;
    let taken = groups.remove(pair.b);
    let into = &mut groups[pair.a];
    into.units.extend(taken.units);
    into.units.sort_unstable();
    into.cost += taken.cost;
    groups.sort_by_key(|g| g.units.first().copied());
}
