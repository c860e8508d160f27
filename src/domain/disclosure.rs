//! Statistical disclosure control for the board report: no count of children below the minimum
//! cell size is printed, and none can be worked out from what is printed beside it.
//!
//! Within one gravity band the report prints the band's total (the outcome table) and each
//! group's count. Hiding a small group's count alone is not enough: total − the shown groups =
//! the hidden one. So the small groups of a band are pooled into one unnamed row, and a pool of
//! one group takes the next smallest shown group with it (primary and secondary suppression).
//! What can be worked out is then the pool's sum, never which groups it holds or any one count.

/// One group's children in a band, and how many had a formal outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCount {
    pub group: String,
    pub n: u64,
    pub formal: u64,
}

/// A band after suppression: the groups shown, and the pool (how many groups, their children and
/// formal outcomes, for the sums only; never printed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Suppressed {
    pub shown: Vec<GroupCount>,
    pub pooled_groups: usize,
    pub pooled_n: u64,
    pub pooled_formal: u64,
}

pub fn suppress(groups: Vec<GroupCount>, min_cell: u32) -> Suppressed {
    let min = u64::from(min_cell);
    let (mut shown, mut pool): (Vec<GroupCount>, Vec<GroupCount>) = groups.into_iter().partition(|g| g.n >= min);
    // Secondary suppression. The band's total and its formal outcomes are printed, so the pool's
    // children and formal outcomes are known as sums: a pool of one group would be that group's
    // own figures, and a pool whose outcomes are all formal (or none) tells each child's outcome.
    // So the smallest shown groups join the pool until neither holds, or nothing is shown.
    let telling = |pool: &[GroupCount]| {
        let (n, f): (u64, u64) = pool.iter().fold((0, 0), |(n, f), g| (n + g.n, f + g.formal));
        !pool.is_empty() && (pool.len() == 1 || f == 0 || f == n)
    };
    while telling(&pool) && !shown.is_empty() {
        let smallest = (0..shown.len()).min_by_key(|&i| (shown[i].n, shown[i].group.clone())).expect("not empty");
        pool.push(shown.remove(smallest));
    }
    Suppressed {
        shown,
        pooled_groups: pool.len(),
        pooled_n: pool.iter().map(|g| g.n).sum(),
        pooled_formal: pool.iter().map(|g| g.formal).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(group: &str, n: u64) -> GroupCount {
        GroupCount { group: group.into(), n, formal: 0 }
    }

    fn gf(group: &str, n: u64, formal: u64) -> GroupCount {
        GroupCount { group: group.into(), n, formal }
    }

    #[test]
    fn a_pool_whose_outcomes_are_all_formal_or_none_takes_more_groups() {
        // Asian 2/2 and Mixed 4/4 pooled: 6 of 6 formal would tell each child's outcome.
        let s = suppress(vec![gf("Black", 8, 5), gf("White", 38, 24), gf("Asian", 2, 2), gf("Mixed", 4, 4)], 5);
        assert_eq!(s.shown.iter().map(|x| x.group.as_str()).collect::<Vec<_>>(), ["White"]);
        assert_eq!((s.pooled_groups, s.pooled_n, s.pooled_formal), (3, 14, 11));
        // None formal: likewise.
        let s = suppress(vec![gf("Male", 78, 5), gf("Female", 16, 0), gf("Not known", 2, 0)], 5);
        assert!(s.shown.is_empty(), "{s:?}");
    }

    #[test]
    fn a_lone_small_group_takes_the_smallest_shown_group_into_the_pool() {
        let s = suppress(vec![gf("White", 6, 1), gf("Mixed", 2, 1), gf("Asian", 9, 3)], 5);
        assert_eq!(s.shown.iter().map(|x| x.group.as_str()).collect::<Vec<_>>(), ["Asian"]);
        assert_eq!((s.pooled_groups, s.pooled_n), (2, 8));
    }

    #[test]
    fn two_small_groups_pool_without_taking_a_shown_one() {
        let s = suppress(vec![g("A", 6), gf("B", 2, 1), gf("C", 1, 0)], 5);
        assert_eq!(s.shown, [g("A", 6)]);
        assert_eq!((s.pooled_groups, s.pooled_n), (2, 3));
    }

    #[test]
    fn nothing_small_nothing_pooled() {
        let s = suppress(vec![g("A", 6), g("B", 5)], 5);
        assert_eq!(s.shown.len(), 2);
        assert_eq!(s.pooled_groups, 0);
    }

    #[test]
    fn a_band_of_one_small_group_is_pooled_alone() {
        // Nothing else to take: the pool's sum is the band total, and it names no group.
        let s = suppress(vec![g("A", 3)], 5);
        assert!(s.shown.is_empty());
        assert_eq!(s.pooled_groups, 1);
    }
}
