//! Which group takes a queue's contact (SPEC §11 `groups` and `reserve`).
//!
//! Without a `groups` list, every group with the skill may take an
//! arriving call, the longest-idle agent among them first (SPEC §4). With
//! one, the groups are tried in the list's order and a group with
//! `after = D` only once the call has waited `D`; the first group in order
//! with an idle agent takes it (its longest idle). A group with `reserve =
//! R` keeps R agents idle for its first skill: it takes another queue's
//! contact only while more than R of its agents are idle, and an agent of
//! it who frees up takes another queue's work only while R others stay
//! idle.
//!
//! Each choice looks at the groups of one queue (or the skills of one
//! group), never at every group.

use super::AgentPool;

/// One group that may take a queue's contacts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Taker {
    pub group: u16,
    /// Seconds an inbound call must have waited before this group takes it.
    pub after: f64,
    /// Idle agents the group keeps for its first skill: it takes this
    /// queue's contact only with more idle than this (0: any idle agent).
    pub keep_idle: u32,
}

/// How one queue's contacts find an agent.
#[derive(Clone, Debug, PartialEq)]
pub enum QueueRoute {
    /// Every group with the skill, the longest-idle agent first.
    LongestIdle(Vec<Taker>),
    /// The groups in this order, each after its delay.
    Ordered(Vec<Taker>),
}

impl QueueRoute {
    /// The group whose agent takes a contact that has waited `waited`
    /// seconds (callbacks: `f64::INFINITY`), or `None` if no agent may.
    #[inline]
    pub fn pick(&self, pools: &[AgentPool], waited: f64) -> Option<usize> {
        match self {
            QueueRoute::LongestIdle(takers) => {
                let mut best: Option<(f64, usize)> = None;
                for t in takers {
                    let p = &pools[t.group as usize];
                    if let Some(since) = p.longest_idle()
                        && (t.keep_idle == 0 || p.idle() > t.keep_idle)
                        && best.is_none_or(|(b, _)| since < b)
                    {
                        best = Some((since, t.group as usize));
                    }
                }
                best.map(|(_, g)| g)
            }
            QueueRoute::Ordered(takers) => takers
                .iter()
                .find(|t| t.after <= waited && pools[t.group as usize].idle() > t.keep_idle)
                .map(|t| t.group as usize),
        }
    }

    /// The delays after which more groups may take a waiting call, each
    /// once, whatever the order of the list (none without a `groups` list
    /// with `after`).
    pub fn overflow_delays(&self) -> impl Iterator<Item = f64> + '_ {
        let takers: &[Taker] = match self {
            QueueRoute::LongestIdle(_) => &[],
            QueueRoute::Ordered(t) => t,
        };
        takers
            .iter()
            .enumerate()
            .filter(|&(i, t)| t.after > 0.0 && takers[..i].iter().all(|u| u.after != t.after))
            .map(|(_, t)| t.after)
    }

    /// The delay after which group `g` takes this queue's calls.
    pub fn after(&self, g: usize) -> f64 {
        match self {
            QueueRoute::LongestIdle(_) => 0.0,
            QueueRoute::Ordered(t) => t
                .iter()
                .find(|t| t.group as usize == g)
                .map_or(0.0, |t| t.after),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taker(group: u16, after: f64, keep_idle: u32) -> Taker {
        Taker {
            group,
            after,
            keep_idle,
        }
    }

    fn pools(idle: &[u32]) -> Vec<AgentPool> {
        idle.iter().map(|&n| AgentPool::new(n)).collect()
    }

    #[test]
    fn order_decides_and_delays_wait() {
        let p = pools(&[1, 1]);
        let r = QueueRoute::Ordered(vec![taker(1, 0.0, 0), taker(0, 30.0, 0)]);
        assert_eq!(r.pick(&p, 0.0), Some(1));
        let p = pools(&[1, 0]);
        assert_eq!(r.pick(&p, 29.0), None);
        assert_eq!(r.pick(&p, 30.0), Some(0));
        assert_eq!(r.overflow_delays().collect::<Vec<_>>(), vec![30.0]);
        // A later group with a shorter delay still gets its timer.
        let mixed = QueueRoute::Ordered(vec![
            taker(0, 0.0, 0),
            taker(1, 60.0, 0),
            taker(2, 30.0, 0),
            taker(3, 60.0, 0),
        ]);
        assert_eq!(
            mixed.overflow_delays().collect::<Vec<_>>(),
            vec![60.0, 30.0]
        );
        assert_eq!((r.after(0), r.after(1)), (30.0, 0.0));
    }

    #[test]
    fn reserve_keeps_agents_idle() {
        let r = QueueRoute::LongestIdle(vec![taker(0, 0.0, 2)]);
        assert_eq!(r.pick(&pools(&[2]), 0.0), None);
        assert_eq!(r.pick(&pools(&[3]), 0.0), Some(0));
    }
}
