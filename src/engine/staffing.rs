//! The realized staffing of one replication: each agent group's pool of
//! agents, the intervals at which some group's staffing changes, and the
//! busy time every change of the pools reports to the recorder. Every
//! change of a pool goes through here, so the recorder always learns the
//! counts before they change.
//!
//! Agents have identities only in groups that serve a queue with
//! agent-owned follow-ups, or the line its callbacks are routed to (the
//! follow-up is reserved for the agent who took the call); their ids are
//! numbered across those groups from 0, so the engine can keep each
//! agent's reserved work in a plain vector.
//!
//! With `absence`, each of a group's agents (as many as its busiest
//! interval staffs, the first `staffing[k]` of them on shift in interval
//! `k`) is absent for the whole day with that probability, one draw per
//! agent from the group's own stream: the realized staffing of interval
//! `k` is the number present among its first `staffing[k]`.

use crate::model::{Model, Owner};
use crate::results::Recorder;
use crate::rng::{Source, name_key, stream};
use crate::routing::{AgentId, AgentPool, QueueRoute};
use rand::Rng;

pub(super) struct Staffing {
    pools: Vec<AgentPool>,
    /// Each group's realized staffing per interval, where some agents are
    /// absent; `None`: every group as the model staffs it.
    realized: Option<Vec<Vec<u32>>>,
    /// Agent ids in use across the groups that keep identities.
    identities: u32,
    /// Intervals at whose start some group's staffing changes, in order.
    changes: Vec<u32>,
    next_change: usize,
}

impl Staffing {
    pub fn new(model: &Model, seed: u64, rep: u32) -> Self {
        let groups = model.groups();
        let realized = groups.iter().any(|g| g.absence > 0.0).then(|| {
            groups
                .iter()
                .map(|g| {
                    if g.absence == 0.0 {
                        return g.staffing.clone();
                    }
                    let mut rng = stream(seed, u64::from(rep), name_key(&g.name), Source::Absence);
                    let most = g.staffing.iter().copied().max().unwrap_or(0);
                    // present[i]: agents present among the first i.
                    let mut present = Vec::with_capacity(most as usize + 1);
                    present.push(0u32);
                    for i in 0..most as usize {
                        let here = rng.random::<f64>() >= g.absence;
                        present.push(present[i] + u32::from(here));
                    }
                    g.staffing.iter().map(|&n| present[n as usize]).collect()
                })
                .collect::<Vec<Vec<u32>>>()
        });
        let at = |g: usize, k: usize| match &realized {
            Some(r) => r[g][k],
            None => groups[g].staffing[k],
        };
        let changes = (1..model.horizon().intervals)
            .filter(|&k| (0..groups.len()).any(|g| at(g, k) != at(g, k - 1)))
            .map(|k| k as u32)
            .collect();
        // Queues whose agents may own follow-ups: those with agent-owned
        // follow-ups, and the lines their callbacks are routed to (the
        // agent who made the callback follows it up).
        let mut owning = vec![false; model.queues().len()];
        for (q, queue) in model.queues().iter().enumerate() {
            if queue
                .follow_up
                .as_ref()
                .is_some_and(|f| f.owner == Owner::Agent)
            {
                owning[q] = true;
                owning[model.callback_line(q)] = true;
            }
        }
        let mut identities = 0;
        let pools = groups
            .iter()
            .map(|g| {
                if g.skills.iter().any(|&q| owning[q]) {
                    let first = identities;
                    identities += g.staffing.iter().copied().max().unwrap_or(0);
                    AgentPool::with_identities(g.staffing[0], first)
                } else {
                    AgentPool::new(g.staffing[0])
                }
            })
            .collect::<Vec<_>>();
        let mut staffing = Staffing {
            pools,
            realized: None,
            identities,
            changes,
            next_change: 0,
        };
        if let Some(r) = realized {
            for (g, pool) in staffing.pools.iter_mut().enumerate() {
                // Nobody is busy yet: the absent simply never log in.
                pool.restaff(r[g][0]);
            }
            staffing.realized = Some(r);
        }
        staffing
    }

    /// Group `g`'s staffing in interval `k`, absences taken out.
    #[inline]
    pub fn staffing_at(&self, model: &Model, g: usize, k: usize) -> u32 {
        match &self.realized {
            Some(r) => r[g][k],
            None => model.groups()[g].staffing[k],
        }
    }

    /// Per queue, the time from which nobody who serves it is on shift to
    /// the end ([`Model::served_until`] with absences taken out).
    pub fn served_until(&self, model: &Model) -> Vec<f64> {
        let h = model.horizon();
        let serving = model.groups_serving();
        (0..model.queues().len())
            .map(|q| {
                if self.realized.is_none() {
                    return model.served_until(q);
                }
                h.served_until(|k| {
                    serving[q]
                        .iter()
                        .any(|&g| self.staffing_at(model, g, k) > 0)
                })
            })
            .collect()
    }

    /// The next interval at whose start staffing changes, once each.
    pub fn next_change(&mut self) -> Option<u32> {
        let k = self.changes.get(self.next_change).copied();
        self.next_change += 1;
        k
    }

    /// The group whose idle agent takes a contact of a queue routed by
    /// `route` that has waited `waited`, if any may.
    #[inline]
    pub fn idle_agent(&self, route: &QueueRoute, waited: f64) -> Option<usize> {
        route.pick(&self.pools, waited)
    }

    /// Idle agents of group `g`.
    #[inline]
    pub fn idle(&self, g: usize) -> u32 {
        self.pools[g].idle()
    }

    /// Agents staffed in `groups` (each in full), for the estimated wait.
    pub fn staffed(&self, groups: &[u16]) -> u32 {
        groups
            .iter()
            .map(|&g| self.pools[g as usize].target())
            .sum()
    }

    /// Reports group `g`'s counts up to `now`, before they change.
    #[inline]
    fn report(&self, g: usize, now: f64, rec: &mut impl Recorder) {
        let p = &self.pools[g];
        rec.agents(g, now, p.busy(), p.present());
    }

    /// Agent ids in use, numbered from 0 (none without agent-owned work).
    pub fn identities(&self) -> usize {
        self.identities as usize
    }

    /// The longest-idle agent of group `g` takes a contact; returns its id.
    #[inline]
    pub fn take_idle(&mut self, g: usize, now: f64, rec: &mut impl Recorder) -> AgentId {
        self.report(g, now, rec);
        self.pools[g].take_idle()
    }

    /// Agent `agent` of group `g` takes a contact, if it is idle.
    pub fn take_idle_agent(
        &mut self,
        g: usize,
        agent: AgentId,
        now: f64,
        rec: &mut impl Recorder,
    ) -> bool {
        let Some(i) = self.pools[g].idle_position(agent) else {
            return false;
        };
        self.report(g, now, rec);
        self.pools[g].take_idle_at(i);
        true
    }

    /// An agent of group `g` who was not idle (just finished, or just
    /// logged in) takes a contact.
    #[inline]
    pub fn start_busy(&mut self, g: usize, now: f64, rec: &mut impl Recorder) {
        self.report(g, now, rec);
        self.pools[g].start_busy();
    }

    /// Agent `agent` of group `g` finishes a contact: `false` when it
    /// leaves (staffing went down while it was busy), `true` when it stays.
    #[inline]
    pub fn finish(&mut self, g: usize, agent: AgentId, now: f64, rec: &mut impl Recorder) -> bool {
        self.report(g, now, rec);
        self.pools[g].finish(agent)
    }

    /// Staying agent `agent` of group `g` found no work.
    #[inline]
    pub fn go_idle(&mut self, g: usize, agent: AgentId, now: f64) {
        self.pools[g].go_idle(now, agent);
    }

    /// The id of an agent of group `g` that [`restaff`](Self::restaff)
    /// logged in.
    pub fn log_in(&mut self, g: usize) -> AgentId {
        self.pools[g].log_in()
    }

    /// Sets group `g`'s staffing to `target` at `now`; returns how many
    /// agents logged in (each to be offered waiting work).
    pub fn restaff(&mut self, g: usize, target: u32, now: f64, rec: &mut impl Recorder) -> u32 {
        if target == self.pools[g].target() {
            return 0;
        }
        self.report(g, now, rec);
        self.pools[g].restaff(target)
    }

    /// Reports every group's counts up to `end`: agents stay logged in
    /// until `open` even if the calls ran out earlier.
    pub fn close(&self, end: f64, rec: &mut impl Recorder) {
        for g in 0..self.pools.len() {
            self.report(g, end, rec);
        }
    }
}
