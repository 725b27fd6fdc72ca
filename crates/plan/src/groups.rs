//! A file's first groups: each slow test starts one, fast tests ride with the slow test
//! before them (or the first one), and tests declared together end in one group.

/// Groups of unit indices, each sorted, ordered by their first unit.
pub type Groups = Vec<Vec<usize>>;

/// `costs` in file order; a unit is slow when it costs something and at least
/// `threshold * setup`. `together` lists sets of unit indices that must share a group.
pub fn initial(costs: &[f64], setup: f64, threshold: f64, together: &[Vec<usize>]) -> Groups {
    let mut group_of = vec![0usize; costs.len()];
    let mut groups = 0usize;
    let mut seen_slow = false;
    for (i, &cost) in costs.iter().enumerate() {
        if cost > 0.0 && cost >= threshold * setup {
            // The first slow test joins the fast ones before it in group 0.
            if seen_slow {
                groups += 1;
            }
            seen_slow = true;
        }
        group_of[i] = groups;
    }
    let mut parent: Vec<usize> = (0..=groups).collect();
    for set in together {
        let mut members = set.iter().filter(|&&u| u < costs.len());
        let Some(&first) = members.next() else {
            continue;
        };
        for &other in members {
            let (a, b) = (
                find(&mut parent, group_of[first]),
                find(&mut parent, group_of[other]),
            );
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); groups + 1];
    for (unit, &g) in group_of.iter().enumerate() {
        let root = find(&mut parent, g);
        out[root].push(unit);
    }
    out.retain(|g| !g.is_empty());
    out.sort_by_key(|g| g[0]);
    out
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_slow_test_starts_a_group_and_fast_ones_follow() {
        // fast, SLOW, fast, SLOW, fast: the leading fast test joins the first slow test.
        let costs = [1.0, 50.0, 2.0, 60.0, 3.0];
        assert_eq!(
            initial(&costs, 40.0, 1.0, &[]),
            vec![vec![0, 1, 2], vec![3, 4]]
        );
    }

    #[test]
    fn no_slow_test_is_one_group_and_zero_costs_never_split() {
        assert_eq!(initial(&[1.0, 2.0], 40.0, 1.0, &[]), vec![vec![0, 1]]);
        assert_eq!(initial(&[0.0, 0.0], 0.0, 1.0, &[]), vec![vec![0, 1]]);
        assert_eq!(initial(&[], 10.0, 1.0, &[]), Vec::<Vec<usize>>::new());
    }

    #[test]
    fn threshold_scales_the_setup() {
        let costs = [30.0, 30.0];
        assert_eq!(initial(&costs, 40.0, 1.0, &[]).len(), 1);
        assert_eq!(initial(&costs, 40.0, 0.5, &[]).len(), 2);
    }

    #[test]
    fn together_joins_groups_even_far_apart() {
        let costs = [50.0, 50.0, 50.0];
        assert_eq!(
            initial(&costs, 10.0, 1.0, &[vec![0, 2]]),
            vec![vec![0, 2], vec![1]]
        );
    }
}
